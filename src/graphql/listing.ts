/**
 * `identities(filter)` and `services(filter)`: every node of a label from the projection, by id, filtered
 * on the adjacency (ownerless) and on properties loaded in chunks through the node loader (one store call
 * per chunk). A page scans only until it is full; `totalCount` scans everything, and only when asked.
 */
import { isLiveAt } from '../model/liveness.js';
import type { Props } from '../model/properties.js';
import type { NodeLabel } from '../model/vocabulary.js';
import type { Adjacency } from '../paths/adjacency.js';
import type { Projection } from '../projection/projection.js';
import { pageInfoOf, pageOf, type Connection, type ConnectionEdge, type PageArgs } from './connection.js';
import type { GraphqlContext } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { MAX_BATCH } from './loaders.js';
import type { NodeRef } from './node-ref.js';

/** A filter split by what it needs: the topology alone, or the properties too. */
export interface ListFilter {
  /** False drops the node without loading anything. */
  readonly byTopology?: (node: number) => boolean;
  /** Present when some condition needs the node's properties. */
  readonly byProps?: (id: string, props: Props) => boolean;
}

export interface IdentityFilter {
  readonly kind?: string | null;
  readonly environment?: string | null;
  readonly status?: string | null;
  readonly ownerless?: boolean | null;
  readonly search?: string | null;
}

export interface ServiceFilter {
  readonly environment?: string | null;
  readonly criticality?: string | null;
  readonly status?: string | null;
  readonly search?: string | null;
}

/** The `identities` listing's filter over the projection and the props. */
export function identityFilter(adj: Adjacency, filter: IdentityFilter = {}, at: number = Date.now()): ListFilter {
  const ownerless = filter.ownerless ?? undefined;
  return {
    byTopology: ownerless === undefined ? undefined : (node) => !hasOwner(adj, node, at) === ownerless,
    byProps: propsFilter({ kind: filter.kind, environment: filter.environment, status: filter.status }, filter.search),
  };
}

/** The `services` listing's filter over the props. */
export function serviceFilter(filter: ServiceFilter = {}): ListFilter {
  return { byProps: propsFilter({ environment: filter.environment, criticality: filter.criticality, status: filter.status }, filter.search) };
}

/**
 * One page of the nodes of `label` that pass `filter`, by id; the cursor is the id.
 * @throws IdGraphError BAD_USER_INPUT for a bad `first` or `after`.
 */
export async function listNodes(ctx: GraphqlContext, label: NodeLabel, filter: ListFilter, args: PageArgs): Promise<Connection<NodeRef>> {
  const page = pageOf(args, ctx.deps.limits);
  const after = page.after === undefined ? undefined : (decodeCursor('node', page.after, ['string'])[0] as string);
  const candidates = sortedCandidates(ctx, label, filter);
  const start = after === undefined ? 0 : firstAbove(candidates, after);
  // One more than the page tells whether there is a next page.
  const matches = await scan(ctx, candidates, start, filter, page.first + 1);
  const edges: ConnectionEdge<NodeRef>[] = matches.slice(0, page.first).map((id) => ({ node: { id, label }, cursor: encodeCursor('node', [id]) }));
  const totalCount = async (): Promise<number> => (await scan(ctx, candidates, 0, filter, Infinity)).length;
  ctx.budget.take(edges.length);
  return { edges, pageInfo: pageInfoOf(edges, matches.length > page.first, page), totalCount };
}

/** The ids of the label's nodes that pass the topology filter, sorted. */
function sortedCandidates(ctx: GraphqlContext, label: NodeLabel, filter: ListFilter): string[] {
  const { projection } = ctx.deps;
  const ids: string[] = [];
  for (const node of sortedOfLabel(projection, label)) {
    if (filter.byTopology === undefined || filter.byTopology(node)) ids.push(projection.idOf(node));
  }
  return ids;
}

/**
 * The label's nodes sorted by id, kept per projection and rebuilt only when the label gains nodes (nodes
 * are never removed), so that a listing does not sort every node of its label on every request.
 */
const sortedIndex = new WeakMap<Projection, Map<NodeLabel, readonly number[]>>();

function sortedOfLabel(projection: Projection, label: NodeLabel): readonly number[] {
  let byLabel = sortedIndex.get(projection);
  if (byLabel === undefined) sortedIndex.set(projection, (byLabel = new Map()));
  const nodes = projection.nodesOfLabel(label);
  let sorted = byLabel.get(label);
  if (sorted === undefined || sorted.length !== nodes.length) {
    const ids = nodes.map((node) => projection.idOf(node));
    sorted = nodes.map((_, i) => i).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0)).map((i) => nodes[i]!);
    byLabel.set(label, sorted);
  }
  return sorted;
}

/** Up to `limit` ids from `start` on that pass the property filter, loading props a chunk at a time. */
async function scan(ctx: GraphqlContext, ids: readonly string[], start: number, filter: ListFilter, limit: number): Promise<string[]> {
  const { byProps } = filter;
  if (byProps === undefined) return ids.slice(start, start + limit);
  const found: string[] = [];
  for (let at = start; at < ids.length && found.length < limit; at += MAX_BATCH) {
    const chunk = ids.slice(at, at + MAX_BATCH);
    const records = await ctx.loaders.node.loadMany(chunk);
    chunk.forEach((id, i) => {
      const record = records[i];
      if (found.length < limit && record && !(record instanceof Error) && byProps(id, record.props)) found.push(id);
    });
  }
  return found;
}

/** Owned now: a live OWNS edge (a reassignment revokes the old one) from a live owner. */
function hasOwner(adj: Adjacency, node: number, at: number): boolean {
  let owned = false;
  adj.forEachIn(node, (e) => {
    const owner = adj.edgeFrom(e);
    owned ||= adj.edgeType(e) === 'OWNS' && isLiveAt(adj.edgeStart(e), adj.edgeEnd(e), at) && isLiveAt(adj.nodeStart(owner), adj.nodeEnd(owner), at);
  });
  return owned;
}

/** The index of the first id greater than `after` (binary search over sorted ids). */
function firstAbove(ids: readonly string[], after: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Exact matches on the given properties and a case-insensitive search of id and name; undefined when none is set. */
function propsFilter(exact: Readonly<Record<string, string | null | undefined>>, search: string | null | undefined): ListFilter['byProps'] {
  const wanted = Object.entries(exact).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== null);
  const needle = search?.toLowerCase();
  if (wanted.length === 0 && needle === undefined) return undefined;
  return (id, props) =>
    wanted.every(([key, value]) => props[key] === value) &&
    (needle === undefined || id.toLowerCase().includes(needle) || String(props['name'] ?? '').toLowerCase().includes(needle));
}
