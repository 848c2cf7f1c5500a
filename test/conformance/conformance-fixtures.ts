/**
 * The conformance suite's fixtures and helpers: a small estate (an identity, groups, a role, a service,
 * a scope), record builders whose edge key is `props.id` as the port defines it, and comparisons that
 * ignore the order a store returns things in.
 */
import { expect } from 'vitest';
import type { AuditEvent } from '../../src/model/audit-chain.js';
import type { Props } from '../../src/model/properties.js';
import { edgeKeyOf, edgeKeyString, type EdgeKey, type EdgeRecord, type NodeRecord } from '../../src/model/records.js';
import type { EdgeType, NodeLabel } from '../../src/model/vocabulary.js';
import type { AuditInput, GraphStore, WriteBatch } from '../../src/store/port.js';

export const ci = identity('sa:ci');
export const sre = group('grp:sre');
export const admins = group('grp:admins');
export const deployer = node('Role', 'role:deployer', { origin: 'CENTRAL' });
export const payments = node('Service', 'svc:payments', { criticality: 'HIGH' });
export const refunds = node('Scope', 'scope:payments:refunds:write', { level: 'WRITE' });

/** A node with a name, plus the props given. */
export function node(label: NodeLabel, id: string, props: Props = {}): NodeRecord {
  return { label, id, props: { name: id, ...props } };
}

export function identity(id: string, props: Props = {}): NodeRecord {
  return node('Identity', id, { kind: 'SERVICE_ACCOUNT', ...props });
}

export function group(id: string, props: Props = {}): NodeRecord {
  return node('Group', id, props);
}

/** An edge between two fixture nodes; its key is `props.id`, as the port defines it. */
export function edge(type: EdgeType, from: NodeRecord, to: NodeRecord, props: Props = {}): EdgeRecord {
  return { type, from: from.id, to: to.id, fromLabel: from.label, toLabel: to.label, key: edgeKeyOf(props), props };
}

export function key(type: EdgeType, from: string, to: string, edgeKey = ''): EdgeKey {
  return { type, from, to, key: edgeKey };
}

export function batch(nodes: NodeRecord[], edges: EdgeRecord[] = [], audit: Partial<AuditInput> = {}): WriteBatch {
  return { nodes, edges, audit: { actor: 'conformance', action: 'test', ...audit } };
}

export async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[][]> {
  const all: T[][] = [];
  for await (const part of batches) all.push(part);
  return all;
}

export function expectTimeWithin(at: string, before: number, after: number): void {
  // A few seconds of slack: a server-side store may stamp with its own clock.
  expect(Date.parse(at)).toBeGreaterThanOrEqual(before - 5000);
  expect(Date.parse(at)).toBeLessThanOrEqual(after + 5000);
  expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
}

export function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

export function byId(a: NodeRecord, b: NodeRecord): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function sortEdges(edges: readonly EdgeRecord[]): EdgeRecord[] {
  return [...edges].sort((a, b) => (edgeKeyString(a) < edgeKeyString(b) ? -1 : edgeKeyString(a) > edgeKeyString(b) ? 1 : 0));
}

/** The store shows no trace of anything after `last`. */
export async function expectUnchangedSince(store: GraphStore, last: AuditEvent): Promise<void> {
  expect(await store.lastSequence()).toBe(last.sequence);
  expect(await store.auditEvents(0, 100)).toHaveLength(last.sequence);
  expect(await store.changesSince(last.sequence)).toEqual({ sequence: last.sequence, nodes: [], edges: [], events: [] });
}
