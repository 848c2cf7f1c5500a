import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NEVER_LIVE } from '../../src/model/liveness.js';
import type { EdgeRecord, NodeRecord } from '../../src/model/records.js';
import type { EdgeType, NodeLabel } from '../../src/model/vocabulary.js';
import { Projection } from '../../src/projection/projection.js';
import { dumpAdjacency } from '../support/adjacency-dump.js';
import { batchesArb, resolveBatch } from '../support/random-changes.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (days: number): string => new Date(T0 + days * 86_400_000).toISOString();

function node(label: NodeLabel, id: string, props: Record<string, unknown> = {}): NodeRecord {
  return { label, id, props: { name: id, ...props } };
}

function edge(type: EdgeType, from: NodeRecord, to: NodeRecord, props: Record<string, unknown> = {}): EdgeRecord {
  const key = typeof props['id'] === 'string' ? props['id'] : '';
  return { type, from: from.id, to: to.id, fromLabel: from.label, toLabel: to.label, key, props };
}

describe('Projection', () => {
  const sa = node('Identity', 'sa:ci', { kind: 'SERVICE_ACCOUNT' });
  const role = node('Role', 'role:deploy', { origin: 'CENTRAL' });
  const scope = node('Scope', 'scope:deploy', { level: 'ADMIN', sensitivity: 'HIGH' });
  const svc = node('Service', 'svc:payments', { criticality: 'CRITICAL' });

  it('interns ids and answers labels, scope levels and severities by index', () => {
    const p = Projection.fromRecords([sa, role, scope, svc], []);
    const s = p.indexOf('scope:deploy')!;
    expect(p.idOf(s)).toBe('scope:deploy');
    expect(p.labelOf(s)).toBe('Scope');
    expect(p.scopeLevelOf(s)).toBe('ADMIN');
    expect(p.severityOf(s)).toBe('HIGH');
    expect(p.severityOf(p.indexOf('svc:payments')!)).toBe('CRITICAL');
    expect(p.scopeLevelOf(p.indexOf('sa:ci')!)).toBeUndefined();
    expect(p.indexOf('nope')).toBeUndefined();
  });

  it('holds each edge in both directions with its type, key, origin and validity interval', () => {
    const grant = edge('HAS_ROLE', sa, role, { id: 'g1', origin: 'LOCAL', grantedAt: iso(0), expiresAt: iso(30) });
    const p = Projection.fromRecords([sa, role], [grant]);
    const outs: number[] = [];
    p.forEachOut(p.indexOf('sa:ci')!, (e) => outs.push(e));
    expect(outs).toHaveLength(1);
    const e = outs[0]!;
    expect([p.edgeType(e), p.idOf(p.edgeFrom(e)), p.idOf(p.edgeTo(e)), p.edgeKey(e), p.edgeOrigin(e)]).toEqual([
      'HAS_ROLE', 'sa:ci', 'role:deploy', 'g1', 'LOCAL',
    ]);
    expect([p.edgeStart(e), p.edgeEnd(e)]).toEqual([T0, T0 + 30 * 86_400_000]);
    const ins: number[] = [];
    p.forEachIn(p.indexOf('role:deploy')!, (x) => ins.push(x));
    expect(ins).toEqual([e]);
  });

  it('makes a disabled identity and a revoked grant never live', () => {
    const disabled = node('Identity', 'sa:old', { kind: 'SERVICE_ACCOUNT', status: 'DISABLED' });
    const p = Projection.fromRecords([disabled, role], [edge('HAS_ROLE', disabled, role, { status: 'REVOKED' })]);
    const n = p.indexOf('sa:old')!;
    expect([p.nodeStart(n), p.nodeEnd(n)]).toEqual([NEVER_LIVE.start, NEVER_LIVE.end]);
    expect([p.edgeStart(0), p.edgeEnd(0)]).toEqual([NEVER_LIVE.start, NEVER_LIVE.end]);
  });

  it('updates an existing edge in place when a change revokes it, and tracks the sequence', () => {
    const p = Projection.fromRecords([sa, role], [edge('HAS_ROLE', sa, role)], 1);
    p.apply({ sequence: 2, nodes: [], edges: [edge('HAS_ROLE', sa, role, { revokedAt: iso(5) })] });
    expect(p.edgeCount).toBe(1);
    expect(p.edgeEnd(0)).toBe(T0 + 5 * 86_400_000);
    expect(p.sequence).toBe(2);
  });

  it('ignores a change at or below the applied sequence, so an older state never overwrites a newer one', () => {
    const p = Projection.fromRecords([sa, role], [edge('HAS_ROLE', sa, role)], 1);
    expect(p.apply({ sequence: 3, nodes: [], edges: [edge('HAS_ROLE', sa, role, { status: 'REVOKED' })] })).toBe(true);
    expect(p.apply({ sequence: 2, nodes: [], edges: [edge('HAS_ROLE', sa, role, { status: 'ACTIVE' })] })).toBe(false);
    expect([p.edgeStart(0), p.sequence]).toEqual([NEVER_LIVE.start, 3]);
  });

  it('refuses to change the label of a node it holds', () => {
    const p = Projection.fromRecords([sa], []);
    expect(() => p.apply({ sequence: 1, nodes: [node('Service', 'sa:ci')], edges: [] })).toThrow(/cannot change label from Identity to Service/);
  });

  it('keeps parallel edges with different keys apart', () => {
    const p = Projection.fromRecords([sa, role], [edge('HAS_ROLE', sa, role, { id: 'a' })]);
    p.apply({ sequence: 1, nodes: [], edges: [edge('HAS_ROLE', sa, role, { id: 'b' }), edge('HAS_ROLE', sa, role, { id: 'a' })] });
    expect(p.edgeCount).toBe(2);
  });

  it('serves nodes and edges added after the build, before and after compaction', () => {
    const p = Projection.fromRecords([sa], []);
    const roles = Array.from({ length: 1500 }, (_, i) => node('Role', `role:r${i}`, { origin: 'CENTRAL' }));
    p.apply({ sequence: 1, nodes: roles.slice(0, 10), edges: roles.slice(0, 10).map((r) => edge('HAS_ROLE', sa, r)) });
    expect(p.stats().edges).toBe(10);
    p.apply({ sequence: 2, nodes: roles, edges: roles.map((r) => edge('HAS_ROLE', sa, r)) });
    expect(dumpAdjacency(p)).toEqual(dumpAdjacency(Projection.fromRecords([sa, ...roles], roles.map((r) => edge('HAS_ROLE', sa, r)))));
  });

  it('reports its size in typed-array bytes', () => {
    const stats = Projection.fromRecords([sa, role], [edge('HAS_ROLE', sa, role)], 7).stats();
    expect(stats).toMatchObject({ nodes: 2, edges: 1, sequence: 7 });
    expect(stats.typedArrayBytes).toBeGreaterThan(0);
  });
});

describe('Projection under random writes', () => {
  it('equals a projection rebuilt from the final records, after any sequence of committed changes', () => {
    fc.assert(
      fc.property(batchesArb(12), (batches) => {
        const live = Projection.fromRecords([], []);
        const known = new Map<string, NodeRecord>();
        const edges = new Map<string, EdgeRecord>();
        batches.forEach((batch, i) => {
          const change = resolveBatch(batch, known);
          for (const e of change.edges) edges.set(`${e.type} ${e.from} ${e.to} ${e.key}`, e);
          live.apply({ sequence: i + 1, ...change });
        });
        const rebuilt = Projection.fromRecords([...known.values()], [...edges.values()], batches.length);
        expect(dumpAdjacency(live)).toEqual(dumpAdjacency(rebuilt));
        expect(live.sequence).toBe(rebuilt.sequence);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Projection.nodesOfLabel', () => {
  it('lists the nodes of each label, including those added by later changes', () => {
    const p = Projection.fromRecords([node('Identity', 'sa:a', { kind: 'BOT' }), node('Group', 'grp:x')], []);
    p.apply({ sequence: 1, nodes: [node('Identity', 'sa:b', { kind: 'BOT' }), node('Identity', 'sa:a', { kind: 'HUMAN' })], edges: [] });
    expect(p.nodesOfLabel('Identity').map((n) => p.idOf(n))).toEqual(['sa:a', 'sa:b']);
    expect(p.nodesOfLabel('Vendor')).toEqual([]);
  });
});
