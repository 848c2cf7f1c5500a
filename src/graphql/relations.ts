/**
 * The walkable fields of the node types: each a Relay connection over the projection's adjacency, by
 * edge type and direction, ordered by neighbour id then edge key. The store is not asked: a page's
 * node properties and grants are loaded (in batches) only for the fields a query selects.
 */
import type { EdgeKey } from '../model/records.js';
import type { EdgeType } from '../model/vocabulary.js';
import type { Adjacency } from '../paths/adjacency.js';
import { pageOf, sliceConnection, type Connection, type PageArgs } from './connection.js';
import type { GraphqlContext } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { refAt, type NodeRef } from './node-ref.js';

/** Which edges a field walks: out of the node (it is `from`) or into it (it is `to`). */
export interface Relation {
  readonly direction: 'out' | 'in';
  readonly type: EdgeType;
}

/** A neighbour, with the edge that joins it (absent when the relation spans more than one edge). */
export interface Neighbour {
  readonly node: NodeRef;
  readonly edge?: EdgeKey;
}

/** The relation fields of each node type (DESIGN.md, The graph: edges). */
export const RELATIONS: Readonly<Record<string, Readonly<Record<string, Relation>>>> = {
  Identity: {
    credentials: { direction: 'in', type: 'AUTHENTICATES' },
    groups: { direction: 'out', type: 'MEMBER_OF' },
    roles: { direction: 'out', type: 'HAS_ROLE' },
    owners: { direction: 'in', type: 'OWNS' },
    canAssume: { direction: 'out', type: 'CAN_ASSUME' },
    assumableBy: { direction: 'in', type: 'CAN_ASSUME' },
    operatedBy: { direction: 'in', type: 'OPERATES' },
    services: { direction: 'in', type: 'RUNS_AS' },
  },
  Credential: {
    identities: { direction: 'out', type: 'AUTHENTICATES' },
    heldBy: { direction: 'in', type: 'HOLDS' },
    owners: { direction: 'in', type: 'OWNS' },
  },
  Group: {
    members: { direction: 'in', type: 'MEMBER_OF' },
    groups: { direction: 'out', type: 'MEMBER_OF' },
    roles: { direction: 'out', type: 'HAS_ROLE' },
  },
  Role: {
    inherits: { direction: 'out', type: 'INHERITS' },
    inheritedBy: { direction: 'in', type: 'INHERITS' },
    grants: { direction: 'out', type: 'GRANTS' },
    holders: { direction: 'in', type: 'HAS_ROLE' },
  },
  Scope: { roles: { direction: 'in', type: 'GRANTS' } },
  Service: {
    runsAs: { direction: 'out', type: 'RUNS_AS' },
    credentials: { direction: 'out', type: 'HOLDS' },
    scopes: { direction: 'in', type: 'ON' },
    owners: { direction: 'in', type: 'OWNS' },
  },
  Owner: { owns: { direction: 'out', type: 'OWNS' } },
  Vendor: { operates: { direction: 'out', type: 'OPERATES' } },
};

/** The neighbours of `id` along one relation, unsorted; none when the node is unknown. */
export function neighbours(adj: Adjacency, id: string, relation: Relation): Neighbour[] {
  const node = adj.indexOf(id);
  if (node === undefined) return [];
  const found: Neighbour[] = [];
  const visit = (e: number): void => {
    if (adj.edgeType(e) !== relation.type) return;
    const other = relation.direction === 'out' ? adj.edgeTo(e) : adj.edgeFrom(e);
    const edge = { type: relation.type, from: adj.idOf(adj.edgeFrom(e)), to: adj.idOf(adj.edgeTo(e)), key: adj.edgeKey(e) };
    found.push({ node: refAt(adj, other), edge });
  };
  if (relation.direction === 'out') adj.forEachOut(node, visit);
  else adj.forEachIn(node, visit);
  return found;
}

/**
 * The identities that act for a service: what it RUNS_AS, and whom the credentials it HOLDS
 * AUTHENTICATE; each identity once, with no edge (the relation spans two).
 */
export function serviceIdentities(adj: Adjacency, serviceId: string): Neighbour[] {
  const byId = new Map<string, NodeRef>();
  for (const { node } of neighbours(adj, serviceId, { direction: 'out', type: 'RUNS_AS' })) byId.set(node.id, node);
  for (const credential of neighbours(adj, serviceId, { direction: 'out', type: 'HOLDS' })) {
    for (const { node } of neighbours(adj, credential.node.id, { direction: 'out', type: 'AUTHENTICATES' })) byId.set(node.id, node);
  }
  return [...byId.values()].map((node) => ({ node }));
}

/**
 * One page of neighbours, ordered by neighbour id then edge key; the cursor names that pair, so paging
 * stays in place when edges are added before it.
 * @throws IdGraphError BAD_USER_INPUT for a bad `first` or `after`.
 */
export function neighbourConnection(ctx: GraphqlContext, found: Neighbour[], args: PageArgs): Connection<NodeRef> {
  const page = pageOf(args, ctx.deps.limits);
  const sorted = found.sort((a, b) => compareNeighbours(a.node.id, a.edge?.key ?? '', b.node.id, b.edge?.key ?? ''));
  let start = 0;
  if (page.after !== undefined) {
    const [id, key] = decodeCursor('edge', page.after, ['string', 'string']) as [string, string];
    while (start < sorted.length && compareNeighbours(sorted[start]!.node.id, sorted[start]!.edge?.key ?? '', id, key) <= 0) start++;
  }
  const connection = sliceConnection(sorted, start, page, (n) => ({
    node: n.node,
    edge: n.edge,
    cursor: encodeCursor('edge', [n.node.id, n.edge?.key ?? '']),
  }));
  ctx.budget.take(connection.edges.length);
  return connection;
}

/** The resolver of a relation field. */
export function relationResolver(relation: Relation) {
  return (ref: NodeRef, args: PageArgs, ctx: GraphqlContext): Connection<NodeRef> =>
    neighbourConnection(ctx, ref.known === false ? [] : neighbours(ctx.deps.projection, ref.id, relation), args);
}

function compareNeighbours(aId: string, aKey: string, bId: string, bKey: string): number {
  return aId < bId ? -1 : aId > bId ? 1 : aKey < bKey ? -1 : aKey > bKey ? 1 : 0;
}
