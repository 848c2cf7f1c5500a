/**
 * The HTTP server: Apollo Server 5 on Express 5, serving the subgraph at `/graphql`, with `/livez`,
 * `/readyz` and `/metrics`. It listens first and reports not-ready (503) while it seeds an empty store
 * and builds the projection, so an orchestrator sees it start; it shuts down gracefully on `close()`.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express from 'express';
import { GraphQLError, type ValidationRule } from 'graphql';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/config.js';
import { authorize, buildSchema, createContext, formatError, type GraphqlContext } from '../graphql/index.js';
import { createAuthenticator } from '../auth/index.js';
import { GraphWriter } from '../governance/graph-writer.js';
import type { GovernanceDeps } from '../governance/grant-mutations.js';
import { loadGuardrails } from '../policy/index.js';
import { IdGraphError } from '../model/errors.js';
import { importLines } from '../interchange/import.js';
import { formatLine } from '../model/interchange.js';
import { SNAPSHOT_FILE, openProjection } from '../projection/open-projection.js';
import type { Projection } from '../projection/projection.js';
import { saveSnapshot } from '../projection/snapshot.js';
import type { GraphStore } from '../store/port.js';
import { demoEstate } from '../../seed/demo-estate.js';
import { MAX_TOKENS, armorConfig } from './armor.js';
import type { Logger } from './logger.js';
import { ServerMetrics } from './metrics.js';
import { countInFlight, drain, listen, malformedBody, requestIdOf, serveMetrics } from './http-basics.js';
import { requestPlugin } from './request-plugin.js';

export interface ServerOptions {
  readonly config: Config;
  readonly store: GraphStore;
  readonly logger: Logger;
  /** The moment a seeded demo estate is anchored at; now by default. */
  readonly now?: () => Date;
  /**
   * Where the projection's snapshot is kept (loaded at start, saved after a full build and at close). By
   * default `<dir>/projection.snapshot` when the store is the Kuzu store the config names, else none.
   */
  readonly snapshotPath?: string | undefined;
}

export interface RunningServer {
  /** `http://host:port/graphql`. */
  readonly url: string;
  readonly port: number;
  readonly metrics: ServerMetrics;
  readonly projection: Projection;
  /** Readiness goes 503, in-flight requests finish, the HTTP server closes. The store is the caller's. */
  close(): Promise<void>;
}

/** How often a server on a shared store (Neo4j) applies what other processes committed. */
const CATCH_UP_MS = 2_000;
const READY_PROBE_MS = 1_000;

/**
 * @throws IdGraphError when the store cannot be seeded or scanned; the HTTP server is closed again then.
 * @example const server = await startServer({ config, store, logger })
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config, store, logger } = options;
  const snapshotPath =
    'snapshotPath' in options
      ? options.snapshotPath
      : config.store.kind === 'kuzu' && store.location === `kuzu:${config.store.dir}`
        ? join(config.store.dir, SNAPSHOT_FILE)
        : undefined;
  const state: { projection?: Projection; governance?: GovernanceDeps; closing: boolean; } = { closing: false };
  // Before anything listens: off loopback without a real issuer, this refuses to start (auth/auth-mode.ts).
  const authenticator = createAuthenticator({ ...config.auth, host: config.host });
  // An invalid policy stops the start here, naming the policy and Cedar's error.
  const guardrails = loadGuardrails();
  const metrics = new ServerMetrics(() => state.projection);
  const app = express();
  const http = createServer(app);
  app.disable('x-powered-by');
  const inFlight = countInFlight(app);

  app.get('/livez', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const reason = state.closing ? 'shutting down' : state.projection === undefined ? 'starting' : await storeProblem(store);
    res.status(reason === undefined ? 200 : 503).json(reason === undefined ? { status: 'ready', sequence: state.projection?.sequence } : { status: 'unavailable', reason });
  });
  serveMetrics(app, authenticator, metrics.registry);

  // graphql-armor's types come from Apollo's CommonJS build, ours from its ESM build: same plugins.
  const armor = new ApolloArmor(armorConfig).protect() as unknown as { plugins: ApolloServerPlugin<GraphqlContext>[]; validationRules: ValidationRule[]; allowBatchedHttpRequests: false; includeStacktraceInErrorResponses: false };
  const apollo = new ApolloServer<GraphqlContext>({
    schema: authorize(buildSchema()),
    formatError,
    introspection: !config.production,
    // The process entry owns signals: it closes the store after the server drains.
    stopOnTerminationSignals: false,
    logger: { debug: (m: string) => logger.debug(m), info: (m: string) => logger.debug(m), warn: (m: string) => logger.warn(m), error: (m: string) => logger.error(m) },
    parseOptions: { maxTokens: MAX_TOKENS },
    ...armor,
    plugins: [
      ...armor.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer: http }),
      requestPlugin(logger, metrics),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = requestIdOf(req);
        res.setHeader('x-request-id', requestId);
        const projection = state.projection;
        if (projection === undefined || state.closing) {
          throw new GraphQLError('The API is not ready: the projection is being built or the server is stopping', {
            extensions: { code: 'UNAVAILABLE', http: { status: 503 } },
          });
        }
        const caller = await authenticator.authenticate(req.headers.authorization).catch((error: unknown) => {
          const code = error instanceof IdGraphError ? error.code : 'UNAUTHENTICATED';
          throw new GraphQLError((error as Error).message, { extensions: { code, http: { status: code === 'UNAVAILABLE' ? 503 : 401 } } });
        });
        return createContext(
          {
            store,
            projection,
            governance: state.governance,
            limits: { maxFirst: config.maxFirst, queryTimeoutMs: config.queryTimeoutMs, maxPathQueries: config.maxPathQueries, maxItems: config.maxItems },
            observe: (query, stats) => metrics.query(query, stats),
          },
          { requestId, caller },
        );
      },
    }),
  );
  app.use(malformedBody);

  await listen(http, config.host, config.port);
  const port = (http.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/graphql`;
  let timer: NodeJS.Timeout | undefined;
  /** The sequence of the snapshot on disk, if any: nothing to save at close while the projection is there. */
  let snapshotSequence: number | undefined;
  try {
    if (config.seedWhenEmpty && (await store.lastSequence()) === 0) {
      const summary = await importLines(store, demoEstate((options.now ?? (() => new Date()))()).map(formatLine), { source: 'demo estate', action: 'seed', actor: 'server' });
      logger.info({ nodes: summary.nodes.created, edges: summary.edges.created }, 'seeded the demo estate into an empty store');
    }
    const started = performance.now();
    const opened = await openProjection(store, { snapshotPath });
    state.projection = opened.projection;
    state.governance = { store, projection: state.projection, writer: new GraphWriter(store, state.projection), guardrails };
    logger.info({ ...state.projection.stats(), source: opened.source, snapshot: opened.reason, ms: Math.round(performance.now() - started) }, 'projection ready');
    snapshotSequence = opened.snapshotSequence ?? (await saveProjection(state.projection, store, snapshotPath, logger));
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  if (store.kind === 'neo4j') {
    timer = setInterval(() => {
      state.projection?.catchUp(store).catch((error: unknown) => logger.warn({ err: error }, 'catching up with the store failed'));
    }, CATCH_UP_MS);
    timer.unref();
  }
  const projection = state.projection;
  return {
    url,
    port,
    metrics,
    projection,
    async close() {
      state.closing = true;
      if (timer !== undefined) clearInterval(timer);
      // Readiness is 503 from here; the server keeps listening until what is in flight has been sent.
      await drain(inFlight);
      await apollo.stop();
      // Writes have stopped with the requests: the next start loads this instead of scanning.
      if (projection.sequence !== snapshotSequence) await saveProjection(projection, store, snapshotPath, logger);
    },
  };
}

/**
 * Saves the snapshot when there is a path, and returns its sequence; a failure is logged (the next start
 * scans), never thrown.
 */
async function saveProjection(projection: Projection, store: GraphStore, path: string | undefined, logger: Logger): Promise<number | undefined> {
  if (path === undefined) return undefined;
  const started = performance.now();
  try {
    const saved = await saveSnapshot(projection, store, path);
    if (saved !== undefined) logger.info({ ...saved, ms: Math.round(performance.now() - started) }, 'projection snapshot saved');
    return saved?.sequence;
  } catch (error) {
    logger.warn({ err: error, path }, 'saving the projection snapshot failed');
    return undefined;
  }
}

/** undefined when the store answers within a second, else why not. */
async function storeProblem(store: GraphStore): Promise<string | undefined> {
  let timeout: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      store.lastSequence(),
      new Promise((_, reject) => {
        timeout = setTimeout(() => reject(new Error(`the store did not answer within ${READY_PROBE_MS} ms`)), READY_PROBE_MS);
      }),
    ]);
    return undefined;
  } catch (error) {
    // The reason is public (no token is needed for /readyz): the store's location stays out of it.
    return 'store unavailable';
  } finally {
    clearTimeout(timeout);
  }
}



