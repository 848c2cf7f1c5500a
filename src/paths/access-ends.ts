/**
 * When access ends (DESIGN.md, Semantics): for each reached node, the latest over all live paths of at
 * most maxDepth edges between the start and it of the earliest end along the path (a bottleneck path).
 * Computed by hop-bounded relaxation rounds over the walk's reached subgraph, never by enumerating paths.
 */
import type { Walk } from './bfs.js';

/**
 * The bottleneck end per local index of `walk` (epoch ms, Infinity for never). Orientation does not matter
 * (a path's bottleneck is a minimum over its edges and nodes), so a backward walk gives the ends of the
 * paths from each node into its start.
 *
 * Round r holds the best over walks of at most r edges. A walk that repeats a node is never better than
 * the path without the loop (it has a subset of the elements), so walks and simple paths agree. Each
 * round only relaxes the edges out of nodes that improved in the one before, reading their values as
 * they were at its end, which keeps the hop bound exact. Cost O(maxDepth × reached edges).
 * @example const ends = accessEnds(w); ends[w.localOf(adj.indexOf('scope:x')!)]
 */
export function accessEnds(walk: Walk): Float64Array {
  const { adj, budget } = walk;
  const best = new Float64Array(walk.size).fill(-Infinity);
  if (walk.size === 0) return best;
  best[0] = adj.nodeEnd(walk.nodes[0] as number);
  // `seen[local]` is the last round that queued the node, so each round queues a node once.
  const seen = new Int32Array(walk.size);
  let frontier = [0];
  let values = [best[0]];
  let value = 0;
  let round = 1;
  let changed: number[] = [];
  const relax = (edge: number): void => {
    budget.tick();
    if (!walk.follows(edge)) return;
    const far = walk.far(edge);
    const local = walk.localOf(far);
    if (local < 0) return;
    const candidate = Math.min(value, adj.edgeEnd(edge), adj.nodeEnd(far));
    if (candidate <= (best[local] as number)) return;
    best[local] = candidate;
    if (seen[local] !== round) {
      seen[local] = round;
      changed.push(local);
    }
  };
  for (; round <= walk.spec.maxDepth && frontier.length > 0; round++) {
    changed = [];
    for (let i = 0; i < frontier.length; i++) {
      value = values[i] as number;
      walk.eachEdge(walk.nodes[frontier[i] as number] as number, relax);
    }
    frontier = changed;
    values = changed.map((local) => best[local] as number);
  }
  return best;
}
