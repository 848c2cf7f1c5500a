/**
 * What the posture rules read, built once per run: the projection (topology and liveness, for the engine),
 * the node and edge properties that the projection does not hold (`kind`, `environment`, `lastUsedAt`, …),
 * indexed by id and by type, and the instant `at`. Rules are pure functions of it and the thresholds; the
 * engine query they share (the scopes an identity reaches) is made once per identity here and kept in a
 * compact form, so that six rules over a million identities walk the graph once and hold ~12 bytes per
 * scope reached; the path to a scope is built again only for the findings that show it.
 */
import { edgeInterval, isLiveAt, nodeInterval } from '../model/liveness.js';
import type { Props } from '../model/properties.js';
import type { EdgeRecord, NodeRecord } from '../model/records.js';
import type { EdgeType, NodeLabel } from '../model/vocabulary.js';
import { reach, toEntryJson, type Adjacency, type EntryJson, type PathQueryResult } from '../paths/index.js';
import type { GraphProps, Guardrails } from '../policy/index.js';
import type { GraphStore } from '../store/port.js';

export interface FindingsInputOptions {
  /** The instant the findings hold at, epoch ms. */
  readonly at: number;
  /** Today's guardrails, for the guardrail-drift rule; without them that rule reports nothing. */
  readonly guardrails?: Guardrails | undefined;
}

/** One scope an identity reaches, as `paths/reach` ranks it: shortest distance and number of shortest routes. */
export interface ScopeReach {
  readonly scope: string;
  readonly distance: number;
  readonly routes: number;
  /** The shortest path to it, in the JSON shape of evidence; walks again unless the last call was for this identity. */
  readonly entry: () => EntryJson;
}

const NO_EDGES: readonly EdgeRecord[] = [];

/**
 * @example const input = FindingsInput.fromRecords(nodes, edges, Projection.fromRecords(nodes, edges), { at: Date.now() })
 */
export class FindingsInput {
  readonly at: number;
  readonly adj: Adjacency;
  readonly guardrails: Guardrails | undefined;
  private readonly nodes: ReadonlyMap<string, NodeRecord>;
  private readonly byLabel = new Map<NodeLabel, NodeRecord[]>();
  private readonly byType = new Map<EdgeType, EdgeRecord[]>();
  private readonly outIndex = new Map<string, EdgeRecord[]>();
  private readonly inIndex = new Map<string, EdgeRecord[]>();
  private readonly allNodes: readonly NodeRecord[];
  private readonly allEdges: readonly EdgeRecord[];
  /** Per depth: every identity's reached scopes, as (scope node, distance, routes) triples in one pool. */
  private readonly memos = new Map<number, ReachMemo>();
  /** The last full reach, for the paths of the findings about one identity. */
  private last: { readonly key: string; readonly result: PathQueryResult; readonly json: (EntryJson | undefined)[] } | undefined;
  private props: GraphProps | undefined;

  private constructor(nodes: readonly NodeRecord[], edges: readonly EdgeRecord[], adj: Adjacency, options: FindingsInputOptions) {
    this.at = options.at;
    this.adj = adj;
    this.guardrails = options.guardrails;
    // Sorted once, so that every rule iterates in id order and its output does not depend on scan order.
    this.allNodes = [...nodes].sort((a, b) => compare(a.id, b.id));
    this.allEdges = [...edges].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.type, b.type) || compare(a.key, b.key));
    this.nodes = new Map(this.allNodes.map((n) => [n.id, n]));
    for (const node of this.allNodes) push(this.byLabel, node.label, node);
    for (const edge of this.allEdges) {
      push(this.byType, edge.type, edge);
      push(this.outIndex, `${edge.type}\u0000${edge.from}`, edge);
      push(this.inIndex, `${edge.type}\u0000${edge.to}`, edge);
    }
  }

  /** An input over records already in memory (tests, tools). */
  static fromRecords(nodes: readonly NodeRecord[], edges: readonly EdgeRecord[], adj: Adjacency, options: FindingsInputOptions): FindingsInput {
    return new FindingsInput(nodes, edges, adj, options);
  }

  /**
   * An input from the store (one scan of nodes and edges) and the projection kept current over it.
   * @example const input = await FindingsInput.load(store, projection, { at: Date.now() })
   */
  static async load(store: GraphStore, adj: Adjacency, options: FindingsInputOptions): Promise<FindingsInput> {
    const nodes: NodeRecord[] = [];
    for await (const batch of store.scanNodes()) nodes.push(...batch);
    const edges: EdgeRecord[] = [];
    for await (const batch of store.scanEdges()) edges.push(...batch);
    return new FindingsInput(nodes, edges, adj, options);
  }

  node(id: string): NodeRecord | undefined {
    return this.nodes.get(id);
  }

  /** A node's properties; empty for an unknown id. */
  propsOf(id: string): Props {
    return this.nodes.get(id)?.props ?? {};
  }

  /** Every node of a label, by id. */
  nodesOf(label: NodeLabel): readonly NodeRecord[] {
    return this.byLabel.get(label) ?? [];
  }

  /** Every edge of a type, by from, to and key. */
  edgesOf(type: EdgeType): readonly EdgeRecord[] {
    return this.byType.get(type) ?? NO_EDGES;
  }

  /** The edges of a type out of a node. */
  out(id: string, type: EdgeType): readonly EdgeRecord[] {
    return this.outIndex.get(`${type}\u0000${id}`) ?? NO_EDGES;
  }

  /** The edges of a type into a node. */
  in(id: string, type: EdgeType): readonly EdgeRecord[] {
    return this.inIndex.get(`${type}\u0000${id}`) ?? NO_EDGES;
  }

  /** Live at `at` (`model/liveness.ts`): by the projection when it has the node, else by the record. */
  isLive(id: string): boolean {
    const n = this.adj.indexOf(id);
    if (n !== undefined) return isLiveAt(this.adj.nodeStart(n), this.adj.nodeEnd(n), this.at);
    const node = this.nodes.get(id);
    if (node === undefined) return false;
    const interval = nodeInterval(node.label, node.props);
    return isLiveAt(interval.start, interval.end, this.at);
  }

  /** The edge is live at `at` and so are both its ends. */
  isEdgeLive(edge: EdgeRecord): boolean {
    const interval = edgeInterval(edge.type, edge.props);
    return isLiveAt(interval.start, interval.end, this.at) && this.isLive(edge.from) && this.isLive(edge.to);
  }

  /** The edge itself is live at `at`, whatever its ends (ownership of a retired identity still names its owner). */
  isEdgeLiveIgnoringEnds(edge: EdgeRecord): boolean {
    const interval = edgeInterval(edge.type, edge.props);
    return isLiveAt(interval.start, interval.end, this.at);
  }

  /**
   * The scopes an identity or credential reaches (`paths/reach`), in reach order; walked once per id and
   * depth. Empty when the projection does not hold the id.
   */
  scopesOf(id: string, maxDepth: number): ScopeReach[] {
    const node = this.adj.indexOf(id);
    if (node === undefined) return [];
    let memo = this.memos.get(maxDepth);
    if (memo === undefined) this.memos.set(maxDepth, (memo = new ReachMemo(this.adj.nodeCount)));
    if (!memo.has(node)) memo.add(node, this.fullReach(id, maxDepth).entries.map((e) => [this.adj.indexOf(e.target.id)!, e.distance, e.routes] as const));
    return memo.read(node, (scope, distance, routes, i) => ({
      scope: this.adj.idOf(scope),
      distance,
      routes,
      entry: () => this.entryJson(id, maxDepth, i),
    }));
  }

  private fullReach(id: string, maxDepth: number): PathQueryResult {
    const key = `${maxDepth}\u0000${id}`;
    if (this.last?.key !== key) {
      const result = reach(this.adj, id, { at: this.at, maxDepth });
      this.last = { key, result, json: [] };
    }
    return this.last.result;
  }

  private entryJson(id: string, maxDepth: number, i: number): EntryJson {
    const entries = this.fullReach(id, maxDepth).entries;
    const json = this.last!.json;
    return (json[i] ??= toEntryJson(entries[i]!));
  }

  /** Property lookups as the policy layer takes them (guardrail drift). */
  graphProps(): GraphProps {
    // Over the indexes already built: a second map of every edge by key would cost ~1 GB at 5M edges.
    this.props ??= {
      node: (id) => this.nodes.get(id)?.props,
      edge: (key) => this.out(key.from, key.type).find((e) => e.to === key.to && e.key === key.key)?.props,
    };
    return this.props;
  }
}

/** Reached scopes per node index, appended to one growing Int32Array pool of (scope, distance, routes). */
class ReachMemo {
  private readonly start: Int32Array;
  private readonly count: Int32Array;
  private pool = new Int32Array(3 * 1024);
  private used = 0;

  constructor(nodeCount: number) {
    this.start = new Int32Array(nodeCount).fill(-1);
    this.count = new Int32Array(nodeCount);
  }

  has(node: number): boolean {
    return this.start[node] !== -1;
  }

  add(node: number, entries: readonly (readonly [scope: number, distance: number, routes: number])[]): void {
    const needed = this.used + 3 * entries.length;
    if (needed > this.pool.length) {
      const grown = new Int32Array(Math.max(needed, this.pool.length * 2));
      grown.set(this.pool.subarray(0, this.used));
      this.pool = grown;
    }
    this.start[node] = this.used;
    this.count[node] = entries.length;
    for (const [scope, distance, routes] of entries) {
      this.pool[this.used++] = scope;
      this.pool[this.used++] = distance;
      // Counts of shortest routes can outgrow 32 bits; a rule only compares them with small numbers.
      this.pool[this.used++] = Math.min(routes, 0x7fffffff);
    }
  }

  read<T>(node: number, each: (scope: number, distance: number, routes: number, i: number) => T): T[] {
    const out: T[] = [];
    const start = this.start[node]!;
    for (let i = 0; i < this.count[node]!; i++) out.push(each(this.pool[start + 3 * i]!, this.pool[start + 3 * i + 1]!, this.pool[start + 3 * i + 2]!, i));
    return out;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
