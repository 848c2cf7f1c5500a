/**
 * `idgraph gateway`: an Apollo Gateway over the company's subgraphs and the identity subgraph, that
 * enforces `@authenticated`, `@requiresScopes` and `@policy` against the identity graph, live, once per
 * operation (`gateway/authz-gateway.ts`, `gateway/graph-authorizer.ts`). With `identity: { port }` the
 * identity API runs in this process on the store it opens, and the gateway decides over the very
 * projection its mutations update (read your writes in one process); with `identity: { url }` another
 * process serves it over a shared Neo4j database, and each decision first catches up with the store's
 * last commit (the audit log's tail), so a mutation there is seen by the next request here.
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express from 'express';
import { GraphQLError, type ValidationRule } from 'graphql';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthenticator } from '../auth/index.js';
import type { Config } from '../config/config.js';
import { IDENTITY_SUBGRAPH, type GatewayConfig } from '../config/gateway-config.js';
import { AuthzGateway, authzSupergraphManager, createSubgraphDataSource } from '../gateway/index.js';
import { composeSupergraph } from '../gateway/compose-supergraph.js';
import { formatGatewayError } from '../gateway/gateway-error.js';
import { GraphAuthorizer, type DecisionGraph, type GatewayContext, type GatewayDecision } from '../gateway/graph-authorizer.js';
import { printedSchema } from '../graphql/index.js';
import { IdGraphError } from '../model/errors.js';
import { openProjection } from '../projection/open-projection.js';
import type { GraphStore } from '../store/port.js';
import { MAX_TOKENS, armorConfig } from './armor.js';
import { GatewayMetrics } from './gateway-metrics.js';
import type { Logger } from './logger.js';
import { countInFlight, drain, listen, malformedBody, requestIdOf, serveMetrics } from './http-basics.js';
import { requestPlugin } from './request-plugin.js';
import { startServer, type RunningServer } from './start-server.js';

export interface GatewayOptions {
  /** The API's configuration: the store, auth, limits; its host and port are the identity subgraph's own. */
  readonly config: Config;
  readonly gateway: GatewayConfig;
  readonly store: GraphStore;
  readonly logger: Logger;
  readonly now?: () => Date;
}

export interface RunningGateway {
  /** `http://host:port/graphql` of the gateway. */
  readonly url: string;
  readonly port: number;
  /** The identity subgraph's URL (in this process or another). */
  readonly identityUrl: string;
  readonly metrics: GatewayMetrics;
  /** The identity API served by this process, when `identity: { port }`. */
  readonly identity: RunningServer | undefined;
  /** Readiness goes 503, in-flight requests finish, both servers close. The store is the caller's. */
  close(): Promise<void>;
}


/**
 * @throws IdGraphError UNAVAILABLE when a subgraph does not give its SDL; BAD_USER_INPUT when the
 *   subgraphs do not compose or the supergraph file cannot be read.
 * @example const gateway = await startGateway({ config, gateway: loadGatewayConfig('gateway.yaml', config.store), store, logger })
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, gateway: settings, store, logger } = options;
  const authenticator = createAuthenticator({ ...config.auth, host: settings.listen.host });
  const metrics = new GatewayMetrics();
  const state = { closing: false, ready: false };

  let identity: RunningServer | undefined;
  let graph: () => DecisionGraph | undefined;
  let freshen: (() => Promise<void>) | undefined;
  let identityUrl: string;
  if (settings.identity.port !== undefined) {
    identity = await startServer({
      config: { ...config, host: settings.listen.host, port: settings.identity.port },
      store,
      logger: logger.child({ component: 'identity' }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    const served = identity.projection;
    graph = () => served;
    identityUrl = identity.url;
  } else {
    const { projection } = await openProjection(store, { snapshotPath: undefined });
    graph = () => projection;
    // Another process commits to the shared database: the next decision must see its last commit.
    freshen = async () => {
      if ((await store.lastSequence()) > projection.sequence) await projection.catchUp(store);
    };
    identityUrl = settings.identity.url;
  }

  const closeIdentity = async (): Promise<void> => {
    await identity?.close();
  };
  let supergraphSdl: string;
  try {
    supergraphSdl =
      settings.supergraph === undefined
        ? await composeSupergraph([{ name: IDENTITY_SUBGRAPH, url: identityUrl, sdl: printedSchema() }, ...settings.subgraphs])
        : readSupergraph(settings.supergraph);
  } catch (error) {
    await closeIdentity();
    throw error;
  }

  const audit = auditQueue(store, logger);
  // The caller's token goes to the identity subgraph (it authorizes the caller's own queries there) and to
  // the subgraphs the config lets have it.
  const forwarding = new Map(settings.subgraphs.map((s) => [s.name, s.forwardAuthorization]));
  const forwards = (name: string): boolean => name === IDENTITY_SUBGRAPH || (forwarding.get(name) ?? settings.forwardAuthorization);
  const authorizer = new GraphAuthorizer({
    graph,
    freshen,
    maxDepth: settings.maxDepth,
    sampleAllows: settings.audit.sampleAllows,
    observe: (decision) => metrics.decision(decision),
    audit,
    ...(options.now === undefined ? {} : { now: () => options.now!().getTime() }),
  });
  const inner = new ApolloGateway({
    supergraphSdl: authzSupergraphManager(supergraphSdl, () => undefined),
    buildService: ({ name, url }) => createSubgraphDataSource(name, url!, { forwardAuthorization: forwards(name) }),
    // Query plans name subgraphs and their keys: not for callers (Apollo's header would show them).
    __exposeQueryPlanExperimental: false,
    logger: { debug: (m: string) => logger.debug(m), info: (m: string) => logger.debug(m), warn: (m: string) => logger.warn(m), error: (m: string) => logger.error(m) },
  });
  const app = express();
  const http = createServer(app);
  app.disable('x-powered-by');
  const inFlight = countInFlight(app);
  app.get('/livez', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => {
    const reason = state.closing ? 'shutting down' : !state.ready || graph() === undefined ? 'starting' : undefined;
    res.status(reason === undefined ? 200 : 503).json(reason === undefined ? { status: 'ready', sequence: graph()?.sequence } : { status: 'unavailable', reason });
  });
  serveMetrics(app, authenticator, metrics.registry);

  // The API's limits (depth with fragments flattened, aliases, directives, cost, tokens): checked at
  // validation, before the authorization walks the operation or the planner expands it.
  const armor = new ApolloArmor(armorConfig).protect() as unknown as { plugins: ApolloServerPlugin<GatewayContext>[]; validationRules: ValidationRule[] };
  const apollo = new ApolloServer<GatewayContext>({
    gateway: new AuthzGateway<GatewayContext>(inner, { mode: settings.mode, enforce: settings.enforce, authorizer }),
    introspection: !config.production,
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: formatGatewayError,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    validationRules: armor.validationRules,
    logger: { debug: (m: string) => logger.debug(m), info: (m: string) => logger.debug(m), warn: (m: string) => logger.warn(m), error: (m: string) => logger.error(m) },
    plugins: [...armor.plugins, ApolloServerPluginDrainHttpServer({ httpServer: http }), requestPlugin<GatewayContext>(logger, metrics)],
  });
  try {
    await apollo.start();
  } catch (error) {
    await closeIdentity();
    throw error;
  }
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<GatewayContext> => {
        const requestId = requestIdOf(req);
        res.setHeader('x-request-id', requestId);
        if (state.closing) throw new GraphQLError('The gateway is stopping', { extensions: { code: 'UNAVAILABLE', http: { status: 503 } } });
        const authorization = req.headers.authorization;
        // No token: anonymous, and every protected field is withheld. A bad token is refused outright.
        const subject =
          authorization === undefined
            ? undefined
            : (
                await authenticator.authenticate(authorization).catch((error: unknown) => {
                  const code = error instanceof IdGraphError ? error.code : 'UNAUTHENTICATED';
                  throw new GraphQLError((error as Error).message, { extensions: { code, http: { status: code === 'UNAVAILABLE' ? 503 : 401 } } });
                })
              ).subject;
        const asked = req.headers[settings.explainHeader];
        return { requestId, authorization, subject, explain: asked === '1' || asked === 'true' };
      },
    }),
  );
  app.use(malformedBody);
  await listen(http, settings.listen.host, settings.listen.port);
  state.ready = true;
  const port = (http.address() as AddressInfo).port;
  const host = settings.listen.host.includes(':') ? `[${settings.listen.host}]` : settings.listen.host;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    identityUrl,
    metrics,
    identity,
    async close() {
      state.closing = true;
      await drain(inFlight);
      await apollo.stop();
      await audit.drain();
      await closeIdentity();
    },
  };
}

/** The composed supergraph a config names instead of subgraphs. */
function readSupergraph(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new IdGraphError('BAD_USER_INPUT', `Cannot read the supergraph ${file}: ${(error as Error).message}`, { issues: [{ path: 'supergraph', message: (error as Error).message }] });
  }
}

/**
 * Decisions to the audit log, one event each, in order, off the request's path: a denial is answered at
 * once and recorded a few milliseconds later. A failed write is logged, never thrown at a caller.
 */
function auditQueue(store: GraphStore, logger: Logger): ((decision: GatewayDecision) => void) & { drain(): Promise<void> } {
  let tail: Promise<unknown> = Promise.resolve();
  const enqueue = (decision: GatewayDecision): void => {
    tail = tail
      .then(() =>
        store.write({
          nodes: [],
          edges: [],
          audit: {
            actor: decision.subject ?? 'anonymous',
            action: 'authorizeOperation',
            targets: decision.outcome === 'DENY' ? decision.missing : decision.needed,
            decision: decision.outcome,
            reason: `${decision.operationName ?? 'unnamed operation'}${decision.denied.length > 0 ? `: denied ${decision.denied.join(', ')}` : ''}${decision.status === 'live' ? '' : ` (subject ${decision.status})`} at sequence ${decision.sequence}`,
            requestId: decision.requestId,
          },
        }),
      )
      .catch((error: unknown) => logger.warn({ err: error, requestId: decision.requestId }, 'writing a gateway decision to the audit log failed'));
  };
  return Object.assign(enqueue, { drain: () => tail.then(() => undefined) });
}


