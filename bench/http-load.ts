/**
 * The API over HTTP: the real GraphQL server started in-process on loopback over the benchmark's store (it
 * builds its own projection, as `npm start` would), an analyst's local token, and the `blastRadius` query
 * a tool would send. First sequential latency, next to the same query without the fields that need store
 * reads and to a bare `/livez` round trip; then throughput with concurrent clients in a child process
 * (`load-client.ts`). Every response is checked: a non-2xx status, a body with GraphQL `errors`, a socket
 * error or a client timeout is an error.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mintLocalToken } from '../src/auth/index.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/server/logger.js';
import { startServer, type RunningServer } from '../src/server/start-server.js';
import { CountingStore } from '../src/store/counting-store.js';
import type { GraphStore } from '../src/store/port.js';
import type { LoadRequest, LoadResult } from './load-client.js';
import { median, medianPercentiles, percentiles, type Percentiles } from './percentiles.js';

export interface HttpOptions {
  /** Where the server's local signing key is kept (a temporary directory). */
  readonly keyDir: string;
  /** ISO time every query asks at. */
  readonly at: string;
  readonly runs: number;
  /** Sequential requests of each kind per run, unless the budget (first run) cuts them short. */
  readonly sequentialRequests: number;
  readonly sequentialBudgetMs: number;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly timeoutSeconds: number;
}

export interface HttpFigures {
  /** Server start, projection build by scan of the store included, ms. */
  readonly startMs: number;
  readonly sequential: {
    readonly requests: number;
    /** `BLAST_RADIUS_QUERY`. */
    readonly ms: Percentiles;
    /** `BLAST_RADIUS_IDS_QUERY`: the same walk and page without the store reads that names and grants need. */
    readonly idsOnlyMs: Percentiles;
    /** A bare `GET /livez` round trip: the HTTP floor. */
    readonly livezMs: Percentiles;
    /** Store reads (getNodes + getEdges calls) per `BLAST_RADIUS_QUERY` request. */
    readonly storeReadsPerRequest: number;
    readonly errors: number;
  };
  readonly load: {
    readonly connections: number;
    readonly durationSeconds: number;
    readonly timeoutSeconds: number;
    /** Responses received, over every run. */
    readonly requests: number;
    /** Median over the runs. */
    readonly requestsPerSecond: number;
    readonly ms: Percentiles;
    /** The sum of the four kinds below, over every run. */
    readonly errors: number;
    readonly non2xx: number;
    readonly graphqlErrors: number;
    readonly socketErrors: number;
    readonly timeouts: number;
    readonly firstError?: string;
    /** How long the server took, after a run, to finish the requests still queued when the clients stopped. */
    readonly drainMs: number;
  };
}

/**
 * The query a tool sends for its first screen: the summary and the first page (20) of the blast radius,
 * highest impact first, with names and paths. (Grant details per step are an `explain`, not a listing.)
 */
export const BLAST_RADIUS_QUERY = `query Blast($subject: ID!, $at: DateTime) { blastRadius(subject: $subject, at: $at, first: 20) {
  summary { total impact byLabel { label count } }
  entries { target { id label name } path { nodes steps { type from to origin } } routes accessEndsAt impact }
} }`;

/** The same walk and page, ids only: answered from the projection without a store read. */
export const BLAST_RADIUS_IDS_QUERY = `query BlastIds($subject: ID!, $at: DateTime) { blastRadius(subject: $subject, at: $at, first: 20) {
  summary { total impact byLabel { label count } }
  entries { target { id label } path { nodes steps { type from to origin } } routes accessEndsAt impact }
} }`;

const WARM_UP = 20;
const MIN_SEQUENTIAL = 20;
const DRAIN_LIMIT_MS = 300_000;

/** @example const http = await measureHttp(store, subjects.identities, { keyDir, at, runs: 3, … }) */
export async function measureHttp(graph: GraphStore, subjects: readonly string[], options: HttpOptions): Promise<HttpFigures> {
  const store = new CountingStore(graph);
  const base = loadConfig({ port: 0, host: '127.0.0.1' }, {});
  const started = performance.now();
  const server = await startServer({
    config: { ...base, seedWhenEmpty: false, auth: { ...base.auth, localKeyDir: options.keyDir } },
    store,
    logger: createLogger('silent'),
  });
  const startMs = performance.now() - started;
  try {
    const authorization = `Bearer ${(await mintLocalToken({ dir: options.keyDir, roles: ['analyst'], subject: 'bench' })).token}`;
    const body = (query: string, subject: string): string => JSON.stringify({ query, variables: { subject, at: options.at } });
    const bodies = subjects.map((subject) => body(BLAST_RADIUS_QUERY, subject));
    const idsOnly = subjects.map((subject) => body(BLAST_RADIUS_IDS_QUERY, subject));
    const sequential = await measureSequential(server.url, authorization, { bodies, idsOnly, store }, options);
    const loads: LoadResult[] = [];
    const drains: number[] = [];
    for (let r = 0; r < options.runs; r++) {
      const servedBefore = await served(server);
      const load = await loadInChild({ url: server.url, authorization, bodies, connections: options.connections, durationSeconds: options.durationSeconds, timeoutSeconds: options.timeoutSeconds });
      loads.push(load);
      // Requests still queued when the clients stopped would slow the next run down: wait them out.
      drains.push(await drain(server, servedBefore + load.sent, Math.max(1000, 2 * sequential.ms.p99)));
    }
    return { startMs, sequential, load: summarize(loads, options, median(drains)) };
  } finally {
    await server.close();
  }
}

function summarize(loads: readonly LoadResult[], options: HttpOptions, drainMs: number): HttpFigures['load'] {
  const sum = (pick: (l: LoadResult) => number): number => loads.reduce((total, l) => total + pick(l), 0);
  const non2xx = sum((l) => l.non2xx);
  const graphqlErrors = sum((l) => l.graphqlErrors);
  const socketErrors = sum((l) => l.socketErrors);
  const timeouts = sum((l) => l.timeouts);
  const firstError = loads.find((l) => l.firstError !== undefined)?.firstError;
  return {
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    timeoutSeconds: options.timeoutSeconds,
    requests: sum((l) => l.requests),
    requestsPerSecond: median(loads.map((l) => l.requestsPerSecond)),
    ms: medianPercentiles(loads.map((l) => l.ms)),
    errors: non2xx + graphqlErrors + socketErrors + timeouts,
    non2xx,
    graphqlErrors,
    socketErrors,
    timeouts,
    ...(firstError === undefined ? {} : { firstError }),
    drainMs,
  };
}

async function measureSequential(
  url: string,
  authorization: string,
  given: { readonly bodies: readonly string[]; readonly idsOnly: readonly string[]; readonly store: CountingStore },
  options: HttpOptions,
): Promise<HttpFigures['sequential']> {
  const livezUrl = url.replace(/\/graphql$/, '/livez');
  let errors = 0;
  const post = async (body: string): Promise<void> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });
    const text = await response.text();
    if (!response.ok || !text.startsWith('{"data":') || text.includes('"errors":')) errors++;
  };
  const livez = async (): Promise<void> => void (await (await fetch(livezUrl)).arrayBuffer());
  const timed = async (work: () => Promise<void>, into: number[]): Promise<void> => {
    const start = performance.now();
    await work();
    into.push(performance.now() - start);
  };
  const { bodies, idsOnly, store } = given;
  for (let i = 0; i < Math.min(WARM_UP, bodies.length); i++) {
    await post(bodies[i]!);
    await post(idsOnly[i]!);
    await livez();
  }
  let count = options.sequentialRequests;
  let storeReads = 0;
  const runs: { full: Percentiles; ids: Percentiles; livez: Percentiles }[] = [];
  for (let r = 0; r < options.runs; r++) {
    const full: number[] = [];
    const ids: number[] = [];
    const bare: number[] = [];
    const until = performance.now() + options.sequentialBudgetMs;
    for (let i = 0; i < count; i++) {
      store.reset();
      await timed(() => post(bodies[i % bodies.length]!), full);
      storeReads += store.count('getNodes') + store.count('getEdges');
      await timed(() => post(idsOnly[i % idsOnly.length]!), ids);
      await timed(livez, bare);
      if (r === 0 && performance.now() > until && i + 1 >= Math.min(MIN_SEQUENTIAL, count)) count = i + 1;
    }
    runs.push({ full: percentiles(full), ids: percentiles(ids), livez: percentiles(bare) });
  }
  return {
    requests: count,
    ms: medianPercentiles(runs.map((r) => r.full)),
    idsOnlyMs: medianPercentiles(runs.map((r) => r.ids)),
    livezMs: medianPercentiles(runs.map((r) => r.livez)),
    storeReadsPerRequest: storeReads / (options.runs * count),
    errors,
  };
}

/** GraphQL requests the server has answered so far (its Prometheus counter). */
async function served(server: RunningServer): Promise<number> {
  const metric = await server.metrics.registry.getSingleMetric('idgraph_graphql_requests_total')?.get();
  return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}

/**
 * Waits until the server has answered `total` requests, or has answered none for `quietMs` (a request
 * whose client gave up before its body arrived is never answered), or a long limit; returns the wait, ms.
 */
async function drain(server: RunningServer, total: number, quietMs: number): Promise<number> {
  const start = performance.now();
  let last = await served(server);
  let lastChange = start;
  while (last < total && performance.now() - lastChange < quietMs && performance.now() - start < DRAIN_LIMIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = await served(server);
    if (now !== last) {
      last = now;
      lastChange = performance.now();
    }
  }
  return performance.now() - start;
}

/** Runs `load-client.ts` in a child process (its own event loop and core) and returns what it measured. */
function loadInChild(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./load-client.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    child.once('message', (message: { ok: true; result: LoadResult } | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolve(message.result);
      else reject(new Error(`the load client failed: ${message.error}`));
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`the load client exited with code ${code} before it reported`));
    });
    child.send(request);
  });
}
