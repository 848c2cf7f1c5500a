/**
 * The in-memory projection of the graph's topology (DESIGN.md: the store is the source of truth;
 * traversal runs over a projection). Ids are interned to integers (`IdTable`); nodes and edges are
 * typed-array columns; adjacency is CSR in both directions over the edges known at the last compaction,
 * plus a small overlay for edges added since, folded in when it grows. Properties stay in the store.
 *
 * It is built by one topology scan at open (or loaded from a snapshot, see snapshot.ts) and kept current
 * by `apply`, which takes each committed change; it tracks the last applied audit sequence. A compaction
 * trims every column to its size: a built projection holds no growth slack.
 */
import { invariant } from '../model/errors.js';
import { edgeInterval, nodeInterval } from '../model/liveness.js';
import type { Props } from '../model/properties.js';
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
import type { GraphStore, TopologyEdges, TopologyNodes } from '../store/port.js';
import { Csr } from './csr.js';
import { Column } from './growable.js';
import { IdTable } from './id-table.js';
import { checkImage, type ProjectionImage } from './projection-image.js';

export type { ProjectionImage } from './projection-image.js';

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
  /** UTF-16 code units of the interned ids and edge keys, held in strings (one byte each when Latin-1). */
  readonly idCharacters: number;
}

const NONE = -1;
const OVERLAY_MIN = 1024;
/** Rows per batch of the topology scan at build. */
const BUILD_BATCH_SIZE = 8192;

export class Projection implements Adjacency {
  private ids = new IdTable();
  /** Node indices by label, in the order they were added; made on first use (listings), then kept current. */
  private readonly byLabel = new Map<NodeLabel, number[]>();
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
  /** Only as long as the edges up to the last one with a key other than '': an index past its end reads as key 0. */
  private readonly eKey = new Column(Uint32Array, 0);
  private keyedEdges = 0;
  private readonly eStart = new Column(Float64Array, 1024);
  private readonly eEnd = new Column(Float64Array, 1024);
  /** Interned edge keys; index 0 is '' (most edges have no `props.id`). */
  private keys: string[] = [''];
  private keyIndex = new Map<string, number>([['', 0]]);

  private out = Csr.empty();
  private in = Csr.empty();
  /** Edges added since the last compaction, by node. */
  private outOverlay = new Map<number, number[]>();
  private inOverlay = new Map<number, number[]>();
  private overlayEdges = 0;
  private lastSequence = 0;

  /**
   * Builds the projection with one topology scan of the store, then applies whatever was committed while
   * it scanned. Between batches it lets the event loop run (a server answers its health checks meanwhile).
   * @example const projection = await Projection.build(store)
   */
  static async build(store: GraphStore, batchSize = BUILD_BATCH_SIZE): Promise<Projection> {
    const projection = new Projection();
    const sequence = await store.lastSequence();
    // The scan leaves out an edge committed while it ran whose endpoint it did not see; such an edge is
    // newer than `sequence` (nodes are never deleted), so the catch-up below brings it and its node in.
    for await (const batch of store.scanTopology(batchSize)) {
      if (batch.kind === 'nodes') projection.addScannedNodes(batch);
      else projection.addScannedEdges(batch);
      await new Promise((resolve) => setImmediate(resolve));
    }
    projection.compact();
    projection.lastSequence = sequence;
    await projection.catchUp(store);
    return projection;
  }

  /**
   * The projection an image describes (a snapshot's), compacted.
   * @throws IdGraphError INTERNAL when the image is inconsistent: a column of the wrong length, an index
   *   out of range (a snapshot loader takes that as a corrupt file).
   */
  static fromImage(image: ProjectionImage): Projection {
    const projection = new Projection();
    projection.adopt(image);
    projection.compact();
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
    return this.ids.size;
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
    const typedArrayBytes = columns.reduce((sum, c) => sum + c.byteLength, 0) + this.out.byteLength + this.in.byteLength + this.ids.byteLength;
    const idCharacters = this.ids.characters + this.keys.reduce((sum, key) => sum + key.length, 0);
    return { nodes: this.nodeCount, edges: this.edges, sequence: this.lastSequence, typedArrayBytes, idCharacters };
  }

  /** Everything the projection holds, as exact-size views: valid until the next `apply`. */
  image(): ProjectionImage {
    this.ids.seal();
    const n = this.nodeCount;
    const e = this.edges;
    return {
      sequence: this.lastSequence,
      ids: this.ids.packed(),
      labels: this.labels.values.subarray(0, n),
      nodeStart: this.nStart.values.subarray(0, n),
      nodeEnd: this.nEnd.values.subarray(0, n),
      levels: this.levels.values.subarray(0, n),
      severities: this.severities.values.subarray(0, n),
      edgeFrom: this.eFrom.values.subarray(0, e),
      edgeTo: this.eTo.values.subarray(0, e),
      edgeType: this.eType.values.subarray(0, e),
      edgeOrigin: this.eOrigin.values.subarray(0, e),
      edgeKey: this.eKey.values.subarray(0, this.keyedEdges),
      edgeStart: this.eStart.values.subarray(0, e),
      edgeEnd: this.eEnd.values.subarray(0, e),
      keys: this.keys,
    };
  }

  /** Every node of a label (live or not), as indices; for listings, which sort and page them. */
  nodesOfLabel(label: NodeLabel): readonly number[] {
    let nodes = this.byLabel.get(label);
    if (nodes === undefined) {
      const code = NODE_LABELS.indexOf(label);
      const labels = this.labels.values;
      nodes = [];
      for (let n = 0; n < this.nodeCount; n++) if (labels[n] === code) nodes.push(n);
      this.byLabel.set(label, nodes);
    }
    return nodes;
  }

  indexOf(id: string): number | undefined {
    return this.ids.get(id);
  }

  idOf(node: number): string {
    // Not invariant(cond, `…${node}`): that would build the message on every call, and this one is hot.
    if (!(node >= 0 && node < this.nodeCount)) invariant(false, `node index ${node} out of range`);
    return this.ids.id(node);
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
    return this.keys[this.eKey.values[edge] ?? 0]!;
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

  private upsertNode(node: NodeRecord): number {
    return this.upsertNodeOf(node.label, node.id, node.props);
  }

  private upsertNodeOf(label: NodeLabel, id: string, props: Props): number {
    const size = this.nodeCount;
    const n = this.ids.intern(id);
    if (n === size) this.addedNode(n, label);
    else if (this.labelOf(n) !== label) invariant(false, `node "${id}" cannot change label from ${this.labelOf(n)} to ${label}`);
    this.setNodeProps(n, label, props);
    return n;
  }

  private addedNode(n: number, label: NodeLabel): void {
    this.byLabel.get(label)?.push(n);
    this.labels.ensure(n + 1);
    this.nStart.ensure(n + 1);
    this.nEnd.ensure(n + 1);
    this.levels.ensure(n + 1);
    this.severities.ensure(n + 1);
  }

  private setNodeProps(n: number, label: NodeLabel, props: Props): void {
    const interval = nodeInterval(label, props);
    this.labels.values[n] = NODE_LABELS.indexOf(label);
    this.nStart.values[n] = interval.start;
    this.nEnd.values[n] = interval.end;
    this.levels.values[n] = label === 'Scope' ? rank(SCOPE_LEVELS, props['level']) : NONE;
    const severity = label === 'Scope' ? props['sensitivity'] : label === 'Service' ? props['criticality'] : undefined;
    this.severities.values[n] = rank(SEVERITIES, severity);
  }

  /**
   * Nodes of a topology scan, which come in position order: position i becomes node index i. They are
   * appended without a lookup each (a store lists a node once); the compaction after the scan indexes
   * them, and fails if one was listed twice.
   */
  private addScannedNodes(batch: TopologyNodes): void {
    const size = this.nodeCount + batch.ids.length;
    for (const column of [this.labels, this.nStart, this.nEnd, this.levels, this.severities]) column.reserve(size);
    for (let i = 0; i < batch.ids.length; i++) {
      const n = this.ids.append(batch.ids[i]!);
      this.addedNode(n, batch.labels[i]!);
      this.setNodeProps(n, batch.labels[i]!, batch.props[i]!);
    }
  }

  /** Edges of a topology scan, endpoints given as positions, which are node indices (see addScannedNodes). */
  private addScannedEdges(batch: TopologyEdges): void {
    const nodes = this.nodeCount;
    const size = this.edges + batch.types.length;
    for (const column of [this.eFrom, this.eTo, this.eType, this.eOrigin, this.eStart, this.eEnd]) column.reserve(size);
    for (let i = 0; i < batch.types.length; i++) {
      const from = batch.from[i]!;
      const to = batch.to[i]!;
      if (from >= nodes || to >= nodes) invariant(false, `the topology scan gave an edge an endpoint position past its ${nodes} nodes`);
      this.appendEdgeAt(from, to, EDGE_TYPES.indexOf(batch.types[i]!), this.internKey(batch.keys[i]!), batch.types[i]!, batch.props[i]!);
    }
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
      const source = this.ids.get(from);
      invariant(source !== undefined, `edge from unknown node "${from}"`);
      const existing = new Map<string, number>();
      this.forEachOut(source, (e) => existing.set(`${this.eType.values[e]}|${this.eTo.values[e]}|${this.eKey.values[e] ?? 0}`, e));
      for (const edge of list) {
        const to = this.ids.get(edge.to);
        if (to === undefined) invariant(false, `edge to unknown node "${edge.to}"`);
        const slot = `${EDGE_TYPES.indexOf(edge.type)}|${to}|${this.internKey(edge.key)}`;
        const found = existing.get(slot);
        if (found !== undefined) this.setEdgeProps(found, edge.type, edge.props);
        else existing.set(slot, this.addOverlayEdge(edge));
      }
    }
  }

  /** Appends an edge (a new one: the caller has looked); it reaches the adjacency at the next compaction. */
  private appendEdge(edge: EdgeRecord): number {
    const from = this.ids.get(edge.from);
    const to = this.ids.get(edge.to);
    if (from === undefined || to === undefined) invariant(false, `edge ${edge.type} ${edge.from} → ${edge.to} has an unknown endpoint`);
    return this.appendEdgeAt(from, to, EDGE_TYPES.indexOf(edge.type), this.internKey(edge.key), edge.type, edge.props);
  }

  private appendEdgeAt(from: number, to: number, type: number, key: number, edgeType: EdgeType, props: Props): number {
    const e = this.edges++;
    this.eFrom.ensure(e + 1);
    this.eTo.ensure(e + 1);
    this.eType.ensure(e + 1);
    this.eOrigin.ensure(e + 1);
    this.eStart.ensure(e + 1);
    this.eEnd.ensure(e + 1);
    this.eFrom.values[e] = from;
    this.eTo.values[e] = to;
    this.eType.values[e] = type;
    if (key !== 0) {
      this.eKey.ensure(e + 1);
      this.eKey.values[e] = key;
      this.keyedEdges = e + 1;
    }
    this.setEdgeProps(e, edgeType, props);
    return e;
  }

  private addOverlayEdge(edge: EdgeRecord): number {
    const e = this.appendEdge(edge);
    pushTo(this.outOverlay, this.eFrom.values[e]!, e);
    pushTo(this.inOverlay, this.eTo.values[e]!, e);
    this.overlayEdges++;
    return e;
  }

  private setEdgeProps(e: number, type: EdgeType, props: Props): void {
    const interval = edgeInterval(type, props);
    this.eStart.values[e] = interval.start;
    this.eEnd.values[e] = interval.end;
    this.eOrigin.values[e] = rank(ORIGINS, props['origin']);
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

  /** Rebuilds both CSRs over every edge, empties the overlay, and trims every column to its size. */
  private compact(): void {
    const nodes = this.nodeCount;
    const edges = this.edges;
    this.ids.seal();
    for (const column of [this.labels, this.nStart, this.nEnd, this.levels, this.severities]) column.trim(nodes);
    for (const column of [this.eFrom, this.eTo, this.eType, this.eOrigin, this.eStart, this.eEnd]) column.trim(edges);
    this.eKey.trim(this.keyedEdges);
    this.out = Csr.build(nodes, edges, this.eFrom.values);
    this.in = Csr.build(nodes, edges, this.eTo.values);
    this.outOverlay = new Map();
    this.inOverlay = new Map();
    this.overlayEdges = 0;
  }

  /** Takes an image's arrays as the columns, after checking every length and index in them. */
  private adopt(image: ProjectionImage): void {
    const ids = IdTable.fromPacked(image.ids);
    checkImage(image, ids.size);
    const e = image.edgeFrom.length;
    this.ids = ids;
    this.labels.adopt(image.labels);
    this.nStart.adopt(image.nodeStart);
    this.nEnd.adopt(image.nodeEnd);
    this.levels.adopt(image.levels);
    this.severities.adopt(image.severities);
    this.edges = e;
    this.eFrom.adopt(image.edgeFrom);
    this.eTo.adopt(image.edgeTo);
    this.eType.adopt(image.edgeType);
    this.eOrigin.adopt(image.edgeOrigin);
    this.eKey.adopt(image.edgeKey);
    this.keyedEdges = image.edgeKey.length;
    this.eStart.adopt(image.edgeStart);
    this.eEnd.adopt(image.edgeEnd);
    this.keys = [...image.keys];
    this.keyIndex = new Map(this.keys.map((key, i) => [key, i]));
    this.lastSequence = image.sequence;
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
