/**
 * Values across the Neo4j boundary. Neo4j properties hold scalars and homogeneous lists of scalars, no
 * maps and no nulls; our vocabulary's props are all scalars, so they are stored natively (queryable and
 * indexable) rather than as a JSON blob, and anything nested is refused before the transaction starts.
 * Rows come back as plain objects, turned into records here, the same way for every statement.
 */
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import type { AuditEvent } from '../../model/audit-chain.js';
import { invariant, type Issue } from '../../model/errors.js';
import type { Props } from '../../model/properties.js';
import type { EdgeRecord, NodeRecord } from '../../model/records.js';
import type { NodeLabel } from '../../model/vocabulary.js';
import type { EdgeTriple } from './neo4j-statements.js';

/** One result row, keyed by the statement's RETURN aliases. */
export type Row = Record<string, unknown>;

/** A property value Neo4j can store. */
export type StorableValue = string | number | boolean | string[] | number[] | boolean[];

/** What the adapter adds to stored nodes and relationships; never part of a record's props. */
export const NODE_SYSTEM_KEYS = ['id', '_seq'] as const;
export const EDGE_SYSTEM_KEYS = ['_key', '_seq'] as const;

/**
 * Props as Neo4j stores them, with an issue for each property it cannot store: a nested object, a list
 * holding an object, a list or null, a list mixing types, a non-finite number, a reserved key. `undefined`
 * and `null` values are left out: Neo4j has no null property, and in our model absent means unknown.
 * @param path where the props are, for issues: `nodes[3].props`.
 * @param reserved keys the adapter itself writes (`NODE_SYSTEM_KEYS`; edges may use `id` as their key).
 * @example storableProps({ name: 'ci', meta: { a: 1 } }, 'nodes[0].props', ['id', '_seq']).issues
 *   // [{ path: 'nodes[0].props.meta', message: 'is a nested object; …' }]
 */
export function storableProps(
  props: Props,
  path: string,
  reserved: readonly string[],
): { props: Record<string, StorableValue>; issues: Issue[] } {
  const stored: Record<string, StorableValue> = {};
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(props)) {
    const where = `${path}.${key}`;
    if (reserved.includes(key)) {
      issues.push({ path: where, message: `"${key}" is reserved by the Neo4j store; rename the property` });
      continue;
    }
    if (value === undefined || value === null) continue;
    const problem = storageProblem(value);
    if (problem === undefined) stored[key] = value as StorableValue;
    else issues.push({ path: where, message: `${problem}; Neo4j properties hold only scalars and lists of one scalar type` });
  }
  return { props: stored, issues };
}

/** Props as read back: system keys removed and Neo4j values turned into JSON values. */
export function readProps(raw: Record<string, unknown>, systemKeys: readonly string[]): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!systemKeys.includes(key)) props[key] = fromNeo4j(value);
  }
  return props;
}

/**
 * A Neo4j value as JSON: Integers become numbers when safe, else decimal strings (the adapter never
 * writes Integers into props, so only data written by other tools can hit that); temporal and spatial
 * values become their string forms; lists are converted element by element.
 */
export function fromNeo4j(value: unknown): unknown {
  if (neo4j.isInt(value)) return value.inSafeRange() ? value.toNumber() : value.toString();
  if (Array.isArray(value)) return value.map(fromNeo4j);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value !== null && typeof value === 'object') return String(value);
  return value;
}

/** A number from a Neo4j Integer or number; INTERNAL when it is neither (a statement returned junk). */
export function toNumber(value: unknown, what: string): number {
  const converted = fromNeo4j(value);
  invariant(typeof converted === 'number', `${what} is a safe integer, got ${String(value)}`);
  return converted;
}

/** An audit event as stored by `append_audit`, back into the model's shape. */
export function readAuditEvent(raw: Record<string, unknown>): AuditEvent {
  const text = (key: string): string => (typeof raw[key] === 'string' ? raw[key] : '');
  const list = (key: string): string[] => (Array.isArray(raw[key]) ? raw[key].map(String) : []);
  return {
    sequence: toNumber(raw['sequence'], 'AuditEvent.sequence'),
    at: text('at'),
    actor: text('actor'),
    action: text('action'),
    targets: list('targets'),
    decision: text('decision'),
    policyIds: list('policyIds'),
    reason: text('reason'),
    requestId: text('requestId'),
    prevHash: text('prevHash'),
    hash: text('hash'),
  };
}

/** An audit event as `append_audit` stores it: the sequence as a Neo4j Integer, lists as lists. */
export function auditEventParam(event: AuditEvent): Record<string, unknown> {
  return { ...event, sequence: neo4j.int(event.sequence), targets: [...event.targets], policyIds: [...event.policyIds] };
}

/** Runs a statement in `tx` and returns its rows as plain objects. */
export async function rows(tx: ManagedTransaction, text: string, params: Row): Promise<Row[]> {
  const result = await tx.run(text, params);
  return result.records.map((record) => record.toObject() as Row);
}

/** A node row (`id`, `props`) of a statement run for `label`. */
export function toNode(label: NodeLabel, row: Row): NodeRecord {
  return { label, id: String(row['id']), props: readProps(row['props'] as Row, NODE_SYSTEM_KEYS) };
}

/** An edge row (`from`, `to`, `key`, `props`) of a statement run for `triple`. */
export function toEdge(triple: EdgeTriple, row: Row): EdgeRecord {
  return {
    type: triple.type,
    from: String(row['from']),
    to: String(row['to']),
    fromLabel: triple.from,
    toLabel: triple.to,
    key: typeof row['key'] === 'string' ? row['key'] : '',
    props: readProps(row['props'] as Row, EDGE_SYSTEM_KEYS),
  };
}

function storageProblem(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `is ${String(value)}, not a finite number`;
    case 'object':
      return Array.isArray(value) ? listProblem(value) : 'is a nested object';
    default:
      return `is a ${typeof value}`;
  }
}

function listProblem(list: readonly unknown[]): string | undefined {
  const types = new Set<string>();
  for (const item of list) {
    if (item === null || typeof item === 'object') return `is a list holding ${item === null ? 'null' : Array.isArray(item) ? 'a list' : 'an object'}`;
    const problem = storageProblem(item);
    if (problem !== undefined) return `is a list whose item ${problem}`;
    types.add(typeof item);
  }
  return types.size > 1 ? `is a list mixing ${[...types].sort().join(' and ')}` : undefined;
}
