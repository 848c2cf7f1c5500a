/**
 * The GraphQL layer: a Federation 2 subgraph over the projection (topology, path queries) and the store
 * (properties, in batches). The server builds the schema once and a context per request:
 *
 * @example
 * const server = new ApolloServer<GraphqlContext>({ schema: buildSchema(), formatError });
 * // per request:
 * const context = createContext({ store, projection, limits: DEFAULT_LIMITS }, { requestId });
 */
export { DEFAULT_LIMITS, createContext, type ApiLimits, type GraphqlContext, type GraphqlDeps, type PathQueryName } from './context.js';
export { buildSchema, printedSchema } from './build-schema.js';
export { formatError } from './format-error.js';
export { PRINTED_SCHEMA_FILE, SCHEMA_DIR } from './schema-files.js';
export { RULES, authorize } from './authorization.js';
