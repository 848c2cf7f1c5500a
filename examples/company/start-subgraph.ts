/**
 * Serves one example subgraph at `/graphql`: Apollo Server 5 on Express 5, on loopback unless told otherwise.
 *
 * The example subgraphs trust their caller. They check no token and no scope: the gateway enforces
 * `@authenticated` and `@requiresScopes` against the identity graph before a request reaches them, and a
 * field it refuses is never asked for. So they must only be reachable by the gateway.
 */
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SubgraphListenOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port, read back from `url`. */
  readonly port?: number;
}

export interface RunningSubgraph {
  /** `http://host:port/graphql`. */
  readonly url: string;
  /** In-flight requests finish, then the HTTP server closes. */
  stop(): Promise<void>;
}

/**
 * Starts Apollo Server on `schema` with a fresh context per request from `context`.
 * @throws RangeError when `port` is not an integer from 0 to 65535; the listen error (EADDRINUSE, …) when
 * the port is taken.
 * @example const { url, stop } = await startSubgraph(schema, () => ({ book }), { port: 4101 });
 */
export async function startSubgraph<TContext extends BaseContext>(
  schema: GraphQLSchema,
  context: () => TContext,
  { host = '127.0.0.1', port = 0 }: SubgraphListenOptions = {},
): Promise<RunningSubgraph> {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`port must be an integer from 0 to 65535; got ${port}`);
  const app = express();
  const http = createServer(app);
  const apollo = new ApolloServer<TContext>({
    schema,
    // The process entry (serve.ts) owns signals.
    stopOnTerminationSignals: false,
    // Errors travel on through the gateway to its callers: no stack traces in them.
    includeStacktraceInErrorResponses: false,
    // No federated tracing: nothing reads it here, and it would log at every start.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer: http }), ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo, { context: async () => context() }));
  try {
    await listen(http, host, port);
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  const bound = (http.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/graphql`,
    // The drain plugin closes the HTTP server once in-flight requests are done.
    stop: () => apollo.stop(),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
