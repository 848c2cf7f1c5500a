/**
 * The Neo4j adapter of the store port (DESIGN.md, Backends): native labels and relationship types from
 * the vocabulary, props stored natively, every statement from `cypher/neo4j/`. Writes are managed write
 * transactions that first lock the one audit head, so writers serialize across API instances and the
 * audit chain never forks; reads are managed read transactions (routed to readers in a cluster). One
 * bookmark manager per store makes every read see the store's own earlier writes.
 */
import neo4j, { type BookmarkManager, type Driver, type ManagedTransaction } from 'neo4j-driver';
import { GENESIS_HASH, auditEventOf, type AuditEvent } from '../../model/audit-chain.js';
import { IdGraphError, invariant } from '../../model/errors.js';
import { edgeKeyString, type EdgeKey, type EdgeRecord, type NodeRecord } from '../../model/records.js';
import { NODE_LABELS, type NodeLabel } from '../../model/vocabulary.js';
import type { ChangeSet, Commit, GraphStore, WriteBatch } from '../port.js';
import { CLOSE_GRACE_MS, closeWithin, connectNeo4j } from './neo4j-connect.js';
import { toStoreError } from './neo4j-errors.js';
import { migrateNeo4j } from './neo4j-migrate.js';
import { EDGE_TRIPLES, neo4jStatement, type EdgeTriple } from './neo4j-statements.js';
import { parseNeo4jUri } from './neo4j-uri.js';
import {
  EDGE_SYSTEM_KEYS,
  NODE_SYSTEM_KEYS,
  auditEventParam,
  readAuditEvent,
  readProps,
  toNumber,
} from './neo4j-values.js';
import { MAX_ROWS_PER_STATEMENT, chunks, planWrite } from './neo4j-write-plan.js';

/** How to reach the database: see `openNeo4jStore`. */
export interface Neo4jStoreOptions {
  /** `neo4j://`, `neo4j+s://`, `bolt://` or `bolt+s://`; user info in it is used as credentials. */
  readonly uri: string;
  /** Basic auth when given (overrides user info in the URI). */
  readonly user?: string;
  readonly password?: string;
  /** The database name; the server's default database when absent. */
  readonly database?: string;
  /** Budget to connect and get a first answer, and the driver's retry time; default 5000. */
  readonly connectTimeoutMs?: number;
}

/** Well inside the 10 s in which an unreachable store must be reported (the CLI exits 3). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const DEFAULT_BATCH_SIZE = 1000;

type Row = Record<string, unknown>;

/**
 * Connects (within `connectTimeoutMs`), creates any missing constraint or index, and returns the store.
 * @throws IdGraphError BAD_USER_INPUT for a bad URI or option; UNAVAILABLE when Neo4j does not answer
 *   in time (`Neo4j at <uri> did not answer within 5s: connect ECONNREFUSED …`), refuses the credentials
 *   or cannot be migrated.
 * @example const store = await openNeo4jStore({ uri: 'neo4j://localhost:7687', user: 'neo4j', password })
 */
export async function openNeo4jStore(options: Neo4jStoreOptions): Promise<Neo4jStore> {
  const database = getValidDatabase(options.database);
  const target = parseNeo4jUri(options.uri, database);
  const connectTimeoutMs = getValidTimeout(options.connectTimeoutMs);
  const driver = await connectNeo4j(target, {
    connectTimeoutMs,
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(database === undefined ? {} : { database }),
  });
  const bookmarkManager = neo4j.bookmarkManager();
  try {
    await migrateNeo4j(driver, { bookmarkManager, ...(database === undefined ? {} : { database }) });
  } catch (error) {
    await closeWithin(driver, CLOSE_GRACE_MS);
    throw toStoreError(error, target.location);
  }
  return new Neo4jStore(driver, target.location, database, bookmarkManager);
}

/** A GraphStore over a Neo4j database; create it with `openNeo4jStore`. */
export class Neo4jStore implements GraphStore {
  readonly kind = 'neo4j' as const;
  readonly location: string;
  readonly #driver: Driver;
  readonly #database: string | undefined;
  readonly #bookmarks: BookmarkManager;
  #closed = false;

  /** @internal use `openNeo4jStore`, which connects and migrates first. */
  constructor(driver: Driver, location: string, database: string | undefined, bookmarks: BookmarkManager) {
    this.#driver = driver;
    this.location = location;
    this.#database = database;
    this.#bookmarks = bookmarks;
  }

  async write(batch: WriteBatch): Promise<Commit> {
    const plan = planWrite(batch);
    return this.#transaction('WRITE', async (tx) => {
      // The head lock comes first: it orders this write after every other writer's commit.
      const [head] = await rows(tx, neo4jStatement('lock_audit_head'), { genesis: GENESIS_HASH });
      invariant(head !== undefined, 'lock_audit_head returns the head');
      const sequence = toNumber(head['sequence'], 'AuditHead.sequence') + 1;
      const seq = neo4j.int(sequence);
      for (const { label, rows: chunk } of plan.nodes) {
        await tx.run(neo4jStatement('upsert_nodes', { label }), { rows: chunk, seq });
      }
      for (const { rows: chunk, ...triple } of plan.edges) {
        const written = await rows(tx, neo4jStatement('upsert_edges', triple), { rows: chunk, seq });
        const matched = new Set(written.map((row) => toNumber(row['i'], 'upsert_edges row')));
        const missing = chunk.filter((row) => !matched.has(row.i));
        if (missing.length > 0) {
          const shown = missing.slice(0, 3).map((row) => `${triple.type} ${row.from} -> ${row.to}`).join(', ');
          throw new IdGraphError(
            'CONFLICT',
            `${missing.length} edge(s) name an endpoint that is not in the store: ${shown}${missing.length > 3 ? ', …' : ''}; nothing was written`,
          );
        }
      }
      const prevHash = typeof head['hash'] === 'string' ? head['hash'] : GENESIS_HASH;
      const event = auditEventOf(batch.audit, sequence, prevHash);
      await tx.run(neo4jStatement('append_audit'), { event: auditEventParam(event) });
      return { sequence, event };
    });
  }

  async getNodes(ids: readonly string[]): Promise<(NodeRecord | undefined)[]> {
    const found = new Map<string, NodeRecord>();
    for (const chunk of chunks([...new Set(ids)], MAX_ROWS_PER_STATEMENT)) {
      // One statement per label, pipelined in one transaction; labels in vocabulary order decide ties.
      const perLabel = await this.#transaction('READ', (tx) =>
        Promise.all(NODE_LABELS.map((label) => rows(tx, neo4jStatement('get_nodes', { label }), { ids: chunk }))),
      );
      perLabel.forEach((records, index) => {
        for (const row of records) {
          const node = toNode(NODE_LABELS[index]!, row);
          if (!found.has(node.id)) found.set(node.id, node);
        }
      });
    }
    return ids.map((id) => found.get(id));
  }

  async getEdges(keys: readonly EdgeKey[]): Promise<(EdgeRecord | undefined)[]> {
    const found = new Map<string, EdgeRecord>();
    const types = new Set(keys.map((key) => key.type));
    const triples = EDGE_TRIPLES.filter((triple) => types.has(triple.type));
    for (const chunk of chunks(keys, MAX_ROWS_PER_STATEMENT)) {
      const perTriple = await this.#transaction('READ', (tx) =>
        Promise.all(
          triples.map((triple) => {
            const params = chunk.filter((key) => key.type === triple.type).map(({ from, to, key }) => ({ from, to, key }));
            return params.length === 0 ? [] : rows(tx, neo4jStatement('get_edges', triple), { keys: params });
          }),
        ),
      );
      perTriple.forEach((records, index) => {
        for (const row of records) {
          const edge = toEdge(triples[index]!, row);
          found.set(edgeKeyString(edge), edge);
        }
      });
    }
    return keys.map((key) => found.get(edgeKeyString(key)));
  }

  /** Pages by id on each label's id constraint index: each page is a range seek, however deep. */
  async *scanNodes(batchSize = DEFAULT_BATCH_SIZE): AsyncIterable<NodeRecord[]> {
    const limit = getValidBatchSize(batchSize);
    for (const label of NODE_LABELS) {
      let after = '';
      for (;;) {
        const page = await this.#read(neo4jStatement('scan_nodes', { label }), { after, limit: neo4j.int(limit) });
        if (page.length > 0) yield page.map((row) => toNode(label, row));
        if (page.length < limit) break;
        after = String(page[page.length - 1]!['id']);
      }
    }
  }

  /**
   * Pages by source node id (an index range seek, as for nodes) rather than by elementId, which has no
   * index (each page would scan and sort every relationship of the type) and may be reused after a
   * delete. A page holds every edge of up to `batchSize` source nodes and is yielded in slices.
   */
  async *scanEdges(batchSize = DEFAULT_BATCH_SIZE): AsyncIterable<EdgeRecord[]> {
    const limit = getValidBatchSize(batchSize);
    for (const triple of EDGE_TRIPLES) {
      let after = '';
      for (;;) {
        const page = await this.#read(neo4jStatement('scan_edges', triple), { after, limit: neo4j.int(limit) });
        for (const slice of chunks(page, limit)) yield slice.map((row) => toEdge(triple, row));
        if (new Set(page.map((row) => row['from'])).size < limit) break;
        after = String(page[page.length - 1]!['from']);
      }
    }
  }

  async changesSince(sequence: number): Promise<ChangeSet> {
    const since = getValidSequence(sequence, 'sequence');
    return this.#transaction('READ', async (tx) => {
      // The last sequence is read first: every commit up to it is visible to the reads that follow, so
      // nothing at or below it is missed (a later commit's rows may show up early, which is harmless).
      const last = await lastSequenceIn(tx);
      if (last <= since) return { sequence: since, nodes: [], edges: [], events: [] };
      const after = neo4j.int(since);
      const [perLabel, perTriple, events] = await Promise.all([
        Promise.all(NODE_LABELS.map((label) => rows(tx, neo4jStatement('nodes_since', { label }), { after }))),
        Promise.all(EDGE_TRIPLES.map((triple) => rows(tx, neo4jStatement('edges_since', triple), { after }))),
        rows(tx, neo4jStatement('audit_events'), { after, limit: neo4j.int(last - since) }),
      ]);
      return {
        sequence: last,
        nodes: perLabel.flatMap((records, i) => records.map((row) => toNode(NODE_LABELS[i]!, row))),
        edges: perTriple.flatMap((records, i) => records.map((row) => toEdge(EDGE_TRIPLES[i]!, row))),
        events: events.map((row) => readAuditEvent(row['event'] as Row)).filter((event) => event.sequence <= last),
      };
    });
  }

  async auditEvents(afterSequence: number, limit: number): Promise<AuditEvent[]> {
    const after = getValidSequence(afterSequence, 'afterSequence');
    const max = getValidSequence(limit, 'limit');
    if (max === 0) return [];
    const page = await this.#read(neo4jStatement('audit_events'), { after: neo4j.int(after), limit: neo4j.int(max) });
    return page.map((row) => readAuditEvent(row['event'] as Row));
  }

  async lastSequence(): Promise<number> {
    return this.#transaction('READ', lastSequenceIn);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#driver.close();
  }

  #read(text: string, params: Row): Promise<Row[]> {
    return this.#transaction('READ', (tx) => rows(tx, text, params));
  }

  /** A managed transaction (retried by the driver on transient errors) in a session that shares bookmarks. */
  async #transaction<T>(mode: 'READ' | 'WRITE', work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    if (this.#closed) throw new IdGraphError('UNAVAILABLE', `The Neo4j store at ${this.location} is closed`);
    const session = this.#driver.session({
      bookmarkManager: this.#bookmarks,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      ...(this.#database === undefined ? {} : { database: this.#database }),
    });
    try {
      return mode === 'READ' ? await session.executeRead(work) : await session.executeWrite(work);
    } catch (error) {
      throw toStoreError(error, this.location);
    } finally {
      await session.close();
    }
  }
}

async function rows(tx: ManagedTransaction, text: string, params: Row): Promise<Row[]> {
  const result = await tx.run(text, params);
  return result.records.map((record) => record.toObject() as Row);
}

async function lastSequenceIn(tx: ManagedTransaction): Promise<number> {
  const [row] = await rows(tx, neo4jStatement('last_audit'), {});
  return row === undefined ? 0 : readAuditEvent(row['event'] as Row).sequence;
}

function toNode(label: NodeLabel, row: Row): NodeRecord {
  return { label, id: String(row['id']), props: readProps(row['props'] as Row, NODE_SYSTEM_KEYS) };
}

function toEdge(triple: EdgeTriple, row: Row): EdgeRecord {
  return {
    type: triple.type,
    from: String(row['from']),
    to: String(row['to']),
    fromLabel: triple.from,
    toLabel: triple.to,
    key: typeof row['key'] === 'string' ? row['key'] : '',
    props: readProps(row['props'] as Row, EDGE_SYSTEM_KEYS),
  };
}

function getValidTimeout(value: number | undefined): number {
  if (value === undefined) return DEFAULT_CONNECT_TIMEOUT_MS;
  if (Number.isFinite(value) && value > 0) return value;
  throw new IdGraphError('BAD_USER_INPUT', `connectTimeoutMs must be a positive number of milliseconds, got ${String(value)}`);
}

function getValidDatabase(value: string | undefined): string | undefined {
  // The server judges the name; this only keeps a blank or spaced name out of URIs and messages.
  if (value === undefined || /^\S+$/.test(value)) return value;
  throw new IdGraphError('BAD_USER_INPUT', `Neo4j database name must be non-empty without spaces, got "${value}"`);
}

function getValidBatchSize(value: number): number {
  if (Number.isSafeInteger(value) && value > 0) return value;
  throw new IdGraphError('BAD_USER_INPUT', `batchSize must be a positive integer, got ${String(value)}`);
}

function getValidSequence(value: number, name: string): number {
  if (Number.isSafeInteger(value) && value >= 0) return value;
  throw new IdGraphError('BAD_USER_INPUT', `${name} must be a non-negative integer, got ${String(value)}`);
}
