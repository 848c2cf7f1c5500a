/**
 * `idgraph gateway --config gateway.yaml` (and `npm run gateway`): the federation gateway that authorizes
 * company GraphQL from the identity graph (`server/start-gateway.ts`). It runs until SIGINT or SIGTERM,
 * then drains and closes; a start that fails exits with the CLI contract's codes (2 bad config, 3 a
 * subgraph or the store unavailable).
 */
import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { loadGatewayConfig } from '../config/gateway-config.js';
import { createLogger } from '../server/logger.js';
import { startGateway } from '../server/start-gateway.js';
import type { CliIo } from './main.js';
import { openStore } from './open-store.js';

/** Signals the command stops on; a test passes its own emitter. */
export interface StopSignals {
  once(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export function addGatewayCommand(program: Command, io: CliIo, signals: StopSignals = process): void {
  program
    .command('gateway')
    .description('serve company GraphQL through a federation gateway that enforces @authenticated, @requiresScopes and @policy from the identity graph, live')
    .requiredOption('--config <file>', 'the gateway config (see examples/company/gateway.yaml)')
    .action(async (flags: { config: string }) => {
      const config = loadConfig({ store: program.opts<{ store?: string }>().store }, io.env);
      const settings = loadGatewayConfig(flags.config, config.store);
      // @apollo/gateway otherwise exports usage metrics to Apollo's servers: a gateway in front of a
      // company's GraphQL sends nothing anywhere unless told to.
      process.env['APOLLO_TELEMETRY_DISABLED'] ??= 'true';
      const logger = createLogger(config.logLevel);
      const store = await openStore(config.store);
      let gateway;
      try {
        gateway = await startGateway({ config, gateway: settings, store, logger, ...(io.now === undefined ? {} : { now: io.now }) });
      } catch (error) {
        await store.close();
        throw error;
      }
      const names = ['identity', ...settings.subgraphs.map((s) => s.name)].join(', ');
      io.stdout(
        `idgraph gateway ready at ${gateway.url} (mode ${settings.mode}${settings.enforce ? '' : ', enforcement OFF'}; ` +
          `identity subgraph at ${gateway.identityUrl}; subgraphs ${settings.supergraph === undefined ? names : `from ${settings.supergraph}`}; store ${store.location})\n`,
      );
      await new Promise<void>((resolve) => {
        signals.once('SIGINT', resolve);
        signals.once('SIGTERM', resolve);
      });
      logger.info('shutting down: readiness is 503, in-flight requests finish');
      await gateway.close();
      await store.close();
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
    });
}
