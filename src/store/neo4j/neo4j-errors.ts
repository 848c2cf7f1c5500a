/**
 * Driver errors as the project's errors, decided once for every operation of the adapter: what the
 * caller can do about it (retry later, fix the input, report a bug) picks the code.
 */
import { Neo4jError, isRetryableError } from 'neo4j-driver';
import { IdGraphError } from '../../model/errors.js';

/**
 * The IdGraphError for an error thrown while talking to Neo4j at `location`. IdGraphErrors thrown inside
 * a transaction function pass through unchanged; errors that are not the driver's are rethrown as they
 * are (they are bugs, not store conditions).
 * - unreachable, expired session, retryable after the driver's retries, bad credentials, unknown
 *   database, anything else the server refuses: UNAVAILABLE (nothing was written);
 * - a uniqueness constraint violated: CONFLICT;
 * - a statement the server rejects as malformed: INTERNAL (our statements are checked, so a bug).
 * @example throw toStoreError(error, 'neo4j://db.internal:7687')
 */
export function toStoreError(error: unknown, location: string): Error {
  if (error instanceof IdGraphError) return error;
  if (!(error instanceof Neo4jError)) return error instanceof Error ? error : new Error(String(error));
  const code = error.code;
  const reason = firstLine(error.message);
  if (code.startsWith('Neo.ClientError.Security.')) {
    return new IdGraphError('UNAVAILABLE', `Neo4j at ${location} refused the credentials: ${reason}`, { cause: error });
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
    return new IdGraphError('UNAVAILABLE', `Neo4j at ${location} has no such database: ${reason}`, { cause: error });
  }
  if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new IdGraphError('CONFLICT', `Neo4j at ${location} refused the write: ${reason}`, { cause: error });
  }
  if (code.startsWith('Neo.ClientError.Statement.') && !isRetryableError(error)) {
    return new IdGraphError('INTERNAL', `Neo4j at ${location} rejected a statement (${code}): ${reason}`, { cause: error });
  }
  return new IdGraphError('UNAVAILABLE', `Neo4j at ${location} is unavailable: ${reason}`, { cause: error });
}

/** Driver messages run to paragraphs of advice; the first line says what happened. */
export function firstLine(message: string): string {
  const line = message.split('\n', 1)[0] ?? '';
  return line.trim() === '' ? 'no reason given' : line.trim();
}
