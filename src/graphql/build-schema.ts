/**
 * The executable subgraph schema: the SDL of `schema/` with the resolvers of this folder. Fields that no
 * resolver claims on a node type read the node property of the same name, so a property added to the SDL
 * needs no code.
 */
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import { DateTimeResolver, JSONResolver, SafeIntResolver } from 'graphql-scalars';
import { invariant } from '../model/errors.js';
import type { GraphqlContext } from './context.js';
import { nodeQueryResolvers, nodeTypeResolvers } from './node-resolvers.js';
import { propsOf, type NodeRef } from './node-ref.js';
import { pathQueryResolvers, pathTypeResolvers } from './path-queries.js';
import { findingsQueryResolvers, findingsTypeResolvers } from './findings-queries.js';
import { governanceQueryResolvers, governanceResolvers } from './governance-resolvers.js';
import { loadTypeDefs } from './schema-files.js';

/** Fields of a node type that come from the ref itself, not from the loaded properties. */
const REF_FIELDS = new Set(['id', 'label']);

/**
 * Builds the subgraph schema; the server calls it once at start.
 * @throws GraphQLError when the SDL does not parse or validate; IdGraphError INTERNAL when a node type has
 * a field with arguments that no resolver claims.
 * @example new ApolloServer<GraphqlContext>({ schema: buildSchema(), formatError })
 */
export function buildSchema(): GraphQLSchema {
  const typeDefs = loadTypeDefs();
  return buildSubgraphSchema([{ typeDefs, resolvers: resolversFor(typeDefs) as GraphQLResolverMap<unknown> }]);
}

/** The subgraph SDL as `npm run schema:print` writes it and a supergraph composes it. */
export function printedSchema(): string {
  return `${printSubgraphSchema(buildSchema()).trimEnd()}\n`;
}

/** Every resolver of the API, including a property reader for each unclaimed field of a node type. */
function resolversFor(typeDefs: DocumentNode): Record<string, unknown> {
  const types = nodeTypeResolvers();
  const nodeTypes = new Set(Object.keys(types).filter((name) => isNodeType(typeDefs, name)));
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    if (!nodeTypes.has(definition.name.value)) continue;
    const resolvers = types[definition.name.value]!;
    for (const field of definition.fields ?? []) {
      const name = field.name.value;
      if (REF_FIELDS.has(name) || name in resolvers) continue;
      invariant(!field.arguments?.length, `${definition.name.value}.${name} takes arguments but has no resolver`);
      resolvers[name] = propertyResolver(name);
    }
  }
  return {
    ...types,
    DateTime: DateTimeResolver,
    SafeInt: SafeIntResolver,
    JSON: JSONResolver,
    Query: { ...nodeQueryResolvers, ...pathQueryResolvers, ...governanceQueryResolvers, ...findingsQueryResolvers },
    ...pathTypeResolvers,
    ...governanceResolvers,
    ...findingsTypeResolvers,
  };
}

function propertyResolver(name: string) {
  return async (ref: NodeRef, _args: unknown, ctx: GraphqlContext): Promise<unknown> => (await propsOf(ctx, ref))[name] ?? null;
}

/** True for object types that implement `Node` in the SDL. */
function isNodeType(typeDefs: DocumentNode, name: string): boolean {
  return typeDefs.definitions.some(
    (d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === name && (d.interfaces ?? []).some((i) => i.name.value === 'Node'),
  );
}
