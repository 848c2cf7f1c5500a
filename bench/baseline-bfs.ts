/**
 * The floor any engine can approach: a minimal BFS over a plain `Int32Array` CSR of the same graph,
 * holding only the edges a query may follow, within the same depth, with no time filter, no paths and no
 * counting. Built once per edge set and direction from the projection, so it walks exactly its topology.
 */
import type { Adjacency, EdgeSet } from '../src/paths/index.js';

export type BaselineDirection = 'forward' | 'backward';

/** A CSR of the followable edges in one direction, and a BFS over it. */
export class BaselineBfs {
  /** The node stamps of the last walk: a node is seen when its stamp is the walk's generation. */
  private readonly seen: Int32Array;
  private readonly queue: Int32Array;
  private generation = 0;

  private constructor(
    private readonly offsets: Int32Array,
    private readonly targets: Int32Array,
  ) {
    const nodes = offsets.length - 1;
    this.seen = new Int32Array(nodes);
    this.queue = new Int32Array(nodes);
  }

  /**
   * The CSR of every edge of `adj` that `edges` follows, out of each node (`forward`) or into it
   * (`backward`).
   * @example const floor = BaselineBfs.of(projection, PRIVILEGE, 'forward'); floor.reached(start)
   */
  static of(adj: Adjacency, edges: EdgeSet, direction: BaselineDirection): BaselineBfs {
    const nodes = adj.nodeCount;
    const kept: number[] = [];
    for (let e = 0; e < adj.edgeCount; e++) if (edges.follows(adj, e)) kept.push(e);
    const from = new Int32Array(kept.length);
    const to = new Int32Array(kept.length);
    kept.forEach((e, i) => {
      from[i] = direction === 'forward' ? adj.edgeFrom(e) : adj.edgeTo(e);
      to[i] = direction === 'forward' ? adj.edgeTo(e) : adj.edgeFrom(e);
    });
    const offsets = new Int32Array(nodes + 1);
    for (let i = 0; i < from.length; i++) offsets[from[i]! + 1]!++;
    for (let n = 0; n < nodes; n++) offsets[n + 1]! += offsets[n]!;
    const cursor = offsets.slice(0, nodes);
    const targets = new Int32Array(from.length);
    for (let i = 0; i < from.length; i++) targets[cursor[from[i]!]!++] = to[i]!;
    return new BaselineBfs(offsets, targets);
  }

  /** The number of nodes reachable from `start` within `maxDepth` edges, itself included. */
  reached(start: number, maxDepth = Infinity): number {
    const { offsets, targets, seen, queue } = this;
    const gen = ++this.generation;
    seen[start] = gen;
    queue[0] = start;
    let head = 0;
    let tail = 1;
    for (let depth = 0; head < tail && depth < maxDepth; depth++) {
      const levelEnd = tail;
      for (; head < levelEnd; head++) {
        const node = queue[head]!;
        const end = offsets[node + 1]!;
        for (let i = offsets[node]!; i < end; i++) {
          const next = targets[i]!;
          if (seen[next] !== gen) {
            seen[next] = gen;
            queue[tail++] = next;
          }
        }
      }
    }
    return tail;
  }
}
