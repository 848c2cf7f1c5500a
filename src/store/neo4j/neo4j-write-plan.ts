/**
 * A write batch as the statements of one Neo4j transaction: rows grouped by label or by (type, from
 * label, to label), because Cypher takes labels and types only as literal text, and cut into chunks so
 * that no single statement carries an unbounded parameter list. Pure, so it is tested without a server;
 * every problem is found here, before the transaction opens.
 */
import { badInput, formatIssue, type Issue } from '../../model/errors.js';
import type { EdgeRecord, NodeRecord } from '../../model/records.js';
import { allowsEndpoints, isEdgeType, isNodeLabel, type NodeLabel } from '../../model/vocabulary.js';
import type { WriteBatch } from '../port.js';
import type { EdgeTriple } from './neo4j-statements.js';
import { EDGE_SYSTEM_KEYS, NODE_SYSTEM_KEYS, storableProps, type StorableValue } from './neo4j-values.js';

/** A row of `upsert_nodes`. */
export interface NodeRow {
  readonly id: string;
  readonly props: Record<string, StorableValue>;
}

/** A row of `upsert_edges`; `i` is its index in the batch, returned for the rows whose endpoints matched. */
export interface EdgeRow {
  readonly i: number;
  readonly from: string;
  readonly to: string;
  readonly key: string;
  readonly props: Record<string, StorableValue>;
}

/** The rows of one write transaction's upserts, in the order they run. */
export interface WritePlan {
  readonly nodes: readonly { readonly label: NodeLabel; readonly rows: readonly NodeRow[] }[];
  readonly edges: readonly (EdgeTriple & { readonly rows: readonly EdgeRow[] })[];
}

/** Rows per statement: large enough to amortise the round trip, small enough for the server's heap. */
export const MAX_ROWS_PER_STATEMENT = 2000;

/**
 * The statements' rows for a batch, nodes before edges (edges match their endpoints, which may be in the
 * same batch), each group cut into chunks of at most `chunkSize` rows.
 * @throws IdGraphError BAD_USER_INPUT listing every prop that Neo4j cannot store (a nested object names
 *   its property), every unknown label or type, and every label pair the edge type does not allow.
 * @example planWrite({ nodes: [{ label: 'Group', id: 'grp:a', props: { name: 'a' } }], edges: [], audit })
 */
export function planWrite(batch: Pick<WriteBatch, 'nodes' | 'edges'>, chunkSize = MAX_ROWS_PER_STATEMENT): WritePlan {
  const issues: Issue[] = [];
  const nodeGroups = new Map<NodeLabel, NodeRow[]>();
  batch.nodes.forEach((node: NodeRecord, index) => {
    const path = `nodes[${index}]`;
    const { props, issues: found } = storableProps(node.props, `${path}.props`, NODE_SYSTEM_KEYS);
    issues.push(...found.map((issue) => ({ ...issue, message: `${issue.message} (node "${node.id}")` })));
    if (!isNodeLabel(node.label)) issues.push({ path: `${path}.label`, message: `unknown label "${String(node.label)}"` });
    else push(nodeGroups, node.label, { id: node.id, props });
  });
  const edgeGroups = new Map<string, EdgeTriple & { rows: EdgeRow[] }>();
  batch.edges.forEach((edge: EdgeRecord, i) => {
    const path = `edges[${i}]`;
    // An edge's `id` prop is its key, not a system key: only `_key` and `_seq` are reserved.
    const { props, issues: found } = storableProps(edge.props, `${path}.props`, EDGE_SYSTEM_KEYS);
    const name = `${edge.type} ${edge.from} -> ${edge.to}`;
    issues.push(...found.map((issue) => ({ ...issue, message: `${issue.message} (edge ${name})` })));
    const endpointIssue = checkEndpoints(edge);
    if (endpointIssue !== undefined) {
      issues.push({ path, message: endpointIssue });
      return;
    }
    const id = `${edge.type}\u0000${edge.fromLabel}\u0000${edge.toLabel}`;
    let group = edgeGroups.get(id);
    if (group === undefined) {
      group = { type: edge.type, from: edge.fromLabel, to: edge.toLabel, rows: [] };
      edgeGroups.set(id, group);
    }
    group.rows.push({ i, from: edge.from, to: edge.to, key: edge.key, props });
  });
  if (issues.length > 0) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw badInput(`Cannot write to Neo4j: ${formatIssue(issues[0]!)}${more}`, issues);
  }
  return {
    nodes: [...nodeGroups].flatMap(([label, rows]) => chunks(rows, chunkSize).map((chunk) => ({ label, rows: chunk }))),
    edges: [...edgeGroups.values()].flatMap(({ rows, ...triple }) =>
      chunks(rows, chunkSize).map((chunk) => ({ ...triple, rows: chunk })),
    ),
  };
}

function checkEndpoints(edge: EdgeRecord): string | undefined {
  if (!isEdgeType(edge.type)) return `unknown edge type "${String(edge.type)}"`;
  if (!isNodeLabel(edge.fromLabel)) return `unknown fromLabel "${String(edge.fromLabel)}"`;
  if (!isNodeLabel(edge.toLabel)) return `unknown toLabel "${String(edge.toLabel)}"`;
  if (!allowsEndpoints(edge.type, edge.fromLabel, edge.toLabel)) {
    return `${edge.type} does not join ${edge.fromLabel} to ${edge.toLabel}`;
  }
  return undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** `items` cut into consecutive slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}
