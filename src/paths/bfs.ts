/**
 * The shared core of every query: a level-by-level BFS over live followable edges, forward from a subject
 * or backward into a scope. It records, for every node reached within maxDepth, its distance, the number
 * of shortest routes (as edge sequences, parallel edges counted apart) and one hop of the deterministic
 * best path; the bottleneck pass (`access-ends.ts`) and the queries read the result.
 */
import { isLiveAt } from '../model/liveness.js';
import type { Adjacency } from './adjacency.js';
import { Budget } from './budget.js';
import type { EdgeSet } from './edge-sets.js';
import type { Path, PathEntry, PathStep, QueryStats } from './results.js';
import { acquireScratch, releaseScratch, type Scratch } from './scratch.js';

/** `forward` follows edges from their source; `backward` walks into a node, paths read towards the start. */
export type Direction = 'forward' | 'backward';

export interface WalkSpec {
  readonly edges: EdgeSet;
  readonly direction: Direction;
  /** Epoch ms at which every node and edge on a path must be live. */
  readonly at: number;
  readonly maxDepth: number;
  readonly signal?: AbortSignal | undefined;
  /** Epoch ms after which the walk stops (QueryOptions.deadline). */
  readonly deadline?: number | undefined;
}

/**
 * Runs the BFS from `start` and returns what it reached. Call `release()` when done with the walk (it
 * borrows a reusable index array sized to the graph).
 * @throws IdGraphError UNAVAILABLE when `spec.signal` aborts.
 * @example
 * const w = walk(adj, adj.indexOf('sa:ci')!, { edges: PRIVILEGE, direction: 'forward', at: Date.now(), maxDepth: 12 });
 * try { console.log(w.size, w.stats); } finally { w.release(); }
 */
export function walk(adj: Adjacency, start: number, spec: WalkSpec): Walk {
  const w = new Walk(adj, spec, new Budget(spec.signal, spec.deadline));
  try {
    if (isLiveAt(adj.nodeStart(start), adj.nodeEnd(start), spec.at)) w.run(start);
    return w;
  } catch (error) {
    w.release();
    throw error;
  }
}

/** What a BFS reached. Nodes are numbered locally 0…size-1 in discovery order; local 0 is the start. */
export class Walk {
  /** Graph node index per local index. */
  readonly nodes: number[] = [];
  readonly ids: string[] = [];
  readonly dist: number[] = [];
  /** Number of shortest live routes from the start (forward) or to it (backward). */
  readonly routes: number[] = [];
  /** Local index of the best parent (forward) or best next hop towards the start (backward); -1 for the start. */
  readonly hop: number[] = [];
  readonly hopEdge: number[] = [];
  stats: QueryStats = { visited: 0, depthReached: 0, truncated: false };
  /** Per local index, its step to its hop once a path has used it. */
  private readonly steps: (PathStep | null)[] = [];
  /** Forward only: a node's position in its sorted level. */
  private readonly rankOf: number[] = [];
  private readonly scratch: Scratch;
  private readonly gen: number;
  private readonly forward: boolean;

  constructor(
    readonly adj: Adjacency,
    readonly spec: WalkSpec,
    readonly budget: Budget,
  ) {
    this.scratch = acquireScratch(adj);
    this.gen = this.scratch.gen;
    this.forward = spec.direction === 'forward';
  }

  get size(): number {
    return this.nodes.length;
  }

  /** The local index of a graph node, or -1 when the walk did not reach it. */
  localOf(node: number): number {
    return this.scratch.stamp[node] === this.gen ? (this.scratch.local[node] as number) : -1;
  }

  /** True when the walk may take this edge at `at`: its type is followable and the edge is live. */
  follows(edge: number): boolean {
    const { adj } = this;
    return isLiveAt(adj.edgeStart(edge), adj.edgeEnd(edge), this.spec.at) && this.spec.edges.follows(adj, edge);
  }

  /** The node an edge leads to in the walk's direction. */
  far(edge: number): number {
    return this.forward ? this.adj.edgeTo(edge) : this.adj.edgeFrom(edge);
  }

  /** Calls `visit` with every edge the walk could take out of `node` (before liveness checks). */
  eachEdge(node: number, visit: (edge: number) => void): void {
    if (this.forward) this.adj.forEachOut(node, visit);
    else this.adj.forEachIn(node, visit);
  }

  /**
   * The best path between the start and a reached node, always in edge orientation (forward). Step
   * objects are made once per node and shared by every path through it: a walk that reaches 10⁵ nodes
   * would otherwise allocate a step per hop per entry.
   */
  pathTo(local: number): Path {
    const length = this.dist[local] as number;
    const nodes: string[] = new Array<string>(length + 1);
    const steps: PathStep[] = new Array<PathStep>(length);
    let at = local;
    for (let i = 0; i <= length; i++) {
      nodes[this.forward ? length - i : i] = this.ids[at] as string;
      if (i < length) steps[this.forward ? length - 1 - i : i] = this.stepOf(at);
      at = this.hop[at] as number;
    }
    return { nodes, steps };
  }

  /** The query entry for a reached node, given the bottleneck ends from `accessEnds`. */
  entry(local: number, ends: Float64Array): PathEntry {
    const node = this.nodes[local] as number;
    return {
      target: { id: this.ids[local] as string, label: this.adj.labelOf(node) },
      path: this.pathTo(local),
      distance: this.dist[local] as number,
      routes: this.routes[local] as number,
      accessEndsAt: ends[local] as number,
    };
  }

  /** Gives the index array back; the walk must not be read afterwards. */
  release(): void {
    releaseScratch(this.adj, this.scratch, this.gen);
  }

  /** @internal */
  run(start: number): void {
    const { adj, spec, budget, forward } = this;
    this.add(start, 0, 1, -1, -1);
    let level: number[] = [0];
    let next: number[] = [];
    let from = 0;
    let depth = 0;
    // One closure for the whole walk: `from` and `depth` say where it is.
    const visit = (edge: number): void => {
      budget.tick();
      if (!this.follows(edge)) return;
      const node = this.far(edge);
      const local = this.localOf(node);
      if (local < 0) {
        if (!isLiveAt(adj.nodeStart(node), adj.nodeEnd(node), spec.at)) return;
        next.push(this.add(node, depth + 1, this.routes[from] as number, from, edge));
      } else if (this.dist[local] === depth + 1) {
        this.routes[local] = (this.routes[local] as number) + (this.routes[from] as number);
        this.offerHop(local, from, edge);
      }
    };
    for (; level.length > 0 && depth < spec.maxDepth; depth++) {
      next = [];
      for (const local of level) {
        from = local;
        this.eachEdge(this.nodes[local] as number, visit);
      }
      if (forward) this.rank(next);
      level = next;
    }
    const truncated = level.length > 0 && this.leadsFurther(level);
    this.stats = { visited: this.size, depthReached: level.length > 0 ? depth : depth - 1, truncated };
  }

  private add(node: number, dist: number, routes: number, hop: number, edge: number): number {
    const local = this.nodes.length;
    this.scratch.stamp[node] = this.gen;
    this.scratch.local[node] = local;
    this.nodes.push(node);
    this.ids.push(this.adj.idOf(node));
    this.dist.push(dist);
    this.routes.push(routes);
    this.hop.push(hop);
    this.hopEdge.push(edge);
    this.rankOf.push(0);
    this.steps.push(null);
    return local;
  }

  /**
   * Forward, the level is expanded in rank order, so a node's first parent is its best one and only a
   * smaller parallel edge can improve the hop. Backward, the path is read from the far end towards the
   * start, so the smallest-id next hop is best (greedy is exact: every candidate continues to the start).
   */
  private offerHop(local: number, from: number, edge: number): void {
    const hop = this.hop[local] as number;
    if (hop === from) {
      if (compareEdges(this.adj, edge, this.hopEdge[local] as number) < 0) this.hopEdge[local] = edge;
    } else if (!this.forward && (this.ids[from] as string) < (this.ids[hop] as string)) {
      this.hop[local] = from;
      this.hopEdge[local] = edge;
    }
  }

  /**
   * Orders a new level by (best parent's rank, own id): the order of the nodes' smallest id sequences,
   * so that the next level is expanded in that order too.
   */
  private rank(level: number[]): void {
    const { rankOf, hop, ids } = this;
    level.sort((a, b) => {
      const byParent = (rankOf[hop[a] as number] as number) - (rankOf[hop[b] as number] as number);
      return byParent !== 0 ? byParent : compareIds(ids[a] as string, ids[b] as string);
    });
    level.forEach((local, i) => (rankOf[local] = i));
  }

  /** At maxDepth: does a live followable edge lead to a live node that the walk has not reached? */
  private leadsFurther(level: readonly number[]): boolean {
    const { adj, spec } = this;
    let further = false;
    const visit = (edge: number): void => {
      if (further || !this.follows(edge)) return;
      const node = this.far(edge);
      further = this.localOf(node) < 0 && isLiveAt(adj.nodeStart(node), adj.nodeEnd(node), spec.at);
    };
    for (const local of level) {
      if (further) break;
      this.budget.tick();
      this.eachEdge(this.nodes[local] as number, visit);
    }
    return further;
  }

  /** The step between a node and its hop, oriented as the edge is. */
  private stepOf(local: number): PathStep {
    const cached = this.steps[local];
    if (cached) return cached;
    const { adj } = this;
    const edge = this.hopEdge[local] as number;
    const hop = this.hop[local] as number;
    const [from, to] = this.forward ? [hop, local] : [local, hop];
    const step: PathStep = {
      type: adj.edgeType(edge),
      from: this.ids[from] as string,
      to: this.ids[to] as string,
      key: adj.edgeKey(edge),
      origin: adj.edgeOrigin(edge) ?? null,
    };
    this.steps[local] = step;
    return step;
  }
}

/** Code-unit order, the same in every runtime and locale: the order of "smallest sequence of ids". */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders parallel edges between the same two nodes: by type, then key. */
export function compareEdges(adj: Adjacency, a: number, b: number): number {
  return compareIds(adj.edgeType(a), adj.edgeType(b)) || compareIds(adj.edgeKey(a), adj.edgeKey(b));
}
