/**
 * The store port (DESIGN.md, Ports and adapters): the narrow, batch-shaped questions the rest of the
 * system asks of a database. Adapters (`store/kuzu`, `store/neo4j`) answer them and hold no rules: what
 * "live" means or which edges carry privilege is decided in `model/` and `paths/`.
 *
 * Every adapter passes `test/conformance/store-conformance.ts`.
 */
import type { AuditEvent, AuditInput } from '../model/audit-chain.js';

export type { AuditInput } from '../model/audit-chain.js';
import type { EdgeKey, EdgeRecord, NodeRecord } from '../model/records.js';

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

export type StoreKind = 'kuzu' | 'neo4j';

export interface GraphStore {
  readonly kind: StoreKind;
  /** Where it is, for messages: `kuzu:./data` or the Neo4j URI without credentials. */
  readonly location: string;

  /** @throws IdGraphError UNAVAILABLE when the store cannot commit; nothing is written then. */
  write(batch: WriteBatch): Promise<Commit>;
  /** One entry per id, in order; undefined where there is no such node. */
  getNodes(ids: readonly string[]): Promise<(NodeRecord | undefined)[]>;
  /** One entry per key, in order; undefined where there is no such edge. */
  getEdges(keys: readonly EdgeKey[]): Promise<(EdgeRecord | undefined)[]>;
  /** Every node, in batches of at most `batchSize`, in no particular order. */
  scanNodes(batchSize?: number): AsyncIterable<NodeRecord[]>;
  /** Every edge, in batches of at most `batchSize`, in no particular order. */
  scanEdges(batchSize?: number): AsyncIterable<EdgeRecord[]>;
  /** Nodes and edges written by commits after `sequence`, as they are now, and those commits' events. */
  changesSince(sequence: number): Promise<ChangeSet>;
  /** Audit events with sequence > `afterSequence`, ascending, at most `limit`. */
  auditEvents(afterSequence: number, limit: number): Promise<AuditEvent[]>;
  /** The last committed sequence number; 0 for an empty store. */
  lastSequence(): Promise<number>;
  close(): Promise<void>;
}
