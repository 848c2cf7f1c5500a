/**
 * Resolvers of the node types and the node lookups: lookups answer from the projection (which knows every
 * id and label), relation fields from its adjacency, federation references through the node loader.
 * Property fields are not here: `build-schema.ts` gives every unclaimed field of a node type a resolver
 * that reads the property of the same name.
 */
import { IdGraphError, badInput } from '../model/errors.js';
import { NODE_LABELS, type NodeLabel } from '../model/vocabulary.js';
import type { PageArgs } from './connection.js';
import type { GraphqlContext } from './context.js';
import { edgeGrantResolver } from './grant.js';
import { identityFilter, listNodes, serviceFilter, type IdentityFilter, type ServiceFilter } from './listing.js';
import { lookupRef, propsOf, type NodeRef } from './node-ref.js';
import { nodeBlastRadiusResolver, nodeReachResolver } from './path-queries.js';
import { neighbourConnection, neighbours, relationResolver, serviceIdentities, RELATIONS } from './relations.js';

type Resolver = (parent: never, args: never, ctx: GraphqlContext) => unknown;
type TypeResolvers = Record<string, Resolver>;

/** The node types that other subgraphs can reference by id (`@key(fields: "id")` in the SDL). */
export const ENTITY_TYPES: readonly NodeLabel[] = ['Identity', 'Service', 'Owner', 'Credential'];

/** Node lookups and listings. */
export const nodeQueryResolvers: TypeResolvers = {
  node: (_: unknown, { id }: { id: string }, ctx: GraphqlContext) => lookupRef(ctx.deps.projection, id),
  nodes: (_: unknown, { ids }: { ids: readonly string[] }, ctx: GraphqlContext) => {
    const max = ctx.deps.limits.maxFirst;
    if (ids.length > max) {
      throw badInput(`ids must list at most ${max} ids, got ${ids.length}`, [{ path: 'ids', message: `must list at most ${max} ids, got ${ids.length}` }]);
    }
    return ids.map((id) => lookupRef(ctx.deps.projection, id));
  },
  ...Object.fromEntries(NODE_LABELS.map((label) => [lowerFirst(label), lookupOf(label)])),
  identities: (_: unknown, args: PageArgs & { filter?: IdentityFilter | null }, ctx: GraphqlContext) =>
    listNodes(ctx, 'Identity', identityFilter(ctx.deps.projection, args.filter ?? {}, ctx.now), args),
  services: (_: unknown, args: PageArgs & { filter?: ServiceFilter | null }, ctx: GraphqlContext) =>
    listNodes(ctx, 'Service', serviceFilter(args.filter ?? {}), args),
};

/** The fields of each node type that are not plain properties, and the `grant` of every connection edge. */
export function nodeTypeResolvers(): Record<string, TypeResolvers> {
  const types: Record<string, TypeResolvers> = {
    Node: { __resolveType: (ref: NodeRef) => ref.label },
  };
  for (const label of NODE_LABELS) {
    const relations = RELATIONS[label] ?? {};
    types[label] = Object.fromEntries(Object.entries(relations).map(([field, relation]) => [field, relationResolver(relation)]));
    types[`${label}Edge`] = { grant: edgeGrantResolver };
  }
  types['NodeEdge'] = { grant: edgeGrantResolver };
  for (const label of ENTITY_TYPES) {
    types[label]!['__resolveReference'] = referenceResolver(label);
    types[label]!['known'] = (ref: NodeRef) => ref.known !== false;
  }
  Object.assign(types['Identity']!, { reach: nodeReachResolver, blastRadius: nodeBlastRadiusResolver });
  Object.assign(types['Credential']!, { reach: nodeReachResolver, blastRadius: nodeBlastRadiusResolver });
  Object.assign(types['Vendor']!, { blastRadius: nodeBlastRadiusResolver });
  Object.assign(types['Service']!, {
    blastRadius: nodeBlastRadiusResolver,
    identities: (ref: NodeRef, args: PageArgs, ctx: GraphqlContext) =>
      neighbourConnection(ctx, ref.known === false ? [] : serviceIdentities(ctx.deps.projection, ref.id), args),
  });
  Object.assign(types['Scope']!, {
    service: (ref: NodeRef, _: unknown, ctx: GraphqlContext): NodeRef | null => {
      const services = neighbours(ctx.deps.projection, ref.id, { direction: 'out', type: 'ON' }).map((n) => n.node);
      // A scope acts on one service; should the data say more, the smallest id is the deterministic pick.
      return services.sort((a, b) => (a.id < b.id ? -1 : 1))[0] ?? null;
    },
  });
  Object.assign(types['Role']!, {
    service: async (ref: NodeRef, _: unknown, ctx: GraphqlContext): Promise<NodeRef | null> => {
      const service = (await propsOf(ctx, ref))['service'];
      return typeof service === 'string' ? lookupRef(ctx.deps.projection, service, 'Service') : null;
    },
  });
  return types;
}

/**
 * Resolves a federation reference through the node loader, so that one `_entities` request makes one
 * store call per batch of representations; an unknown id, or one of another label, resolves to a stub with `known: false`.
 */
function referenceResolver(label: NodeLabel) {
  return async (reference: { readonly id: unknown }, ctx: GraphqlContext): Promise<NodeRef | null> => {
    if (typeof reference.id !== 'string' || reference.id.length === 0) {
      throw new IdGraphError('BAD_USER_INPUT', `A ${label} representation needs a non-empty string id, got ${JSON.stringify(reference.id) ?? 'nothing'}`);
    }
    ctx.budget.take(1);
    const record = await ctx.loaders.node.load(reference.id);
    // Another subgraph may name a node this graph does not hold: a stub keeps the rest of that
    // subgraph's answer (a null entity would null its non-null fields and fail the whole response).
    return record?.label === label ? { id: record.id, label, props: record.props } : { id: reference.id, label, props: {}, known: false };
  };
}

function lookupOf(label: NodeLabel) {
  return (_: unknown, { id }: { id: string }, ctx: GraphqlContext): NodeRef | null => lookupRef(ctx.deps.projection, id, label);
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
