/**
 * What a caller of the gateway may read of an error. The gateway relays subgraphs' errors, and a
 * subgraph's internal failure can carry anything (a database URL with its password, a stack trace): an
 * error without a client-facing code is masked, and no error carries a stack trace or an exception.
 */
import type { GraphQLFormattedError } from 'graphql';

/** Codes whose message is written for the caller, ours and Apollo's. */
const CLIENT_CODES: ReadonlySet<string> = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'POLICY_DENIED',
  'UNAVAILABLE',
  'SUBGRAPH_UNAVAILABLE',
]);

/**
 * Apollo Server's `formatError` for the gateway.
 * @example new ApolloServer({ gateway, formatError: formatGatewayError })
 */
export function formatGatewayError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const { stacktrace: _stacktrace, exception: _exception, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
  const code = typeof extensions['code'] === 'string' ? extensions['code'] : undefined;
  if (code !== undefined && CLIENT_CODES.has(code)) return { ...formatted, extensions };
  const service = typeof extensions['serviceName'] === 'string' ? ` in subgraph "${extensions['serviceName']}"` : '';
  return {
    message: `Internal server error${service}`,
    ...(formatted.path === undefined ? {} : { path: formatted.path }),
    extensions: { code: 'INTERNAL_SERVER_ERROR', ...(service === '' ? {} : { serviceName: extensions['serviceName'] }) },
  };
}
