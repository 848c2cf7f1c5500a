/**
 * Node-indexed scratch arrays for walks: allocating and clearing arrays of `nodeCount` per query would cost
 * more than the walk itself at a million nodes, so walks borrow them from a pool kept per adjacency.
 */
import type { Adjacency } from './adjacency.js';

/**
 * A node-indexed array pair, stamped with a generation so that it is never cleared between walks.
 * Walks alive at the same time borrow different ones, so a caller may run one walk inside another.
 */
export interface Scratch {
  readonly stamp: Int32Array;
  readonly local: Int32Array;
  /** The generation of the walk holding it, 0 when free. */
  gen: number;
  /** The last generation handed out: stamps are unique per scratch. */
  last: number;
}

const free = new WeakMap<Adjacency, Scratch[]>();

/** Borrows a free scratch at least `adj.nodeCount` long, with a fresh generation. */
export function acquireScratch(adj: Adjacency): Scratch {
  const pool = free.get(adj) ?? [];
  free.set(adj, pool);
  let scratch = pool.pop();
  // The projection can grow between queries: a smaller array is dropped for a new one.
  if (!scratch || scratch.stamp.length < adj.nodeCount) {
    const size = Math.max(adj.nodeCount, 1);
    scratch = { stamp: new Int32Array(size), local: new Int32Array(size), gen: 0, last: 0 };
  }
  if (scratch.last >= 0x7ffffffe) {
    scratch.last = 0;
    scratch.stamp.fill(0);
  }
  scratch.gen = ++scratch.last;
  return scratch;
}

/** Returns a scratch to the pool of its adjacency. */
export function releaseScratch(adj: Adjacency, scratch: Scratch, gen: number): void {
  // A second release of the same walk must not put the array in the pool twice.
  if (scratch.gen !== gen) return;
  scratch.gen = 0;
  free.get(adj)?.push(scratch);
}
