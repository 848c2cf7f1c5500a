/**
 * Compressed sparse rows: for node n, the edge indices `list[offsets[n] … offsets[n+1])`. Built in two
 * counting passes, O(nodes + edges), and ordered by edge index within a node.
 */
export class Csr {
  private constructor(
    private readonly offsets: Uint32Array,
    private readonly list: Uint32Array,
  ) {}

  static empty(): Csr {
    return new Csr(new Uint32Array(1), new Uint32Array(0));
  }

  /** A CSR over edges `0 … edgeCount-1` grouped by `endpoint[edge]` (the source for out, target for in). */
  static build(nodeCount: number, edgeCount: number, endpoint: Uint32Array): Csr {
    const offsets = new Uint32Array(nodeCount + 1);
    for (let e = 0; e < edgeCount; e++) offsets[endpoint[e]! + 1]!++;
    for (let n = 0; n < nodeCount; n++) offsets[n + 1]! += offsets[n]!;
    const cursor = offsets.slice(0, nodeCount);
    const list = new Uint32Array(edgeCount);
    for (let e = 0; e < edgeCount; e++) list[cursor[endpoint[e]!]!++] = e;
    return new Csr(offsets, list);
  }

  get byteLength(): number {
    return this.offsets.byteLength + this.list.byteLength;
  }

  /** Visits the node's edges; nodes added after the build have none here (they live in the overlay). */
  forEach(node: number, visit: (edge: number) => void): void {
    if (node + 1 >= this.offsets.length) return;
    const end = this.offsets[node + 1]!;
    for (let i = this.offsets[node]!; i < end; i++) visit(this.list[i]!);
  }
}
