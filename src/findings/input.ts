/**
 * What the posture rules read, built once per run: the projection (topology and liveness, for the engine),
 * the node and edge properties that the projection does not hold (`kind`, `environment`, `lastUsedAt`, …),
 * indexed by id and by type, and the instant `at`. Rules are pure functions of it and the thresholds; the
 * engine queries they share (`reach` of an identity) are made once here and memoised.
 */
import { edgeInterval, isLiveAt, nodeInterval } from '../model/liveness.js';
import type { Props } from '../model/properties.js';
import type { EdgeRecord, NodeRecord } from '../model/records.js';
import type { EdgeType, NodeLabel } from '../model/vocabulary.js';
import { reach, toResultJson, type Adjacency, type PathQueryResult, type ResultJson } from '../paths/index.js';
import { graphPropsOf, type GraphProps, type Guardrails } from '../policy/index.js';
import type { GraphStore } from '../store/port.js';

export interface FindingsInputOptions {
  /** The instant the findings hold at, epoch ms. */
  readonly at: number;
  /** Today's guardrails, for the guardrail-drift rule; without them that rule reports nothing. */
  readonly guardrails?: Guardrails | undefined;
}

/** A reach result with its JSON (the shape evidence paths take), made once per identity and depth. */
export interface Reach {
  readonly result: PathQueryResult;
  readonly json: ResultJson;
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
  private readonly reaches = new Map<string, Reach | null>();
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
   * The scopes an identity or credential reaches (`paths/reach`), made once per id and depth; null when the
   * projection does not hold the id.
   */
  reachOf(id: string, maxDepth: number): Reach | null {
    const key = `${maxDepth}\u0000${id}`;
    let cached = this.reaches.get(key);
    if (cached === undefined) {
      if (this.adj.indexOf(id) === undefined) cached = null;
      else {
        const result = reach(this.adj, id, { at: this.at, maxDepth });
        cached = { result, json: toResultJson(result) };
      }
      this.reaches.set(key, cached);
    }
    return cached;
  }

  /** Property lookups as the policy layer takes them (guardrail drift). */
  graphProps(): GraphProps {
    this.props ??= graphPropsOf(this.allNodes, this.allEdges);
    return this.props;
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
