/** A GraphStore that forwards every call to a real store; tests subclass it to interpose on one call. */
import type { EdgeKey } from '../../src/model/records.js';
import type { NodeLabel } from '../../src/model/vocabulary.js';
import type { BulkWrite, GraphStore, WriteBatch } from '../../src/store/port.js';
import { scanTopologyOf } from '../../src/store/topology.js';

export class DelegatingStore implements GraphStore {
  constructor(protected readonly delegate: GraphStore) {}
  get kind() {
    return this.delegate.kind;
  }
  get location() {
    return this.delegate.location;
  }
  write(batch: WriteBatch) {
    return this.delegate.write(batch);
  }
  bulkWrite(load: BulkWrite) {
    return this.delegate.bulkWrite(load);
  }
  getNodes(ids: readonly string[], labels?: readonly (NodeLabel | undefined)[]) {
    return this.delegate.getNodes(ids, labels);
  }
  getEdges(keys: readonly EdgeKey[]) {
    return this.delegate.getEdges(keys);
  }
  scanNodes(batchSize?: number) {
    return this.delegate.scanNodes(batchSize);
  }
  scanEdges(batchSize?: number) {
    return this.delegate.scanEdges(batchSize);
  }
  /** Through this store's own scans, so that a subclass that interposes on one interposes on the build. */
  scanTopology(batchSize?: number) {
    return scanTopologyOf(this, batchSize);
  }
  changesSince(sequence: number) {
    return this.delegate.changesSince(sequence);
  }
  auditEvents(afterSequence: number, limit: number) {
    return this.delegate.auditEvents(afterSequence, limit);
  }
  lastSequence() {
    return this.delegate.lastSequence();
  }
  close() {
    return this.delegate.close();
  }
}
