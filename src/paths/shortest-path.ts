/** `shortestPath`: how compromising one node reaches another. */
import type { QueryOptions } from '../model/query-options.js';
import type { Adjacency } from './adjacency.js';
import { walk, type Walk } from './bfs.js';
import { COMPROMISE } from './edge-sets.js';
import { entriesOf } from './entries.js';
import { nodeRef, resolveNode } from './resolve-node.js';
import type { PathQueryResult } from './results.js';

/**
 * A shortest live path along compromise edges from one node to another, within `maxDepth`: no entry when
 * there is none, else one with the smallest id sequence among the shortest, the number of shortest routes
 * and the bottleneck end over all live paths. From a node to itself the path is that node alone.
 * @throws IdGraphError NOT_FOUND for an unknown id; UNAVAILABLE when `options.signal` aborts.
 * @example shortestPath(adj, 'vendor:acme', 'svc:payments', resolveQueryOptions()).entries[0]?.path.nodes
 */
export function shortestPath(adj: Adjacency, fromId: string, toId: string, options: QueryOptions): PathQueryResult {
  const from = resolveNode(adj, fromId, { query: 'shortestPath' });
  const to = resolveNode(adj, toId, { query: 'shortestPath' });
  const w = walk(adj, from, { ...options, edges: COMPROMISE, direction: 'forward' });
  try {
    const entries = from === to ? selfEntry(w) : entriesOf(w, (node) => node === to);
    return { subject: nodeRef(adj, from), at: options.at, maxDepth: options.maxDepth, entries, stats: w.stats };
  } finally {
    w.release();
  }
}

/** The zero-edge path, when the node is live: its own end is the bottleneck. */
function selfEntry(w: Walk): PathQueryResult['entries'] {
  if (w.size === 0) return [];
  return [w.entry(0, Float64Array.of(w.adj.nodeEnd(w.nodes[0] as number)))];
}
