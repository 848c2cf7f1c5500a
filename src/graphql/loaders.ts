/**
 * The per-request DataLoaders over the store port: node properties and edge properties, each one store
 * call per batch however many keys the resolvers of one tick ask for.
 */
import DataLoader from 'dataloader';
import type { NodeLabel } from '../model/vocabulary.js';
import { edgeKeyString, type EdgeKey, type EdgeRecord, type NodeRecord } from '../model/records.js';
import type { GraphStore } from '../store/port.js';

export interface Loaders {
  /** A node by id; null when the store has no such node. */
  readonly node: DataLoader<string, NodeRecord | null>;
  /** An edge by type, from, to and key; null when the store has no such edge. */
  readonly edge: DataLoader<EdgeKey, EdgeRecord | null, string>;
}

/**
 * Bounds one store call: a batch of 1,000 ids is one indexed lookup, and a listing that scans more makes
 * a call per thousand rather than one unbounded query.
 */
export const MAX_BATCH = 1000;

/** @example const { node } = createLoaders(store); const record = await node.load('svc:payments'); */
export function createLoaders(store: GraphStore, labelOf: (id: string) => NodeLabel | undefined = () => undefined): Loaders {
  return {
    node: new DataLoader<string, NodeRecord | null>(
      async (ids) => (await store.getNodes(ids, ids.map(labelOf))).map((record) => record ?? null),
      { maxBatchSize: MAX_BATCH },
    ),
    edge: new DataLoader<EdgeKey, EdgeRecord | null, string>(
      async (keys) => (await store.getEdges(keys)).map((record) => record ?? null),
      { maxBatchSize: MAX_BATCH, cacheKeyFn: edgeKeyString },
    ),
  };
}
