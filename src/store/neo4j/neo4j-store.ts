/**
 * The Neo4j adapter of the store port (DESIGN.md, Backends): native labels and relationship types from
 * the vocabulary, props stored natively, every statement from `cypher/neo4j/`. Writes are managed write
 * transactions that first lock the one audit head, so writers serialize across API instances and the
 * audit chain never forks; reads are managed read transactions (routed to readers in a cluster). One
 * bookmark manager per store makes every read see the store's own earlier writes.
 */
import { randomUUID } from 'node:crypto';
import neo4j, { type BookmarkManager, type Driver, type ManagedTransaction } from 'neo4j-driver';
import type { AuditEvent } from '../../model/audit-chain.js';
import { IdGraphError } from '../../model/errors.js';
import { edgeKeyString, type EdgeKey, type EdgeRecord, type NodeRecord } from '../../model/records.js';
import { NODE_LABELS } from '../../model/vocabulary.js';
import type { BulkWrite, ChangeSet, Commit, GraphStore, TopologyBatch, WriteBatch } from '../port.js';
import { scanTopologyOf } from '../topology.js';
import { lastSequenceIn, readChanges } from './neo4j-changes.js';
import { CLOSE_GRACE_MS, closeWithin, connectNeo4j } from './neo4j-connect.js';
import { toStoreError } from './neo4j-errors.js';
import { migrateNeo4j } from './neo4j-migrate.js';
import { EDGE_TRIPLES, neo4jStatement } from './neo4j-statements.js';
import { parseNeo4jUri } from './neo4j-uri.js';
import { readAuditEvent, rows, toEdge, toNode, type Row } from './neo4j-values.js';
import { MAX_ROWS_PER_STATEMENT, chunks, planWrite } from './neo4j-write-plan.js';
import { writeAttempt } from './neo4j-write.js';
import { checkBatchLabels } from '../label-conflicts.js';

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

  /**
   * One managed write transaction. The driver reruns it after a transient failure, also when the commit
   * succeeded and only its acknowledgement was lost; the write id, made once here, lets a rerun find
   * that commit and return it rather than write the batch again.
   */
  async write(batch: WriteBatch): Promise<Commit> {
    const plan = planWrite(batch);
    checkBatchLabels(batch.nodes);
    const work = { batch, plan, writeId: randomUUID() };
    let attempts = 0;
    return this.#transaction('WRITE', (tx) => writeAttempt(tx, work, ++attempts > 1));
  }

  /**
   * Neo4j has no faster path than UNWIND batches, so a bulk load is `write` calls: one for everything
   * (all or nothing) by default, or one audited commit per `transactionSize` records.
   */
  async bulkWrite(load: BulkWrite): Promise<Commit | null> {
    const size = load.transactionSize ?? 0;
    const nodes: NodeRecord[] = [];
    const edges: EdgeRecord[] = [];
    let last: Commit | null = null;
    let part = 0;
    /** Writes the first `count` records held, nodes before edges (a batch names its nodes first). */
    const flush = async (count: number): Promise<void> => {
      const partNodes = nodes.splice(0, count);
      const partEdges = edges.splice(0, count - partNodes.length);
      const audit = load.audit();
      const reason = size > 0 ? `${audit.reason ?? ''} (part ${++part})`.trim() : audit.reason;
      last = await this.write({ nodes: partNodes, edges: partEdges, audit: { ...audit, reason } });
    };
    for await (const batch of load.batches()) {
      for (const node of batch.nodes) nodes.push(node);
      for (const edge of batch.edges) edges.push(edge);
      while (size > 0 && nodes.length + edges.length >= size) await flush(size);
    }
    if (nodes.length + edges.length > 0) await flush(nodes.length + edges.length);
    return last;
  }

  async getNodes(ids: readonly string[]): Promise<(NodeRecord | undefined)[]> {
    const found = new Map<string, NodeRecord>();
    for (const chunk of chunks([...new Set(ids)], MAX_ROWS_PER_STATEMENT)) {
      // One statement per label, pipelined in one transaction. The adapter keeps an id to one label; for
      // data written otherwise, labels in vocabulary order decide ties.
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

  /** Over `scanNodes` and `scanEdges`: the pages are what they cost; there is no cheaper export here. */
  scanTopology(batchSize = DEFAULT_BATCH_SIZE): AsyncIterable<TopologyBatch> {
    return scanTopologyOf(this, batchSize);
  }

  /** A consistent cut in one read transaction: see `readChanges`. */
  async changesSince(sequence: number): Promise<ChangeSet> {
    const since = getValidSequence(sequence, 'sequence');
    return this.#transaction('READ', (tx) => readChanges(tx, since));
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
