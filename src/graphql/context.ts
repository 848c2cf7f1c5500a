/**
 * What every resolver gets: the store and projection it reads, the limits it enforces, and this request's
 * DataLoaders. Loaders are made per request (STYLE 5), so a batch never mixes callers and a cached record
 * never outlives the request that read it.
 */
import type { Caller } from '../auth/caller.js';
import type { Thresholds } from '../findings/index.js';
import type { GovernanceDeps } from '../governance/grant-mutations.js';
import type { QueryStats } from '../paths/index.js';
import type { Projection } from '../projection/projection.js';
import type { GraphStore } from '../store/port.js';
import type { NodeLabel } from '../model/vocabulary.js';
import { createLoaders, type Loaders } from './loaders.js';
import { RequestBudget } from './request-budget.js';

/** The caps a public API needs; the server takes them from its configuration. */
export interface ApiLimits {
  /** The largest `first` (and `nodes(ids)` length) a caller may ask for. */
  readonly maxFirst: number;
  /** The time budget of all the path queries of one request, in milliseconds. */
  readonly queryTimeoutMs: number;
  /** The most path queries one request may run (nested ones included). */
  readonly maxPathQueries: number;
  /** The most items (connection edges, path entries) one request may return in all. */
  readonly maxItems: number;
}

/** The path queries, as `observe` names them. */
export type PathQueryName = 'reach' | 'whoCan' | 'explain' | 'path' | 'blastRadius';

/** What the GraphQL layer needs from the composition root. */
export interface GraphqlDeps {
  readonly store: GraphStore;
  readonly projection: Projection;
  readonly limits: ApiLimits;
  /** The write side: absent on a read-only server, where mutations answer UNAVAILABLE. */
  readonly governance?: GovernanceDeps | undefined;
  /** The thresholds of the posture rules (`findings`, `postureSummary`); the documented defaults when absent. */
  readonly findingThresholds?: Thresholds | undefined;
  /** Told the work of every path query that completes (for metrics). */
  readonly observe?: (query: PathQueryName, stats: QueryStats) => void;
}

export interface GraphqlContext {
  readonly deps: GraphqlDeps;
  readonly requestId: string;
  /** Who is asking, as authenticated by the server (src/auth); the rules of authorization.ts read it. */
  readonly caller: Caller;
  readonly loaders: Loaders;
  /** The request's "now" in epoch ms: every default `at` and `live` in one response agrees on it. */
  readonly now: number;
  readonly budget: RequestBudget;
}

export const DEFAULT_LIMITS: ApiLimits = { maxFirst: 500, queryTimeoutMs: 5000, maxPathQueries: 20, maxItems: 50_000 };

/**
 * The context of one request, with fresh loaders.
 * @example new ApolloServer<GraphqlContext>({ schema: buildSchema(), formatError }); // then, per request:
 * createContext({ store, projection, limits: DEFAULT_LIMITS }, { requestId: randomUUID() })
 */
export function createContext(deps: GraphqlDeps, request: { readonly requestId: string; readonly caller: Caller }, now: () => number = Date.now): GraphqlContext {
  const at = now();
  return { deps, requestId: request.requestId, caller: request.caller, loaders: createLoaders(deps.store, (id) => labelIn(deps.projection, id)), now: at, budget: new RequestBudget(deps.limits, Date.now()) };
}

/** The label the projection knows for an id: a hint for the store's look-up. */
function labelIn(projection: Projection, id: string): NodeLabel | undefined {
  const node = projection.indexOf(id);
  return node === undefined ? undefined : projection.labelOf(node);
}
