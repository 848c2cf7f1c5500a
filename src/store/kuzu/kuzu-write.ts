/**
 * One write batch as one Kuzu transaction: a check that no node id changes label, nodes by label, then
 * edges by (type, from label, to label), in UNWIND chunks, then the audit event. Any failure rolls
 * everything back.
 */
import type { AuditEvent } from '../../model/audit-chain.js';
import { IdGraphError } from '../../model/errors.js';
import type { EdgeRecord, NodeRecord } from '../../model/records.js';
import { NODE_LABELS, allowsEndpoints, type EdgeType, type NodeLabel } from '../../model/vocabulary.js';
import type { WriteBatch } from '../port.js';
import { statement } from '../statements.js';
import { auditParams, propsText } from './kuzu-rows.js';
import type { KuzuSession } from './kuzu-session.js';
import { checkBatchLabels, checkHeldLabels } from '../label-conflicts.js';

/** Rows per UNWIND: large enough to amortize a statement, small enough to bound its parameter list. */
export const MAX_ROWS_PER_STATEMENT = 2000;

/** Edges of one rel table pair, as upsert_edges takes them. */
interface EdgeGroup {
  readonly type: EdgeType;
  readonly fromLabel: NodeLabel;
  readonly toLabel: NodeLabel;
  readonly edges: EdgeRecord[];
}

/**
 * Writes `batch` and appends `event` (already sequenced and hashed) in one transaction.
 * @throws IdGraphError BAD_USER_INPUT for an edge whose label pair its type does not allow (before any
 *   write); CONFLICT when an edge endpoint does not exist, or a node id is given a second label (`node
 *   "x" is an Identity in the store; it cannot also be a Service`); Kuzu's own error otherwise. Nothing
 *   is written when it throws.
 */
export function writeBatch(session: KuzuSession, batch: WriteBatch, event: AuditEvent): void {
  const nodeGroups = groupBy(batch.nodes, (node) => node.label);
  const edgeGroups = groupEdges(batch.edges);
  checkBatchLabels(batch.nodes);
  session.transaction(() => {
    checkStoreLabels(session, batch.nodes);
    for (const [label, nodes] of nodeGroups) {
      const text = statement('kuzu', 'upsert_nodes', { label });
      for (const part of chunks(nodes)) {
        session.all(text, { rows: part.map((node) => ({ id: node.id, props: propsText(node.props) })), seq: event.sequence });
      }
    }
    for (const group of edgeGroups) writeEdges(session, group, event.sequence);
    session.all(statement('kuzu', 'append_audit'), auditParams(event));
  });
}

function writeEdges(session: KuzuSession, group: EdgeGroup, seq: number): void {
  const text = statement('kuzu', 'upsert_edges', { type: group.type, from: group.fromLabel, to: group.toLabel });
  for (const part of chunks(group.edges)) {
    const rows = part.map((edge) => ({ from: edge.from, to: edge.to, key: edge.key, props: propsText(edge.props) }));
    const written = Number(session.all(text, { rows, seq })[0]?.['written'] ?? 0);
    // MERGE after a MATCH that finds no endpoint writes nothing and says nothing: the count tells.
    if (written < rows.length) throw missingEndpoint(session, group, part);
  }
}

/** The CONFLICT for the first edge of `edges` whose endpoint is missing (the transaction is still open). */
function missingEndpoint(session: KuzuSession, group: EdgeGroup, edges: readonly EdgeRecord[]): IdGraphError {
  const existingFrom = existingIds(session, group.fromLabel, edges.map((edge) => edge.from));
  const existingTo = existingIds(session, group.toLabel, edges.map((edge) => edge.to));
  for (const edge of edges) {
    const missing = !existingFrom.has(edge.from)
      ? { id: edge.from, label: group.fromLabel }
      : !existingTo.has(edge.to)
        ? { id: edge.to, label: group.toLabel }
        : undefined;
    if (missing !== undefined) {
      return new IdGraphError(
        'CONFLICT',
        `Edge ${edge.type} "${edge.from}" → "${edge.to}": node "${missing.id}" (${missing.label}) does not exist`,
      );
    }
  }
  return new IdGraphError('CONFLICT', `Edges ${group.type} ${group.fromLabel} → ${group.toLabel}: some were not written`);
}

function existingIds(session: KuzuSession, label: NodeLabel, ids: readonly string[]): Set<string> {
  const rows = session.all(statement('kuzu', 'get_nodes', { label }), { ids: [...new Set(ids)] });
  return new Set(rows.map((row) => String(row['id'])));
}

/**
 * Refuses a batch that writes an id the store holds under another label. Each label is its own table
 * with its own primary key, so Kuzu alone would keep both nodes; getNodes would then see only one. One
 * look-up per other table, for the ids the batch gives another label.
 */
function checkStoreLabels(session: KuzuSession, nodes: readonly NodeRecord[]): void {
  if (nodes.length === 0) return;
  const wanted = new Map(nodes.map((node) => [node.id, node.label]));
  const held = new Map<string, NodeLabel>();
  for (const label of NODE_LABELS) {
    const ids = [...wanted].filter(([, other]) => other !== label).map(([id]) => id);
    for (const part of chunks(ids)) {
      for (const id of existingIds(session, label, part)) held.set(id, label);
    }
  }
  checkHeldLabels(nodes, held);
}


/** Edges grouped by rel table pair, after checking every pair is one the schema has. */
function groupEdges(edges: readonly EdgeRecord[]): EdgeGroup[] {
  const problems = edges.filter((edge) => !allowsEndpoints(edge.type, edge.fromLabel, edge.toLabel));
  if (problems.length > 0) {
    const shown = problems
      .slice(0, 5)
      .map((edge) => `${edge.type} "${edge.from}" → "${edge.to}": ${edge.type} does not join ${edge.fromLabel} to ${edge.toLabel}`);
    throw new IdGraphError('BAD_USER_INPUT', `${problems.length} edge(s) with label pairs their type does not allow: ${shown.join('; ')}`);
  }
  const groups = groupBy(edges, (edge) => `${edge.type} ${edge.fromLabel} ${edge.toLabel}`);
  return [...groups.values()].map((list) => {
    const first = list[0]!;
    return { type: first.type, fromLabel: first.fromLabel, toLabel: first.toLabel, edges: list };
  });
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += MAX_ROWS_PER_STATEMENT) {
    yield items.slice(start, start + MAX_ROWS_PER_STATEMENT);
  }
}
