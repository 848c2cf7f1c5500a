/**
 * The store port (DESIGN.md, Ports and adapters): the narrow, batch-shaped questions the rest of the
 * system asks of a database. Adapters (`store/kuzu`, `store/neo4j`) answer them and hold no rules: what
 * "live" means or which edges carry privilege is decided in `model/` and `paths/`.
 *
 * Every adapter passes `test/conformance/store-conformance.ts`.
 */
import type { AuditEvent, AuditInput } from '../model/audit-chain.js';

export type { AuditInput } from '../model/audit-chain.js';
import type { Props } from '../model/properties.js';
import type { EdgeKey, EdgeRecord, NodeRecord } from '../model/records.js';
import type { EdgeType, NodeLabel } from '../model/vocabulary.js';

/**
 * One atomic write: nodes (upserted by id, props replaced whole), then edges (upserted by type, from, to
 * and key, props replaced whole), and the audit event that records them, all in one transaction. Nothing
 * is ever deleted: revocation is a property change. Every edge endpoint must exist in the store or in
 * `nodes`; the caller validates that (an adapter fails the whole batch otherwise).
 */
export interface WriteBatch {
  readonly nodes: readonly NodeRecord[];
  readonly edges: readonly EdgeRecord[];
  readonly audit: AuditInput;
}

/**
 * Records of a bulk load, a batch at a time. `created` batches hold only nodes and edges that the store
 * does not have (the importer has checked), which an adapter may append without looking; the others are
 * upserted like `write`'s.
 */
export interface BulkBatch {
  readonly created: boolean;
  readonly nodes: readonly NodeRecord[];
  readonly edges: readonly EdgeRecord[];
}

/**
 * A load too large for one `write`: the records stream in batches (nodes before the edges that name
 * them), and the audit event is asked for after the last batch, so that it can count them.
 */
export interface BulkWrite {
  /** Streams the batches; an adapter may call it again (a retried transaction) and gets the same batches. */
  readonly batches: () => AsyncIterable<BulkBatch>;
  readonly audit: () => AuditInput;
  /**
   * Records per transaction. 0 (the default) writes everything in one transaction, which is all or
   * nothing; otherwise each part is its own audited commit, and re-running an interrupted load (which
   * is idempotent) finishes it. Kuzu always writes one transaction and ignores this.
   */
  readonly transactionSize?: number;
}

export interface Commit {
  /** The audit sequence number of this write. */
  readonly sequence: number;
  readonly event: AuditEvent;
}

/** What was committed after a sequence number: the nodes and edges as they are now, and the events. */
export interface ChangeSet {
  /** The last committed sequence number (≥ the one asked for). */
  readonly sequence: number;
  readonly nodes: readonly NodeRecord[];
  readonly edges: readonly EdgeRecord[];
  readonly events: readonly AuditEvent[];
}

/**
 * A batch of a topology scan: nodes, one entry per node in each column. A node's position is its place
 * among all the nodes the scan yields (0 for the first node of the first batch); edges name endpoints by it.
 */
export interface TopologyNodes {
  readonly kind: 'nodes';
  readonly labels: readonly NodeLabel[];
  readonly ids: readonly string[];
  readonly props: readonly Props[];
}

/** A batch of a topology scan: edges, endpoints given as node positions (see `TopologyNodes`). */
export interface TopologyEdges {
  readonly kind: 'edges';
  readonly types: readonly EdgeType[];
  readonly from: Uint32Array;
  readonly to: Uint32Array;
  readonly keys: readonly string[];
  readonly props: readonly Props[];
}

export type TopologyBatch = TopologyNodes | TopologyEdges;

export type StoreKind = 'kuzu' | 'neo4j';

export interface GraphStore {
  readonly kind: StoreKind;
  /** Where it is, for messages: `kuzu:./data` or the Neo4j URI without credentials. */
  readonly location: string;

  /** @throws IdGraphError UNAVAILABLE when the store cannot commit; nothing is written then. */
  write(batch: WriteBatch): Promise<Commit>;
  /**
   * Writes a bulk load (see BulkWrite) with the store's fastest path, and its audit event.
   * @returns the (last) commit, or null when the batches held no record (nothing is written then).
   * @throws IdGraphError UNAVAILABLE or CONFLICT as `write`; nothing of the failed transaction is written.
   */
  bulkWrite(load: BulkWrite): Promise<Commit | null>;
  /**
   * One entry per id, in order; undefined where there is no such node. `labels`, where the caller knows
   * them (the projection does), are hints: an adapter with a table per label looks there first.
   */
  getNodes(ids: readonly string[], labels?: readonly (NodeLabel | undefined)[]): Promise<(NodeRecord | undefined)[]>;
  /** One entry per key, in order; undefined where there is no such edge. */
  getEdges(keys: readonly EdgeKey[]): Promise<(EdgeRecord | undefined)[]>;
  /** Every node, in batches of at most `batchSize`, in no particular order. */
  scanNodes(batchSize?: number): AsyncIterable<NodeRecord[]>;
  /** Every edge, in batches of at most `batchSize`, in no particular order. */
  scanEdges(batchSize?: number): AsyncIterable<EdgeRecord[]>;
  /**
   * Every node, then every edge, in column batches of at most `batchSize`, for building the projection:
   * what `scanNodes` and `scanEdges` return, in a shape that costs no record object per row and no id
   * string per edge endpoint. Every node batch comes before the first edge batch. An edge whose endpoint
   * the node batches did not include (both were committed while the scan ran) is left out: it is newer
   * than any sequence read before the scan, so `changesSince` brings it.
   */
  scanTopology(batchSize?: number): AsyncIterable<TopologyBatch>;
  /** Nodes and edges written by commits after `sequence`, as they are now, and those commits' events. */
  changesSince(sequence: number): Promise<ChangeSet>;
  /** Audit events with sequence > `afterSequence`, ascending, at most `limit`. */
  auditEvents(afterSequence: number, limit: number): Promise<AuditEvent[]>;
  /** The last committed sequence number; 0 for an empty store. */
  lastSequence(): Promise<number>;
  close(): Promise<void>;
}
