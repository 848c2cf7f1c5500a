/**
 * The grant on an edge (DESIGN.md: grant edges carry origin, domain, status and the grant times), loaded
 * through the request's edge loader. Only edge types whose properties include the grant fields are asked
 * for; structural edges (OWNS, ON, …) resolve to null without a store call.
 */
import { edgeInterval, isLiveAt } from '../model/liveness.js';
import { EDGE_PROPS, type Props } from '../model/properties.js';
import type { EdgeKey } from '../model/records.js';
import { EDGE_TYPES, type EdgeType } from '../model/vocabulary.js';
import type { GraphqlContext } from './context.js';

/**
 * The Grant object: the edge's properties as stored (GraphQL's default resolvers read them) and `live`,
 * which the default resolver calls with the field's arguments.
 */
export type GrantObject = Props & { readonly live: (args: { readonly at?: Date | null }) => boolean };

/** Edge types whose schema carries the grant fields (MEMBER_OF, HAS_ROLE, CAN_ASSUME, INHERITS, GRANTS). */
const GRANT_BEARING: ReadonlySet<EdgeType> = new Set(EDGE_TYPES.filter((type) => 'grantedAt' in EDGE_PROPS[type].shape));

/**
 * The grant on `edge`: for an edge type that carries grant properties, even when none is set (such an edge
 * is a grant that is always live); null for a structural edge, or one the store does not have.
 * @example await grantOf(ctx, { type: 'HAS_ROLE', from: 'human:sven', to: 'role:ledger-reader', key: '' })
 */
export async function grantOf(ctx: GraphqlContext, edge: EdgeKey | undefined): Promise<GrantObject | null> {
  if (edge === undefined || !GRANT_BEARING.has(edge.type)) return null;
  const record = await ctx.loaders.edge.load(edge);
  if (record === null) return null;
  const interval = edgeInterval(record.type, record.props);
  return {
    ...record.props,
    live: ({ at }) => isLiveAt(interval.start, interval.end, at?.getTime() ?? ctx.now),
  };
}

/** The `grant` resolver of every connection edge type. */
export function edgeGrantResolver(parent: { readonly edge?: EdgeKey | undefined }, _args: unknown, ctx: GraphqlContext): Promise<GrantObject | null> {
  return grantOf(ctx, parent.edge);
}
