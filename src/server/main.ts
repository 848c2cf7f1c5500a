/**
 * `npm start`: the API on the configured store (Kuzu in ./data by default), seeded with the demo estate
 * when empty. The process entry: the one place that reads argv, the environment and signals.
 */
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config/config.js';
import { openStore } from '../cli/open-store.js';
import { IdGraphError } from '../model/errors.js';
import { createLogger } from './logger.js';
import { startServer } from './start-server.js';

/** Exit codes, as the CLI's: 2 bad configuration, 3 store unavailable. */
const EXIT_BAD_CONFIG = 2;
const EXIT_UNAVAILABLE = 3;
/** A shutdown that takes longer than this is cut short. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config: Config;
  try {
    const { values } = parseArgs({ options: { store: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' } }, strict: true });
    config = loadConfig(values, process.env);
  } catch (error) {
    process.stderr.write(`idgraph: ${error instanceof IdGraphError ? error.issues.map((i) => `${i.path}: ${i.message}`).join('; ') || error.message : (error as Error).message}\n`);
    process.exit(EXIT_BAD_CONFIG);
  }
  const logger = createLogger(config.logLevel);
  let store;
  let server;
  try {
    store = await openStore(config.store);
    server = await startServer({ config, store, logger });
  } catch (error) {
    await store?.close();
    process.stderr.write(`idgraph: ${(error as Error).message}\n`);
    process.exit(error instanceof IdGraphError && error.code !== 'UNAVAILABLE' ? EXIT_BAD_CONFIG : EXIT_UNAVAILABLE);
  }
  process.stdout.write(
    `idgraph API ready at ${server.url} (store ${store.location}, ${server.projection.nodeCount} nodes, ${server.projection.edgeCount} edges)\n` +
      (config.production ? '' : `Open ${server.url} in a browser for Apollo Sandbox, or https://studio.apollographql.com/sandbox/explorer?endpoint=${encodeURIComponent(server.url)}\n`),
  );
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: readiness is 503, in-flight requests finish');
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    await server.close();
    await store.close();
    logger.info('stopped');
    // pino writes asynchronously: flush before exit, or the last lines are lost.
    logger.flush(() => process.exit(0));
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
