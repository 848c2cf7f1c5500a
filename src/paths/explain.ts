/** `explain`: every live route by which an identity holds a scope, and when that access ends. */
import { IdGraphError } from '../model/errors.js';
import type { QueryOptions } from '../model/query-options.js';
import type { Adjacency } from './adjacency.js';
import { accessEnds } from './access-ends.js';
import { compareEdges, compareIds, walk, type Walk } from './bfs.js';
import { PRIVILEGE } from './edge-sets.js';
import { nodeRef, resolveNode } from './resolve-node.js';
import type { ExplainResult, PathEntry } from './results.js';

export const DEFAULT_MAX_ROUTES = 100;
export const MAX_MAX_ROUTES = 1000;
/**
 * Route enumeration may explore at most this many steps. Simple paths in a densely nested graph grow
 * exponentially with depth even when few of them reach the scope (the pruning cannot see which nodes the
 * current route already holds), so the search stops here and says `capped`.
 */
export const MAX_ROUTE_STEPS = 200_000;

export interface ExplainOptions extends QueryOptions {
  /** List at most this many routes (1…1000, default 100); `capped` says when more exist. */
  readonly maxRoutes?: number | undefined;
}

/**
 * The simple live privilege paths of at most `maxDepth` edges from the identity to the scope, shortest
 * first, then by id sequence, then by the (type, key) sequence of parallel edges: the first `maxRoutes` of
 * them, each with `routes: 1` and its own bottleneck end. `shortestRoutes` and `accessEndsAt` cover every
 * live route, listed or not; `accessEndsAt` is -Infinity when there is none (access has already ended).
 * `stats` are those of the identity's privilege walk, the one `reach` makes.
 * @throws IdGraphError NOT_FOUND for an unknown id; BAD_USER_INPUT when the ids are not an Identity and a
 * Scope or `maxRoutes` is out of range; UNAVAILABLE when `options.signal` aborts.
 * @example explain(adj, 'sa:payments-ci', 'scope:payments:refunds:write', { ...resolveQueryOptions(), maxRoutes: 10 })
 */
export function explain(adj: Adjacency, identityId: string, scopeId: string, options: ExplainOptions): ExplainResult {
  const identity = resolveNode(adj, identityId, { query: 'explain', labels: ['Identity'] });
  const scope = resolveNode(adj, scopeId, { query: 'explain', labels: ['Scope'] });
  const maxRoutes = validMaxRoutes(options.maxRoutes);
  const w = walk(adj, identity, { ...options, edges: PRIVILEGE, direction: 'forward' });
  try {
    const base = { subject: nodeRef(adj, identity), target: nodeRef(adj, scope), at: options.at, maxDepth: options.maxDepth, stats: w.stats };
    const target = w.localOf(scope);
    if (target < 0) return { ...base, entries: [], shortestRoutes: 0, accessEndsAt: -Infinity, capped: false };
    const routes = new Routes(w, target, maxRoutes);
    routes.enumerate();
    return {
      ...base,
      entries: routes.found.map((edges) => routes.entry(edges)),
      shortestRoutes: w.routes[target] as number,
      accessEndsAt: accessEnds(w)[target] as number,
      capped: routes.capped,
    };
  } finally {
    w.release();
  }
}

function validMaxRoutes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_ROUTES;
  if (!Number.isInteger(value) || value < 1 || value > MAX_MAX_ROUTES) {
    throw new IdGraphError('BAD_USER_INPUT', `maxRoutes must be a whole number from 1 to ${MAX_MAX_ROUTES}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The next nodes from one node, by id, each with its live parallel edges by (type, key). */
type Hops = readonly { readonly local: number; readonly edges: readonly number[] }[];

/**
 * Route enumeration inside the forward walk's reached subgraph (every node of a route within maxDepth is
 * in it). Lengths are taken in increasing order and, for each, a DFS in id order lists the node sequences
 * of exactly that length, so routes come out in result order and the cap keeps the first ones. A DFS
 * only enters nodes that can still reach the scope in the hops left, which `toScope` (a backward BFS
 * inside the walk) tells.
 */
class Routes {
  readonly found: number[][] = [];
  capped = false;
  private readonly toScope: Int32Array;
  private readonly onPath: Uint8Array;
  private readonly hops = new Map<number, Hops>();
  private readonly chain: number[] = [0];
  private steps = 0;

  constructor(
    private readonly w: Walk,
    private readonly target: number,
    private readonly maxRoutes: number,
  ) {
    this.toScope = distancesTo(w, target);
    this.onPath = new Uint8Array(w.size);
  }

  enumerate(): void {
    this.onPath[0] = 1;
    const shortest = this.w.dist[this.target] as number;
    for (let length = shortest; length <= this.w.spec.maxDepth && !this.capped; length++) this.extend(0, length);
  }

  entry(edges: readonly number[]): PathEntry {
    const { w } = this;
    const { adj } = w;
    const nodes = [w.ids[0] as string];
    let end = adj.nodeEnd(w.nodes[0] as number);
    const steps = edges.map((edge) => {
      const to = adj.edgeTo(edge);
      nodes.push(w.ids[w.localOf(to)] as string);
      end = Math.min(end, adj.edgeEnd(edge), adj.nodeEnd(to));
      return { type: adj.edgeType(edge), from: adj.idOf(adj.edgeFrom(edge)), to: adj.idOf(to), key: adj.edgeKey(edge), origin: adj.edgeOrigin(edge) ?? null };
    });
    return { target: nodeRef(adj, w.nodes[this.target] as number), path: { nodes, steps }, distance: edges.length, routes: 1, accessEndsAt: end };
  }

  private extend(local: number, length: number): void {
    const depth = this.chain.length - 1;
    if (depth === length) {
      this.expandParallel();
      return;
    }
    const left = length - depth - 1;
    for (const hop of this.hopsOf(local)) {
      if (this.capped) return;
      this.w.budget.tick();
      if (++this.steps > MAX_ROUTE_STEPS) {
        this.capped = true;
        return;
      }
      const next = hop.local;
      const toScope = this.toScope[next] as number;
      // The scope ends a route: it is entered only on the last hop.
      if (this.onPath[next] === 1 || toScope < 0 || toScope > left || (next === this.target && left > 0)) continue;
      this.onPath[next] = 1;
      this.chain.push(next);
      this.extend(next, length);
      this.chain.pop();
      this.onPath[next] = 0;
    }
  }

  /** Every choice of parallel edges along the current node sequence, first hop most significant. */
  private expandParallel(): void {
    const choices = this.chain.slice(1).map((local, i) => this.hopsOf(this.chain[i] as number).find((h) => h.local === local)!.edges);
    const pick = choices.map(() => 0);
    for (;;) {
      if (this.found.length === this.maxRoutes) {
        this.capped = true;
        return;
      }
      this.found.push(pick.map((p, i) => choices[i]![p]!));
      let i = pick.length - 1;
      while (i >= 0 && pick[i]! + 1 === choices[i]!.length) pick[i--] = 0;
      if (i < 0) return;
      pick[i]!++;
    }
  }

  private hopsOf(local: number): Hops {
    let hops = this.hops.get(local);
    if (hops) return hops;
    const { w } = this;
    const byLocal = new Map<number, number[]>();
    w.eachEdge(w.nodes[local] as number, (edge) => {
      if (!w.follows(edge)) return;
      const next = w.localOf(w.far(edge));
      if (next < 0) return;
      const edges = byLocal.get(next);
      if (edges) edges.push(edge);
      else byLocal.set(next, [edge]);
    });
    const sorted = [...byLocal].map(([next, edges]) => ({ local: next, edges: edges.sort((a, b) => compareEdges(w.adj, a, b)) }));
    sorted.sort((a, b) => compareIds(w.ids[a.local] as string, w.ids[b.local] as string));
    hops = sorted;
    this.hops.set(local, hops);
    return hops;
  }
}

/** Hops from each reached node to the target inside the walk (-1: cannot reach it within maxDepth). */
function distancesTo(w: Walk, target: number): Int32Array {
  const dist = new Int32Array(w.size).fill(-1);
  dist[target] = 0;
  let level = [target];
  for (let d = 1; d <= w.spec.maxDepth && level.length > 0; d++) {
    const next: number[] = [];
    for (const local of level) {
      w.adj.forEachIn(w.nodes[local] as number, (edge) => {
        w.budget.tick();
        if (!w.follows(edge)) return;
        const from = w.localOf(w.adj.edgeFrom(edge));
        if (from < 0 || dist[from] !== -1) return;
        dist[from] = d;
        next.push(from);
      });
    }
    level = next;
  }
  return dist;
}
