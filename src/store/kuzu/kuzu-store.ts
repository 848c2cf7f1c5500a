/**
 * The embedded Kuzu adapter of the store port (DESIGN.md, Backends): one node table per label, one rel
 * table per edge type, props as JSON text, every statement from `cypher/kuzu/`. Kuzu lets one process
 * open a database read-write, so this store is the only writer: it keeps the last audit sequence and
 * hash in memory after open and chains each write's event to them.
 */
import { GENESIS_HASH, auditEventOf, type AuditEvent } from '../../model/audit-chain.js';
import { IdGraphError } from '../../model/errors.js';
import { edgeKeyString, type EdgeKey, type EdgeRecord, type NodeRecord } from '../../model/records.js';
import { EDGE_ENDPOINTS, NODE_LABELS, type EdgeType, type NodeLabel } from '../../model/vocabulary.js';
import type { BulkWrite, ChangeSet, Commit, GraphStore, TopologyBatch, WriteBatch } from '../port.js';
import { statement } from '../statements.js';
import { auditFromRow, edgeFromRow, nodeFromRow } from './kuzu-rows.js';
import type { KuzuSession } from './kuzu-session.js';
import { writeBatch } from './kuzu-write.js';
import { emptyTables, loadSpool, removeSpool, spoolBatches } from './kuzu-bulk.js';
import { scanKuzuTopology } from './kuzu-topology.js';
import { openKuzuSession } from './open-kuzu-session.js';

export interface KuzuStoreOptions {
  /** The data directory, created if missing; the database is `<dir>/graph.kuzu`. */
  readonly dir: string;
}

/**
 * Up to this many ids (or edge keys) per table are looked up one by one through the primary-key index
 * (~0.1 ms each at a million rows); more are hash-joined with the table, one scan whatever their number
 * (~100 ms there). Measured on the 1M-identity estate.
 */
const POINT_LOOKUPS = 200;

/** Rows per scan batch when the caller does not say. */
export const DEFAULT_SCAN_BATCH_SIZE = 10_000;

/**
 * Opens the store in `options.dir`, creating the directory and the schema when missing.
 * @throws IdGraphError UNAVAILABLE when the directory cannot be created or written, or another process
 *   has the store open (`The store kuzu:./data is in use by another process (…); stop it or use
 *   another --store`); BAD_USER_INPUT for an empty `dir`.
 * @example const store = await openKuzuStore({ dir: './data' })
 */
export async function openKuzuStore(options: KuzuStoreOptions): Promise<KuzuStore> {
  const dir = getValidDir(options.dir);
  const session = openKuzuSession(dir);
  try {
    const last = session.all(statement('kuzu', 'last_audit'))[0];
    const event = last === undefined ? undefined : auditFromRow(last);
    return new KuzuStore(session, { sequence: event?.sequence ?? 0, hash: event?.hash ?? GENESIS_HASH }, dir);
  } catch (error) {
    session.close();
    throw storeError(error, `Cannot read the audit log of ${session.location}`);
  }
}

/** A GraphStore over an embedded Kuzu database; create it with `openKuzuStore`. */
export class KuzuStore implements GraphStore {
  readonly kind = 'kuzu' as const;
  readonly location: string;
  readonly #session: KuzuSession;
  /** The last committed event's sequence and hash: where the next write's event chains on. */
  #last: { readonly sequence: number; readonly hash: string };
  readonly #dir: string;
  /** Writes run one after another: a bulk load awaits while it spools, and must keep its sequence. */
  #writing: Promise<unknown> = Promise.resolve();

  constructor(session: KuzuSession, last: { readonly sequence: number; readonly hash: string }, dir: string) {
    this.#session = session;
    this.location = session.location;
    this.#last = last;
    this.#dir = dir;
  }

  write(batch: WriteBatch): Promise<Commit> {
    return this.#serialized(async () => this.#write(batch));
  }

  bulkWrite(load: BulkWrite): Promise<Commit | null> {
    return this.#serialized(async () => {
      this.#ensureOpen();
      const sequence = this.#last.sequence + 1;
      const spool = await spoolBatches(this.#dir, load.batches(), sequence, emptyTables(this.#session));
      try {
        if (spool.records === 0) return null;
        this.#ensureOpen();
        const event = auditEventOf(load.audit(), sequence, this.#last.hash);
        try {
          loadSpool(this.#session, spool, event);
        } catch (error) {
          throw storeError(error, `Cannot load into ${this.location}; nothing was written`);
        }
        this.#last = { sequence: event.sequence, hash: event.hash };
        return { sequence: event.sequence, event };
      } finally {
        removeSpool(spool.dir);
      }
    });
  }

  #serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#writing.then(work, work);
    this.#writing = result.catch(() => undefined);
    return result;
  }

  #write(batch: WriteBatch): Commit {
    this.#ensureOpen();
    const { audit } = batch;
    const event = auditEventOf(audit, this.#last.sequence + 1, this.#last.hash);
    try {
      writeBatch(this.#session, batch, event);
    } catch (error) {
      if (error instanceof Error && /duplicated primary key/i.test(error.message)) {
        throw new IdGraphError('CONFLICT', `Audit sequence ${event.sequence} of ${this.location} is already taken; nothing was written`, {
          cause: error,
        });
      }
      throw storeError(error, `Cannot write to ${this.location}; nothing was written`);
    }
    this.#last = { sequence: event.sequence, hash: event.hash };
    return { sequence: event.sequence, event };
  }

  async getNodes(ids: readonly string[], labels: readonly (NodeLabel | undefined)[] = []): Promise<(NodeRecord | undefined)[]> {
    this.#ensureOpen();
    const found = new Map<string, NodeRecord>();
    // Ids with a label hint are looked up in that table first; whatever is not found there, in all of them.
    const hinted = new Map<NodeLabel, string[]>();
    ids.forEach((id, i) => {
      const label = labels[i];
      if (label === undefined) return;
      const list = hinted.get(label);
      if (list === undefined) hinted.set(label, [id]);
      else list.push(id);
    });
    for (const [label, wanted] of hinted) for (const node of this.#nodesOfLabel(label, [...new Set(wanted)])) found.set(node.id, node);
    let remaining = [...new Set(ids)].filter((id) => !found.has(id));
    // Then one query per label table, asking each only for the ids not found yet.
    for (const label of NODE_LABELS) {
      if (remaining.length === 0) break;
      for (const node of this.#nodesOfLabel(label, remaining)) found.set(node.id, node);
      remaining = remaining.filter((id) => !found.has(id));
    }
    return ids.map((id) => found.get(id));
  }

  /** The nodes of one table among `ids`: index lookups for a few ids, one hash join (a table scan) for many. */
  #nodesOfLabel(label: NodeLabel, ids: readonly string[]): NodeRecord[] {
    const rows = this.#read(() =>
      ids.length <= POINT_LOOKUPS
        ? ids.flatMap((id) => this.#session.all(statement('kuzu', 'get_node', { label }), { id }))
        : this.#session.all(statement('kuzu', 'get_nodes', { label }), { ids }),
    );
    return rows.map((row) => nodeFromRow(label, row));
  }

  async getEdges(keys: readonly EdgeKey[]): Promise<(EdgeRecord | undefined)[]> {
    this.#ensureOpen();
    const byType = new Map<EdgeType, Map<string, EdgeKey>>();
    for (const key of keys) {
      const forType = byType.get(key.type) ?? new Map<string, EdgeKey>();
      forType.set(edgeKeyString(key), key);
      byType.set(key.type, forType);
    }
    const found = new Map<string, EdgeRecord>();
    for (const [type, wanted] of byType) {
      const params = { keys: [...wanted.values()].map(({ from, to, key }) => ({ from, to, key })) };
      // The key names no labels, so each label pair the type allows is asked (at most three).
      for (const from of EDGE_ENDPOINTS[type].from) {
        for (const to of EDGE_ENDPOINTS[type].to) {
          const rows = this.#read(() =>
            params.keys.length <= POINT_LOOKUPS
              ? params.keys.flatMap((key) => this.#session.all(statement('kuzu', 'get_edge', { type, from, to }), key))
              : this.#session.all(statement('kuzu', 'get_edges', { type, from, to }), params),
          );
          for (const row of rows) {
            const edge = edgeFromRow(row, type);
            found.set(edgeKeyString(edge), edge);
          }
        }
      }
    }
    return keys.map((key) => found.get(edgeKeyString(key)));
  }

  async *scanNodes(batchSize = DEFAULT_SCAN_BATCH_SIZE): AsyncGenerator<NodeRecord[]> {
    const size = getValidCount('batchSize', batchSize, 1);
    this.#ensureOpen();
    let batch: NodeRecord[] = [];
    for (const label of NODE_LABELS) {
      for (const rows of this.#batches(statement('kuzu', 'scan_nodes', { label }), size, () => size - batch.length)) {
        for (const row of rows) batch.push(nodeFromRow(label, row));
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
  }

  async *scanEdges(batchSize = DEFAULT_SCAN_BATCH_SIZE): AsyncGenerator<EdgeRecord[]> {
    const size = getValidCount('batchSize', batchSize, 1);
    this.#ensureOpen();
    for (const rows of this.#batches(statement('kuzu', 'scan_edges'), size, () => size)) {
      yield rows.map((row) => edgeFromRow(row));
    }
  }

  /** Exports each table with `COPY … TO` and parses the files (see kuzu-topology.ts): far faster than rows. */
  async *scanTopology(batchSize = DEFAULT_SCAN_BATCH_SIZE): AsyncGenerator<TopologyBatch> {
    const size = getValidCount('batchSize', batchSize, 1);
    this.#ensureOpen();
    try {
      yield* scanKuzuTopology(this.#session, this.#dir, size);
    } catch (error) {
      throw storeError(error, `Cannot read from ${this.location}`);
    }
  }

  async changesSince(sequence: number): Promise<ChangeSet> {
    const after = getValidCount('sequence', sequence, 0);
    this.#ensureOpen();
    const last = this.#last.sequence;
    if (after >= last) return { sequence: last, nodes: [], edges: [], events: [] };
    return this.#read(() => ({
      sequence: last,
      nodes: NODE_LABELS.flatMap((label) =>
        this.#session.all(statement('kuzu', 'nodes_since', { label }), { after }).map((row) => nodeFromRow(label, row)),
      ),
      edges: this.#session.all(statement('kuzu', 'edges_since'), { after }).map((row) => edgeFromRow(row)),
      events: this.#session.all(statement('kuzu', 'audit_events'), { after, limit: last - after }).map(auditFromRow),
    }));
  }

  async auditEvents(afterSequence: number, limit: number): Promise<AuditEvent[]> {
    const after = getValidCount('afterSequence', afterSequence, 0);
    const max = getValidCount('limit', limit, 0);
    this.#ensureOpen();
    if (max === 0) return [];
    return this.#read(() => this.#session.all(statement('kuzu', 'audit_events'), { after, limit: max }).map(auditFromRow));
  }

  async lastSequence(): Promise<number> {
    this.#ensureOpen();
    return this.#last.sequence;
  }

  /** Closes the database (releasing its lock); idempotent. Every later call throws UNAVAILABLE. */
  async close(): Promise<void> {
    this.#session.close();
  }

  /**
   * One query's rows in batches: the size of each is asked of `room` just before it is read, so that a
   * caller filling batches across queries never overflows one. The result is closed however the loop ends.
   */
  *#batches(text: string, size: number, room: () => number): Generator<Record<string, unknown>[]> {
    const cursor = this.#read(() => this.#session.cursor(text));
    try {
      for (;;) {
        const rows = this.#read(() => cursor.next(Math.min(size, room())));
        if (rows.length === 0) return;
        yield rows;
      }
    } finally {
      cursor.close();
    }
  }

  #read<T>(query: () => T): T {
    try {
      return query();
    } catch (error) {
      throw storeError(error, `Cannot read from ${this.location}`);
    }
  }

  #ensureOpen(): void {
    if (this.#session.closed) throw new IdGraphError('UNAVAILABLE', `store is closed: ${this.location}`);
  }
}

/** Our own errors as they are; Kuzu's as UNAVAILABLE with its first line after `context`. */
function storeError(error: unknown, context: string): IdGraphError {
  if (error instanceof IdGraphError) return error;
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return new IdGraphError('UNAVAILABLE', `${context}: ${reason}`, { cause: error });
}

function getValidDir(dir: unknown): string {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new IdGraphError('BAD_USER_INPUT', `The Kuzu store directory must be a non-empty path, got ${JSON.stringify(dir)}`);
  }
  return dir;
}

function getValidCount(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new IdGraphError('BAD_USER_INPUT', `${name} must be a whole number ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}
