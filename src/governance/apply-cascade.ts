/**
 * Turns a cascade plan into the records of one store write: each patch merged over the record as stored.
 * Pure; the caller loads the records the plan names (one batch of nodes, one of edges) and writes the result
 * with one audit event.
 */
import { IdGraphError } from '../model/errors.js';
import { edgeKeyString, type EdgeKey, type EdgeRecord, type NodeRecord } from '../model/records.js';
import type { CascadePlan } from './cascade.js';

/** Stored records by id and by edge key; undefined when there is no such record. */
export interface StoredRecords {
  readonly node: (id: string) => NodeRecord | undefined;
  readonly edge: (edge: EdgeKey) => EdgeRecord | undefined;
}

/** What to write: whole records (the store replaces props whole), and the OWNS edges a reassignment removes. */
export interface CascadeWrite {
  /** Patched nodes, in plan order. */
  readonly nodes: NodeRecord[];
  /** Patched edges in plan order, then the added ones. */
  readonly edges: EdgeRecord[];
}

/**
 * Merges every patch of `plan` over the stored record it names.
 * @throws IdGraphError CONFLICT naming the first record that the plan names and the store does not have
 * (the graph changed under the plan: plan again).
 * @example
 * const [nodes, edges] = [await store.getNodes(plan.nodes.map((n) => n.id)), await store.getEdges(plan.edges)];
 * const write = applyCascade(plan, recordsOf(nodes, edges));
 */
export function applyCascade(plan: CascadePlan, stored: StoredRecords): CascadeWrite {
  const nodes = plan.nodes.map((change): NodeRecord => {
    const record = stored.node(change.id);
    if (record === undefined) throw conflict(`node ${JSON.stringify(change.id)}`);
    return { ...record, props: { ...record.props, ...change.patch } };
  });
  const edges = plan.edges.map((change): EdgeRecord => {
    const record = stored.edge(change);
    if (record === undefined) throw conflict(`edge ${describe(change)}`);
    return { ...record, props: { ...record.props, ...change.patch } };
  });
  return { nodes, edges: [...edges, ...plan.added] };
}

/**
 * A `StoredRecords` over records in memory (tests, tools, and a caller that fetched a batch).
 * @example storedRecordsOf(await store.getNodes(ids), await store.getEdges(keys))
 */
export function storedRecordsOf(nodes: Iterable<NodeRecord | undefined>, edges: Iterable<EdgeRecord | undefined>): StoredRecords {
  const byId = new Map<string, NodeRecord>();
  for (const node of nodes) if (node !== undefined) byId.set(node.id, node);
  const byKey = new Map<string, EdgeRecord>();
  for (const edge of edges) if (edge !== undefined) byKey.set(edgeKeyString(edge), edge);
  return { node: (id) => byId.get(id), edge: (key) => byKey.get(edgeKeyString(key)) };
}

function conflict(what: string): IdGraphError {
  return new IdGraphError('CONFLICT', `The cascade plan names ${what}, which the store does not have; plan again`);
}

function describe(edge: EdgeKey): string {
  return `${edge.type} ${JSON.stringify(edge.from)} → ${JSON.stringify(edge.to)}${edge.key === '' ? '' : ` (${JSON.stringify(edge.key)})`}`;
}
