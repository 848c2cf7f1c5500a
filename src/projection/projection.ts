/**
 * The in-memory projection of the graph's topology (DESIGN.md: the store is the source of truth;
 * traversal runs over a projection). Ids are interned to integers; nodes and edges are typed-array
 * columns; adjacency is CSR in both directions over the edges known at the last compaction, plus a small
 * overlay for edges added since, folded in when it grows. Properties stay in the store.
 *
 * It is built by one scan at open and kept current by `apply`, which takes each committed change; it
 * tracks the last applied audit sequence.
 */
import { invariant } from '../model/errors.js';
import { edgeInterval, nodeInterval } from '../model/liveness.js';
import type { EdgeRecord, NodeRecord } from '../model/records.js';
import {
  EDGE_TYPES,
  NODE_LABELS,
  ORIGINS,
  SCOPE_LEVELS,
  SEVERITIES,
  type EdgeType,
  type NodeLabel,
  type Origin,
  type ScopeLevel,
  type Severity,
} from '../model/vocabulary.js';
import type { Adjacency } from '../paths/adjacency.js';
import type { GraphStore } from '../store/port.js';
import { Csr } from './csr.js';
import { Column } from './growable.js';

/** What was committed, as the projection takes it: records as they now are, and the commit's sequence. */
export interface ProjectionChange {
  readonly sequence: number;
  readonly nodes: readonly NodeRecord[];
  readonly edges: readonly EdgeRecord[];
}

/** Sizes, for `/metrics`, benchmarks and the closing note. */
export interface ProjectionStats {
  readonly nodes: number;
  readonly edges: number;
  readonly sequence: number;
  /** Bytes held by the typed arrays (capacity, not just size). */
  readonly typedArrayBytes: number;
}

const NONE = -1;
const OVERLAY_MIN = 1024;

export class Projection implements Adjacency {
  private ids: string[] = [];
  private readonly index = new Map<string, number>();
  /** Node indices by label, in the order they were added. */
  private readonly byLabel = new Map<NodeLabel, number[]>(NODE_LABELS.map((label) => [label, []]));
  private readonly labels = new Column(Uint8Array, 1024);
  private readonly nStart = new Column(Float64Array, 1024);
  private readonly nEnd = new Column(Float64Array, 1024);
  private readonly levels = new Column(Int8Array, 1024, NONE);
  private readonly severities = new Column(Int8Array, 1024, NONE);

  private edges = 0;
  private readonly eFrom = new Column(Uint32Array, 1024);
  private readonly eTo = new Column(Uint32Array, 1024);
  private readonly eType = new Column(Uint8Array, 1024);
  private readonly eOrigin = new Column(Int8Array, 1024, NONE);
  private readonly eKey = new Column(Uint32Array, 1024);
  private readonly eStart = new Column(Float64Array, 1024);
  private readonly eEnd = new Column(Float64Array, 1024);
  /** Interned edge keys; index 0 is '' (most edges have no `props.id`). */
  private readonly keys: string[] = [''];
  private readonly keyIndex = new Map<string, number>([['', 0]]);

  private out = Csr.empty();
  private in = Csr.empty();
  /** Edges added since the last compaction, by node. */
  private outOverlay = new Map<number, number[]>();
  private inOverlay = new Map<number, number[]>();
  private overlayEdges = 0;
  private lastSequence = 0;

  /**
   * Builds the projection with one scan of the store, then applies whatever was committed while it scanned.
   * @example const projection = await Projection.build(store)
   */
  static async build(store: GraphStore, batchSize = 50_000): Promise<Projection> {
    const projection = new Projection();
    const sequence = await store.lastSequence();
    for await (const batch of store.scanNodes(batchSize)) for (const node of batch) projection.upsertNode(node);
    // Nodes and edges are two scans: an edge committed between them may name a node the first scan did not
    // see. It is newer than `sequence` (nodes are never deleted), so the catch-up below brings both in.
    for await (const batch of store.scanEdges(batchSize)) {
      for (const edge of batch) if (projection.index.has(edge.from) && projection.index.has(edge.to)) projection.appendEdge(edge);
    }
    projection.compact();
    projection.lastSequence = sequence;
    await projection.catchUp(store);
    return projection;
  }

  /** A projection of records in memory, at `sequence`; for tests and tools that hold the records already. */
  static fromRecords(nodes: readonly NodeRecord[], edges: readonly EdgeRecord[], sequence = 0): Projection {
    const projection = new Projection();
    projection.applyRecords(nodes, edges);
    projection.lastSequence = sequence;
    projection.compact();
    return projection;
  }

  /** The last audit sequence whose changes are applied. */
  get sequence(): number {
    return this.lastSequence;
  }

  get nodeCount(): number {
    return this.ids.length;
  }

  get edgeCount(): number {
    return this.edges;
  }

  /**
   * Applies a committed change: upserts its nodes, then its edges (an existing edge, same type, from, to
   * and key, gets its new validity; a new one goes to the overlay). A change at or below the applied
   * sequence is ignored and false returned. A caller that may see commits out of order (several writes in
   * flight) applies what it has and calls `catchUp`, which reads every change after the applied sequence.
   */
  apply(change: ProjectionChange): boolean {
    // A change at or below the applied sequence is already reflected (or superseded: records are whole, as
    // they were at their commit); applying it again could put an older state back over a newer one.
    if (change.sequence <= this.lastSequence) return false;
    this.applyRecords(change.nodes, change.edges);
    this.lastSequence = change.sequence;
    return true;
  }

  private applyRecords(nodes: readonly NodeRecord[], edges: readonly EdgeRecord[]): void {
    for (const node of nodes) this.upsertNode(node);
    if (edges.length > 0) this.upsertEdges(edges);
    if (this.overlayEdges > Math.max(OVERLAY_MIN, this.edges >>> 3)) this.compact();
  }

  /** Applies every change committed after `sequence` (by this or another process). */
  async catchUp(store: GraphStore): Promise<void> {
    this.apply(await store.changesSince(this.lastSequence));
  }

  stats(): ProjectionStats {
    const columns = [
      this.labels, this.nStart, this.nEnd, this.levels, this.severities,
      this.eFrom, this.eTo, this.eType, this.eOrigin, this.eKey, this.eStart, this.eEnd,
    ];
    const typedArrayBytes = columns.reduce((sum, c) => sum + c.byteLength, 0) + this.out.byteLength + this.in.byteLength;
    return { nodes: this.nodeCount, edges: this.edges, sequence: this.lastSequence, typedArrayBytes };
  }

  /** Every node of a label (live or not), as indices; for listings, which sort and page them. */
  nodesOfLabel(label: NodeLabel): readonly number[] {
    return this.byLabel.get(label)!;
  }

  indexOf(id: string): number | undefined {
    return this.index.get(id);
  }

  idOf(node: number): string {
    const id = this.ids[node];
    invariant(id !== undefined, `node index ${node} out of range`);
    return id;
  }

  labelOf(node: number): NodeLabel {
    return NODE_LABELS[this.labels.values[node]!]!;
  }

  nodeStart(node: number): number {
    return this.nStart.values[node]!;
  }

  nodeEnd(node: number): number {
    return this.nEnd.values[node]!;
  }

  scopeLevelOf(node: number): ScopeLevel | undefined {
    return SCOPE_LEVELS[this.levels.values[node]!];
  }

  severityOf(node: number): Severity | undefined {
    return SEVERITIES[this.severities.values[node]!];
  }

  forEachOut(node: number, visit: (edge: number) => void): void {
    this.out.forEach(node, visit);
    const extra = this.outOverlay.get(node);
    if (extra !== undefined) for (const edge of extra) visit(edge);
  }

  forEachIn(node: number, visit: (edge: number) => void): void {
    this.in.forEach(node, visit);
    const extra = this.inOverlay.get(node);
    if (extra !== undefined) for (const edge of extra) visit(edge);
  }

  edgeType(edge: number): EdgeType {
    return EDGE_TYPES[this.eType.values[edge]!]!;
  }

  edgeFrom(edge: number): number {
    return this.eFrom.values[edge]!;
  }

  edgeTo(edge: number): number {
    return this.eTo.values[edge]!;
  }

  edgeKey(edge: number): string {
    return this.keys[this.eKey.values[edge]!]!;
  }

  edgeOrigin(edge: number): Origin | undefined {
    return ORIGINS[this.eOrigin.values[edge]!];
  }

  edgeStart(edge: number): number {
    return this.eStart.values[edge]!;
  }

  edgeEnd(edge: number): number {
    return this.eEnd.values[edge]!;
  }

  private upsertNode(node: NodeRecord): void {
    let n = this.index.get(node.id);
    invariant(n === undefined || this.labelOf(n) === node.label, `node "${node.id}" cannot change label from ${n === undefined ? '' : this.labelOf(n)} to ${node.label}`);
    if (n === undefined) {
      n = this.ids.length;
      this.ids.push(node.id);
      this.index.set(node.id, n);
      this.byLabel.get(node.label)!.push(n);
      for (const column of [this.labels, this.nStart, this.nEnd, this.levels, this.severities]) column.ensure(n + 1);
    }
    const interval = nodeInterval(node.label, node.props);
    this.labels.values[n] = NODE_LABELS.indexOf(node.label);
    this.nStart.values[n] = interval.start;
    this.nEnd.values[n] = interval.end;
    this.levels.values[n] = node.label === 'Scope' ? rank(SCOPE_LEVELS, node.props['level']) : NONE;
    const severity = node.label === 'Scope' ? node.props['sensitivity'] : node.label === 'Service' ? node.props['criticality'] : undefined;
    this.severities.values[n] = rank(SEVERITIES, severity);
  }

  /** Upserts edges; looks each source node's existing edges up once per change, not once per edge. */
  private upsertEdges(edges: readonly EdgeRecord[]): void {
    const bySource = new Map<string, EdgeRecord[]>();
    for (const edge of edges) {
      const list = bySource.get(edge.from);
      if (list === undefined) bySource.set(edge.from, [edge]);
      else list.push(edge);
    }
    for (const [from, list] of bySource) {
      const source = this.index.get(from);
      invariant(source !== undefined, `edge from unknown node "${from}"`);
      const existing = new Map<string, number>();
      this.forEachOut(source, (e) => existing.set(`${this.eType.values[e]}|${this.eTo.values[e]}|${this.eKey.values[e]}`, e));
      for (const edge of list) {
        const to = this.index.get(edge.to);
        invariant(to !== undefined, `edge to unknown node "${edge.to}"`);
        const slot = `${EDGE_TYPES.indexOf(edge.type)}|${to}|${this.internKey(edge.key)}`;
        const found = existing.get(slot);
        if (found !== undefined) this.setEdgeProps(found, edge);
        else existing.set(slot, this.addOverlayEdge(edge));
      }
    }
  }

  /** Appends an edge during a build, before the CSR exists; the scan returns each edge once. */
  private appendEdge(edge: EdgeRecord): number {
    const from = this.index.get(edge.from);
    const to = this.index.get(edge.to);
    invariant(from !== undefined && to !== undefined, `edge ${edge.type} ${edge.from} → ${edge.to} has an unknown endpoint`);
    const e = this.edges++;
    for (const column of [this.eFrom, this.eTo, this.eType, this.eOrigin, this.eKey, this.eStart, this.eEnd]) column.ensure(e + 1);
    this.eFrom.values[e] = from;
    this.eTo.values[e] = to;
    this.eType.values[e] = EDGE_TYPES.indexOf(edge.type);
    this.eKey.values[e] = this.internKey(edge.key);
    this.setEdgeProps(e, edge);
    return e;
  }

  private addOverlayEdge(edge: EdgeRecord): number {
    const e = this.appendEdge(edge);
    pushTo(this.outOverlay, this.eFrom.values[e]!, e);
    pushTo(this.inOverlay, this.eTo.values[e]!, e);
    this.overlayEdges++;
    return e;
  }

  private setEdgeProps(e: number, edge: EdgeRecord): void {
    const interval = edgeInterval(edge.type, edge.props);
    this.eStart.values[e] = interval.start;
    this.eEnd.values[e] = interval.end;
    this.eOrigin.values[e] = rank(ORIGINS, edge.props['origin']);
  }

  private internKey(key: string): number {
    let k = this.keyIndex.get(key);
    if (k === undefined) {
      k = this.keys.length;
      this.keys.push(key);
      this.keyIndex.set(key, k);
    }
    return k;
  }

  /** Rebuilds both CSRs over every edge and empties the overlay. */
  private compact(): void {
    this.out = Csr.build(this.ids.length, this.edges, this.eFrom.values);
    this.in = Csr.build(this.ids.length, this.edges, this.eTo.values);
    this.outOverlay = new Map();
    this.inOverlay = new Map();
    this.overlayEdges = 0;
  }
}

function rank(values: readonly string[], value: unknown): number {
  return typeof value === 'string' ? values.indexOf(value) : NONE;
}

function pushTo(map: Map<number, number[]>, node: number, edge: number): void {
  const list = map.get(node);
  if (list === undefined) map.set(node, [edge]);
  else list.push(edge);
}
