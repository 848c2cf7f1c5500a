/**
 * How the gateway calls a subgraph: as the caller (their Authorization header, which ApolloGateway does
 * not forward by itself, so each subgraph still authorizes the end user), and without leaking the
 * subgraph's internal URL when it fails (the default error reads "request to http://10.0.3.7:4002/ failed,
 * reason: connect ECONNREFUSED …").
 */
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { IdGraphError } from '../model/errors.js';

/** The part of the gateway's context a subgraph call reads. */
export interface AuthorizationContext {
  /** The caller's Authorization header, verbatim; absent for an anonymous caller. */
  readonly authorization?: string | undefined;
  /** The request's id: each subgraph logs and audits under the id the caller got back. */
  readonly requestId?: string | undefined;
}

/** The error code of a subgraph that could not be reached or did not answer GraphQL. */
export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

/**
 * A `RemoteGraphQLDataSource` for one subgraph. An incoming operation carries the context's
 * `authorization` and `requestId` (as `x-request-id`) to the subgraph (schema loading and health checks carry none). A failed call becomes
 * `Subgraph "<name>" is unavailable` (code SUBGRAPH_UNAVAILABLE, `serviceName`); a 401 or 403 keeps its
 * code (UNAUTHENTICATED, FORBIDDEN) and loses the response's URL and body. The original error stays the
 * `originalError`, for logs.
 * @example buildService: ({ name, url }) => new SubgraphDataSource({ name, url })
 */
export class SubgraphDataSource<Ctx extends AuthorizationContext = AuthorizationContext> extends RemoteGraphQLDataSource<Ctx & Record<string, unknown>> {
  readonly name: string;
  /** Whether the caller's Authorization header goes to this subgraph (the request id always does). */
  readonly forwardAuthorization: boolean;

  /** @throws IdGraphError BAD_USER_INPUT when the subgraph has no URL. */
  constructor(subgraph: { readonly name: string; readonly url?: string | undefined; readonly forwardAuthorization?: boolean | undefined }) {
    if (subgraph.url === undefined || subgraph.url === '') throw new IdGraphError('BAD_USER_INPUT', `Subgraph "${subgraph.name}" has no URL`);
    super({ url: subgraph.url });
    this.name = subgraph.name;
    this.forwardAuthorization = subgraph.forwardAuthorization ?? true;
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<Ctx & Record<string, unknown>>): void {
    // Only an incoming operation has a caller (its enum, GraphQLDataSourceRequestKind, is not exported).
    if (!('incomingRequestContext' in options)) return;
    const { authorization, requestId } = options.context;
    if (this.forwardAuthorization && typeof authorization === 'string' && authorization !== '') options.request.http?.headers.set('authorization', authorization);
    if (typeof requestId === 'string' && requestId !== '') options.request.http?.headers.set('x-request-id', requestId);
  }

  override didEncounterError(error: Error): never {
    // Read, not `instanceof GraphQLError`: RemoteGraphQLDataSource builds it with its own copy of graphql.
    const extensions = (error as { extensions?: { code?: unknown; response?: { status?: unknown } } }).extensions;
    const code = extensions?.code;
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') {
      const status = extensions?.response?.status;
      throw new GraphQLError(`Subgraph "${this.name}" refused the request${typeof status === 'number' ? ` (HTTP ${status})` : ''}`, {
        extensions: { code, serviceName: this.name },
        originalError: error,
      });
    }
    throw new GraphQLError(`Subgraph "${this.name}" is unavailable`, { extensions: { code: SUBGRAPH_UNAVAILABLE, serviceName: this.name }, originalError: error });
  }
}

/**
 * The `buildService` of a gateway: one `SubgraphDataSource` per subgraph.
 * @throws IdGraphError BAD_USER_INPUT when `url` is empty.
 * @example new ApolloGateway({ supergraphSdl, buildService: ({ name, url }) => createSubgraphDataSource(name, url!) })
 */
export function createSubgraphDataSource<Ctx extends AuthorizationContext = AuthorizationContext>(
  name: string,
  url: string,
  options: { readonly forwardAuthorization?: boolean | undefined } = {},
): SubgraphDataSource<Ctx> {
  return new SubgraphDataSource<Ctx>({ name, url, forwardAuthorization: options.forwardAuthorization });
}
