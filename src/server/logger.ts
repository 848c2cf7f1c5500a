/** Structured logs (pino): one JSON line an event; never tokens, headers or GraphQL variables. */
import { pino, type Logger } from 'pino';
import type { Config } from '../config/config.js';

export type { Logger } from 'pino';

/** @example const log = createLogger('info') */
export function createLogger(level: Config['logLevel'], destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'idgraph' },
    // A variable or an Authorization header must never reach a log line, even if a caller logs a request.
    redact: { paths: ['req.headers.authorization', 'variables', '*.variables', 'token'], remove: true },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
