/**
 * The Apollo plugin that logs and measures each GraphQL request: request id, operation name, duration and
 * outcome; never the variables or the query text's arguments.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';

/** What the plugin reads from the context. */
export interface RequestInfo {
  readonly requestId: string;
}

/** The API's and the gateway's metrics both count requests this way. */
export type RequestMetrics = Pick<ServerMetrics, 'request'>;

export function requestPlugin<C extends RequestInfo>(logger: Logger, metrics: RequestMetrics): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        // What a caller sees of an internal or store failure is masked (graphql/format-error.ts); the
        // operator needs the real error, so it is logged here with the request id and the field path.
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const original = error.originalError as (Error & { code?: string }) | undefined;
            const code = original?.code ?? error.extensions['code'];
            if (original === undefined || code === 'BAD_USER_INPUT' || code === 'NOT_FOUND') continue;
            logger.error({ requestId: contextValue.requestId, path: error.path, code: code ?? null, err: original }, 'resolver failed');
          }
        },
        async willSendResponse({ operationName, response }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = [...new Set(errors.map((e) => e.extensions?.['code']).filter((code): code is string => typeof code === 'string'))];
          metrics.request(operationName ?? undefined, seconds, errors.length === 0);
          logger.info(
            { requestId: contextValue.requestId, operation: operationName ?? null, ms: Math.round(seconds * 10_000) / 10, ...(codes.length ? { errors: codes } : {}) },
            'graphql request',
          );
        },
      };
    },
  };
}
