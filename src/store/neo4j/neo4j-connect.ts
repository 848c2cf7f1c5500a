/**
 * Connecting to Neo4j with a deadline. A store that does not answer must fail the start quickly and
 * plainly (the CLI exits 3, the server refuses to start), never hang on the driver's default timeouts
 * (30 s to connect, 60 s to acquire, 30 s of retries).
 */
import neo4j, { Neo4jError, type Driver } from 'neo4j-driver';
import { IdGraphError } from '../../model/errors.js';
import { toStoreError } from './neo4j-errors.js';
import type { Neo4jTarget } from './neo4j-uri.js';

/** Credentials (they override user info in the URI), database, and the time budget. */
export interface ConnectOptions {
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  /** The whole budget for connecting, authenticating and the first answer. */
  readonly connectTimeoutMs: number;
}

/** Past the deadline (or on a failed open), closing a driver that is still dialling may wait on sockets: do not wait long. */
export const CLOSE_GRACE_MS = 500;

/**
 * A driver that has answered: connected, authenticated, and (when named) on the database's server.
 * The driver's own connect, acquisition and retry timeouts are set to the same budget so that it gives
 * up by itself; a timer enforces the budget anyway, since a server that accepts the TCP connection and
 * never speaks Bolt is only caught by it.
 * @throws IdGraphError UNAVAILABLE `Neo4j at <location> did not answer within Ns: <reason>` when it is
 *   unreachable or silent, or a message saying it refused the credentials; the driver is closed then.
 */
export async function connectNeo4j(target: Neo4jTarget, options: ConnectOptions): Promise<Driver> {
  const ms = options.connectTimeoutMs;
  const user = options.user ?? target.user;
  const password = options.password ?? target.password ?? '';
  const auth = user === undefined ? undefined : neo4j.auth.basic(user, password);
  let driver: Driver;
  try {
    driver = neo4j.driver(target.driverUri, auth, {
      connectionTimeout: ms,
      connectionAcquisitionTimeout: ms,
      maxTransactionRetryTime: ms,
      userAgent: 'idgraph',
    });
  } catch (error) {
    throw new IdGraphError('BAD_USER_INPUT', `Neo4j URI for ${target.location} was refused by the driver: ${reasonOf(error)}`, {
      cause: error,
    });
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer before the deadline')), ms);
  });
  const answer = driver.getServerInfo(options.database === undefined ? {} : { database: options.database });
  // Whichever loses the race must not surface later as an unhandled rejection.
  answer.catch(() => undefined);
  try {
    await Promise.race([answer, deadline]);
    return driver;
  } catch (error) {
    await closeWithin(driver, CLOSE_GRACE_MS);
    throw connectError(error, target.location, ms);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes a driver, waiting at most `ms` (its sockets may still be dialling a silent host). */
export async function closeWithin(driver: Driver, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([driver.close().catch(() => undefined), grace]);
  clearTimeout(timer);
}

function connectError(error: unknown, location: string, ms: number): IdGraphError {
  const unreachable =
    !(error instanceof Neo4jError) || error.code === 'ServiceUnavailable' || error.code === 'SessionExpired' || error.code === 'N/A';
  if (!unreachable) {
    const mapped = toStoreError(error, location);
    if (mapped instanceof IdGraphError) return mapped;
  }
  const seconds = Number((ms / 1000).toFixed(1));
  return new IdGraphError('UNAVAILABLE', `Neo4j at ${location} did not answer within ${seconds}s: ${reasonOf(error)}`, {
    cause: error,
  });
}

/**
 * The useful part of a driver message: the innermost cause's "Caused by: …" (e.g. `connect
 * ECONNREFUSED 127.0.0.1:7687`) or else its first sentence, without the paragraphs of advice.
 */
function reasonOf(error: unknown): string {
  let inner: unknown = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  const message = inner instanceof Error ? inner.message : String(inner);
  const causedBy = message.lastIndexOf('Caused by: ');
  if (causedBy >= 0) return message.slice(causedBy + 'Caused by: '.length).trim();
  const sentence = message.split(/\.\s/, 1)[0] ?? message;
  return sentence.trim() || 'no reason given';
}
