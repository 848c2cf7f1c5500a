/**
 * How a node travels between resolvers: its id and label, which the projection knows without a store
 * call, and its properties once loaded. Property fields load them through the request's node loader, so a
 * query that asks only for ids and labels never touches the store.
 */
import { invariant } from '../model/errors.js';
import type { Props } from '../model/properties.js';
import type { NodeLabel } from '../model/vocabulary.js';
import type { Adjacency } from '../paths/adjacency.js';
import type { GraphqlContext } from './context.js';

export interface NodeRef {
  readonly id: string;
  readonly label: NodeLabel;
  /** Present when the record was already loaded (entity references). */
  readonly props?: Props;
  /** False for an entity reference this graph does not hold (a stub with only id and label). */
  readonly known?: boolean;
}

/** The ref of node index `node`. */
export function refAt(adj: Adjacency, node: number): NodeRef {
  return { id: adj.idOf(node), label: adj.labelOf(node) };
}

/**
 * The ref of the node `id` when it exists (with `label`, when given), else null.
 * @example lookupRef(projection, 'svc:payments', 'Service')
 */
export function lookupRef(adj: Adjacency, id: string, label?: NodeLabel): NodeRef | null {
  const node = adj.indexOf(id);
  if (node === undefined) return null;
  const ref = refAt(adj, node);
  return label === undefined || ref.label === label ? ref : null;
}

/**
 * The properties of a node, through the request's loader.
 * @throws IdGraphError INTERNAL when the projection knows a node that the store does not: the store is
 * written first, so that is a bug.
 */
export async function propsOf(ctx: GraphqlContext, ref: NodeRef): Promise<Props> {
  if (ref.props !== undefined) return ref.props;
  const record = await ctx.loaders.node.load(ref.id);
  invariant(record !== null, `node ${JSON.stringify(ref.id)} is in the projection but not in the store`);
  return record.props;
}
