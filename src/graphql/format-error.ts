/**
 * The one mapping of errors to the wire (STYLE 7): an `IdGraphError` becomes `extensions.code` with its
 * message and issues; errors that Apollo and graphql-js classify themselves (parse, validation, variable
 * coercion, persisted queries) pass as they are; everything else is a bug or an unexpected failure and is
 * masked, so no message, stack or cause of an internal error reaches a caller.
 */
import type { GraphQLFormattedError } from 'graphql';
import { IdGraphError, type ErrorCode } from '../model/errors.js';

/** The codes of DESIGN.md (API conventions) that a caller may see. */
const PUBLIC_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'POLICY_DENIED',
  'CONFLICT',
  'UNAVAILABLE',
]);

/** Codes that Apollo Server sets on errors it raised itself, before any resolver ran. */
const APOLLO_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'INTROSPECTION_DISABLED',
]);

export const MASKED_MESSAGE = 'Internal server error';
/** What a caller reads when the store fails: its location and the driver's words stay in the log. */
export const STORE_UNAVAILABLE_MESSAGE = 'The store is unavailable; try again later';
/** UNAVAILABLE messages about the request itself, which the caller can act on, and which name nothing. */
const PUBLIC_UNAVAILABLE = /^(query exceeded its time budget|query aborted|query needs sequence \d+; this instance is at \d+: retry|Governance is not enabled on this server)$/;

/**
 * Apollo Server's `formatError` hook.
 * @example new ApolloServer<GraphqlContext>({ schema: buildSchema(), formatError })
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = originalOf(error);
  const where = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (original instanceof IdGraphError) {
    if (!PUBLIC_CODES.has(original.code)) return masked(where);
    const issues = original.issues.map(({ path, message, line }) => (line === undefined ? { path, message } : { path, message, line }));
    const message = original.code === 'UNAVAILABLE' && !PUBLIC_UNAVAILABLE.test(original.message) ? STORE_UNAVAILABLE_MESSAGE : original.message;
    return { message, ...where, extensions: { code: original.code, ...(issues.length > 0 ? { issues } : {}) } };
  }
  const code = formatted.extensions?.['code'];
  // A GraphQLError with a code was classified on purpose: by Apollo, graphql-js, or our own server code.
  if (typeof code === 'string' && (APOLLO_CODES.has(code) || PUBLIC_CODES.has(code))) return formatted;
  return masked(where);
}

/**
 * The error a resolver threw, unwrapped from the GraphQLError that graphql-js located it in. Read by
 * shape, like Apollo's `unwrapResolverError` but without `instanceof GraphQLError`: graphql 16 ships a
 * CommonJS and an ESM build, and a GraphQLError from the other build fails that check.
 */
function originalOf(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const { originalError, path } = error as { originalError?: unknown; path?: unknown };
  return path !== undefined && originalError instanceof Error ? originalError : error;
}

function masked(where: Pick<GraphQLFormattedError, 'locations' | 'path'>): GraphQLFormattedError {
  return { message: MASKED_MESSAGE, ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
