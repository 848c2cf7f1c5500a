/**
 * Opening a Kuzu data directory: create it, open `<dir>/graph.kuzu`, turn Kuzu's failures into
 * messages a user can act on, and create the schema (`cypher/kuzu/schema.cypher`) if it is missing.
 */
import { mkdirSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Database } from 'kuzu';
import { IdGraphError } from '../../model/errors.js';
import { rawStatement } from '../statements.js';
import { KuzuSession } from './kuzu-session.js';

/** The database file inside a store's directory (Kuzu adds `<file>.wal` next to it). */
export const DATABASE_FILE = 'graph.kuzu';

/**
 * The address space Kuzu reserves per database (it mmaps this much up front). Kuzu's default, 8 TiB,
 * lets only 9 databases open in one process (measured: the 10th fails "Mmap … failed"); 1 TiB still caps
 * no realistic graph and lets tests and tools open dozens.
 */
export const MAX_DATABASE_BYTES = 2 ** 40;

/**
 * Kuzu's page cache. Its default, 80 % of the machine's memory, let one bulk load of a million
 * identities take 20 GB before the kernel killed it (measured); a quarter of memory, at most 4 GiB, holds
 * a store of millions of edges (the 1M-identity store is ~1 GB on disk) and leaves the rest to the server.
 */
export const BUFFER_POOL_BYTES = Math.min(4 * 2 ** 30, Math.floor(totalmem() / 4));

/**
 * Database files open in this process. Kuzu's file lock keeps other processes out but not a second
 * `Database` on the same file in this one, which would corrupt it; so this process checks itself.
 */
const openFiles = new Set<string>();

/**
 * Opens (creating if needed) the store in `dir`.
 * @throws IdGraphError UNAVAILABLE when the directory cannot be created or written, when another process
 *   (or this one) has the store open, or when Kuzu cannot open or migrate it.
 * @example const session = openKuzuSession('./data')
 */
export function openKuzuSession(dir: string): KuzuSession {
  const location = `kuzu:${dir}`;
  const file = resolve(dir, DATABASE_FILE);
  if (openFiles.has(file)) {
    throw new IdGraphError('UNAVAILABLE', `The store ${location} is already open in this process; close it first or use another --store`);
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new IdGraphError('UNAVAILABLE', `Cannot create the store directory ${dir}: ${(error as Error).message}`, { cause: error });
  }
  let db: Database;
  try {
    db = new Database(file, BUFFER_POOL_BYTES, undefined, false, MAX_DATABASE_BYTES);
    // The constructor is lazy: initSync is where Kuzu takes the file lock and reads the files.
    db.initSync();
  } catch (error) {
    throw openError(error, location, join(dir, DATABASE_FILE));
  }
  openFiles.add(file);
  const session = new KuzuSession(db, location, () => openFiles.delete(file));
  try {
    for (const ddl of schemaStatements()) session.all(ddl);
  } catch (error) {
    session.close();
    throw new IdGraphError('UNAVAILABLE', `Cannot create the schema of ${location}: ${(error as Error).message}`, { cause: error });
  }
  return session;
}

/** The DDL statements of `cypher/kuzu/schema.cypher`, comments dropped, one per `;`. */
export function schemaStatements(): string[] {
  return rawStatement('kuzu', 'schema')
    .replace(/\/\/[^\n]*/g, '')
    .split(';')
    .map((ddl) => ddl.trim())
    .filter((ddl) => ddl.length > 0);
}

function openError(error: unknown, location: string, file: string): IdGraphError {
  const reason = firstLine(error);
  if (/Could not set lock/i.test(reason)) {
    return new IdGraphError(
      'UNAVAILABLE',
      `The store ${location} is in use by another process (${reason}); stop it or use another --store`,
      { cause: error },
    );
  }
  return new IdGraphError('UNAVAILABLE', `Cannot open the store ${location} (${file}): ${reason}`, { cause: error });
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
