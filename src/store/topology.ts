/**
 * The port's topology scan over its record scans: what an adapter without a faster way (Neo4j, test
 * wrappers) answers `scanTopology` with. Node positions are counted as the nodes go by, and each edge's
 * endpoints looked up among them.
 */
import type { Props } from '../model/properties.js';
import type { EdgeType, NodeLabel } from '../model/vocabulary.js';
import type { GraphStore, TopologyBatch } from './port.js';

/**
 * Every node, then every edge, of `store` as topology batches (see `GraphStore.scanTopology`), read
 * through its `scanNodes` and `scanEdges`; a batch holds at most `batchSize` rows when the record scans
 * keep to it. Holds a map of every id while it runs.
 * @example scanTopology(batchSize) { return scanTopologyOf(this, batchSize); }
 */
export async function* scanTopologyOf(store: Pick<GraphStore, 'scanNodes' | 'scanEdges'>, batchSize?: number): AsyncGenerator<TopologyBatch> {
  const positions = new Map<string, number>();
  for await (const batch of store.scanNodes(batchSize)) {
    const labels: NodeLabel[] = [];
    const ids: string[] = [];
    const props: Props[] = [];
    for (const node of batch) {
      // A store lists each node once; a repeat would make every later position wrong, so it is skipped.
      if (positions.has(node.id)) continue;
      positions.set(node.id, positions.size);
      labels.push(node.label);
      ids.push(node.id);
      props.push(node.props);
    }
    if (ids.length > 0) yield { kind: 'nodes', labels, ids, props };
  }
  for await (const batch of store.scanEdges(batchSize)) {
    const types: EdgeType[] = [];
    const from = new Uint32Array(batch.length);
    const to = new Uint32Array(batch.length);
    const keys: string[] = [];
    const props: Props[] = [];
    for (const edge of batch) {
      const a = positions.get(edge.from);
      const b = positions.get(edge.to);
      // Committed after its endpoint's node batch was read: `changesSince` brings it (see the port).
      if (a === undefined || b === undefined) continue;
      from[types.length] = a;
      to[types.length] = b;
      types.push(edge.type);
      keys.push(edge.key);
      props.push(edge.props);
    }
    if (types.length > 0) yield { kind: 'edges', types, from: from.subarray(0, types.length), to: to.subarray(0, types.length), keys, props };
  }
}
