/**
 * Export in the interchange format: nodes first sorted by id, then edges sorted by from, type, to and
 * key, each line in `formatLine`'s canonical form, so export → import → export is byte-identical.
 */
import { formatLine } from '../model/interchange.js';
import type { EdgeRecord, NodeRecord } from '../model/records.js';
import type { GraphStore } from '../store/port.js';

/**
 * The whole graph as NDJSON lines (without newlines), in export order.
 * @example for (const line of await exportLines(store)) out.write(`${line}\n`)
 */
export async function exportLines(store: GraphStore): Promise<string[]> {
  const nodes: NodeRecord[] = [];
  for await (const batch of store.scanNodes()) nodes.push(...batch);
  const edges: EdgeRecord[] = [];
  for await (const batch of store.scanEdges()) edges.push(...batch);
  nodes.sort((a, b) => compare(a.id, b.id));
  edges.sort((a, b) => compare(a.from, b.from) || compare(a.type, b.type) || compare(a.to, b.to) || compare(a.key, b.key));
  return [
    ...nodes.map((n) => formatLine({ type: 'node', label: n.label, id: n.id, props: n.props })),
    ...edges.map((e) => formatLine({ type: 'edge', label: e.type, from: e.from, to: e.to, key: e.key, props: e.props })),
  ];
}

/** Code-unit order, the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
