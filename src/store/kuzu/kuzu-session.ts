/**
 * One Kuzu database and its one connection, with the habits that keep the native addon safe and fast:
 * the sync API only, prepared statements cached per text, parameters checked against the statement,
 * and every query result closed (before the database too).
 *
 * Why sync: Kuzu's async result API costs ~100 µs a row against ~3 µs for the sync one (kuzu 0.11.3,
 * measured). Sync calls block the event loop while they run; that is accepted for now (writes are small
 * batches, scans run at open), and running the adapter in a worker thread is the way out if it matters.
 */
import { Connection, type Database, type KuzuValue, type PreparedStatement, type QueryResult } from 'kuzu';
import { IdGraphError, invariant } from '../../model/errors.js';

/** One result row, keyed by the statement's RETURN aliases. */
export type Row = Record<string, unknown>;

/** Parameters of a statement: exactly the `$names` it mentions. */
export type Params = Record<string, unknown>;

/** A query result read a batch at a time; close it when done (the session closes it too on close). */
export interface Cursor {
  /** Up to `count` more rows; an empty array when the result is exhausted. */
  next(count: number): Row[];
  close(): void;
}

/**
 * A database file and a connection to it. Create it once the database has opened (see
 * `openKuzuSession`), and `close()` it exactly when the store closes.
 */
export class KuzuSession {
  /** For messages: `kuzu:<dir>`. */
  readonly location: string;
  readonly #db: Database;
  readonly #conn: Connection;
  readonly #prepared = new Map<string, { statement: PreparedStatement; params: readonly string[] }>();
  /**
   * Results not yet closed. Closing the database before a result can crash the process later (seen with
   * an unclosed BEGIN TRANSACTION result: a segfault at exit), so every result is closed first.
   */
  readonly #open = new Set<QueryResult>();
  readonly #onClose: () => void;
  #closed = false;

  /** `onClose` runs once, after the database has closed. */
  constructor(db: Database, location: string, onClose: () => void = () => {}) {
    this.location = location;
    this.#onClose = onClose;
    this.#db = db;
    this.#conn = new Connection(db);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs a statement and returns all its rows. */
  all(text: string, params: Params = {}): Row[] {
    const result = this.#execute(text, params);
    try {
      return result.getAllSync() as Row[];
    } finally {
      this.#release(result);
    }
  }

  /**
   * Runs a statement without preparing it, and returns all its rows: for a statement whose text differs
   * on every call (a `COPY … TO` a fresh temporary file), which would otherwise fill the prepared cache.
   */
  once(text: string): Row[] {
    if (this.#closed) throw this.#closedError();
    const result = this.#track(this.#conn.querySync(text));
    try {
      return result.getAllSync() as Row[];
    } finally {
      this.#release(result);
    }
  }

  /** Runs a statement and returns a cursor over its result (Kuzu materializes it: a snapshot). */
  cursor(text: string, params: Params = {}): Cursor {
    const result = this.#execute(text, params);
    return {
      next: (count) => {
        if (this.#closed) throw this.#closedError();
        const rows: Row[] = [];
        while (rows.length < count && this.#open.has(result) && result.hasNext()) rows.push(result.getNextSync() as Row);
        return rows;
      },
      close: () => this.#release(result),
    };
  }

  /**
   * Runs `work` in one transaction: committed when it returns, rolled back when it throws (the error is
   * rethrown). Kuzu rolls a transaction back by itself when a statement in it fails, so a failing
   * ROLLBACK ("No active transaction") is expected then and ignored.
   */
  transaction<T>(work: () => T): T {
    this.#control('BEGIN TRANSACTION');
    let value: T;
    try {
      value = work();
    } catch (error) {
      try {
        this.#control('ROLLBACK');
      } catch {
        // Already rolled back by Kuzu.
      }
      throw error;
    }
    this.#control('COMMIT');
    return value;
  }

  /** Closes open results, the connection and the database; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const result of this.#open) result.close();
    this.#open.clear();
    this.#prepared.clear();
    try {
      this.#conn.closeSync();
      this.#db.closeSync();
    } finally {
      this.#onClose();
    }
  }

  #closedError(): IdGraphError {
    return new IdGraphError('UNAVAILABLE', `store is closed: ${this.location}`);
  }

  #execute(text: string, params: Params): QueryResult {
    if (this.#closed) throw this.#closedError();
    let entry = this.#prepared.get(text);
    if (entry === undefined) {
      const statement = this.#conn.prepareSync(text);
      if (!statement.isSuccess()) throw new Error(statement.getErrorMessage());
      entry = { statement, params: parameterNames(text) };
      this.#prepared.set(text, entry);
    }
    // Kuzu may crash on an unbound parameter and rejects an unknown one: pass exactly those named.
    const given = Object.keys(params).sort();
    invariant(
      given.length === entry.params.length && given.every((name, i) => name === entry.params[i]),
      `statement takes $${entry.params.join(', $')} but got ${given.join(', ') || 'none'}`,
    );
    return this.#track(this.#conn.executeSync(entry.statement, params as Record<string, KuzuValue>));
  }

  #control(text: string): void {
    if (this.#closed) throw this.#closedError();
    this.#release(this.#track(this.#conn.querySync(text)));
  }

  #track(result: QueryResult | QueryResult[]): QueryResult {
    const results = Array.isArray(result) ? result : [result];
    for (const extra of results.slice(1)) extra.close();
    const first = results[0];
    invariant(first !== undefined, 'Kuzu returned no query result');
    this.#open.add(first);
    return first;
  }

  #release(result: QueryResult): void {
    if (this.#open.delete(result)) result.close();
  }
}

/** The `$parameters` a statement names, sorted, comments left out. */
export function parameterNames(text: string): string[] {
  const code = text.replace(/\/\/[^\n]*/g, '');
  return [...new Set([...code.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!))].sort();
}
