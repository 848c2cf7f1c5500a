/**
 * A `GraphStore` wrapper that counts the calls made to each method of its delegate and records the keys
 * of each batched read (STYLE 4: wrappers add behaviour around a delegate). Tests use it to prove that
 * resolvers batch; benchmarks to report store calls per request.
 */
import type { AuditEvent } from '../model/audit-chain.js';
import type { EdgeKey, EdgeRecord, NodeRecord } from '../model/records.js';
import type { NodeLabel } from '../model/vocabulary.js';
import type { BulkWrite, ChangeSet, Commit, GraphStore, StoreKind, TopologyBatch, WriteBatch } from './port.js';

/** The methods of the port that reach the database. */
export type StoreMethod =
  | 'write'
  | 'bulkWrite'
  | 'getNodes'
  | 'getEdges'
  | 'scanNodes'
  | 'scanEdges'
  | 'scanTopology'
  | 'changesSince'
  | 'auditEvents'
  | 'lastSequence'
  | 'close';

/**
 * @example
 * const store = new CountingStore(await openKuzuStore({ dir }));
 * await resolveSomething(store);
 * expect(store.count('getNodes')).toBe(1);
 * expect(store.nodeBatches).toEqual([['sa:a', 'sa:b']]);
 */
export class CountingStore implements GraphStore {
  private readonly calls = new Map<StoreMethod, number>();
  private readonly nodeIdBatches: string[][] = [];
  private readonly edgeKeyBatches: EdgeKey[][] = [];

  constructor(private readonly delegate: GraphStore) {}

  get kind(): StoreKind {
    return this.delegate.kind;
  }

  get location(): string {
    return this.delegate.location;
  }

  /** Calls made to `method` since construction or the last `reset()`. */
  count(method: StoreMethod): number {
    return this.calls.get(method) ?? 0;
  }

  /** The ids of each `getNodes` call, in call order. */
  get nodeBatches(): readonly (readonly string[])[] {
    return this.nodeIdBatches;
  }

  /** The keys of each `getEdges` call, in call order. */
  get edgeBatches(): readonly (readonly EdgeKey[])[] {
    return this.edgeKeyBatches;
  }

  /** Forgets every count and batch, e.g. after the setup of a test. */
  reset(): void {
    this.calls.clear();
    this.nodeIdBatches.length = 0;
    this.edgeKeyBatches.length = 0;
  }

  write(batch: WriteBatch): Promise<Commit> {
    this.tally('write');
    return this.delegate.write(batch);
  }

  bulkWrite(load: BulkWrite): Promise<Commit | null> {
    this.tally('bulkWrite');
    return this.delegate.bulkWrite(load);
  }

  getNodes(ids: readonly string[], labels?: readonly (NodeLabel | undefined)[]): Promise<(NodeRecord | undefined)[]> {
    this.tally('getNodes');
    this.nodeIdBatches.push([...ids]);
    return this.delegate.getNodes(ids, labels);
  }

  getEdges(keys: readonly EdgeKey[]): Promise<(EdgeRecord | undefined)[]> {
    this.tally('getEdges');
    this.edgeKeyBatches.push([...keys]);
    return this.delegate.getEdges(keys);
  }

  scanNodes(batchSize?: number): AsyncIterable<NodeRecord[]> {
    this.tally('scanNodes');
    return this.delegate.scanNodes(batchSize);
  }

  scanEdges(batchSize?: number): AsyncIterable<EdgeRecord[]> {
    this.tally('scanEdges');
    return this.delegate.scanEdges(batchSize);
  }

  scanTopology(batchSize?: number): AsyncIterable<TopologyBatch> {
    this.tally('scanTopology');
    return this.delegate.scanTopology(batchSize);
  }

  changesSince(sequence: number): Promise<ChangeSet> {
    this.tally('changesSince');
    return this.delegate.changesSince(sequence);
  }

  auditEvents(afterSequence: number, limit: number): Promise<AuditEvent[]> {
    this.tally('auditEvents');
    return this.delegate.auditEvents(afterSequence, limit);
  }

  lastSequence(): Promise<number> {
    this.tally('lastSequence');
    return this.delegate.lastSequence();
  }

  close(): Promise<void> {
    this.tally('close');
    return this.delegate.close();
  }

  private tally(method: StoreMethod): void {
    this.calls.set(method, this.count(method) + 1);
  }
}
