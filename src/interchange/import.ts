/**
 * Import of the interchange format (DESIGN.md): the whole input is validated first, every bad line
 * reported with its line number, field and problem, and nothing is written unless all of it is good.
 * Then only what differs from the graph is written, in one atomic store write with its audit event, so
 * importing the same file twice changes nothing.
 */
import { isDeepStrictEqual } from 'node:util';
import { badInput, type Issue } from '../model/errors.js';
import { parseLine, type EdgeLine, type NodeLine } from '../model/interchange.js';
import { edgeKeyString, type EdgeRecord, type NodeRecord } from '../model/records.js';
import { EDGE_ENDPOINTS, allowsEndpoints, type NodeLabel } from '../model/vocabulary.js';
import type { Commit, GraphStore } from '../store/port.js';
import { withArticle } from '../model/text.js';

export interface ImportOptions {
  /** Who imports, for the audit event. */
  readonly actor?: string;
  /** What is imported (a file name), for the audit event. */
  readonly source?: string;
  /** The audit action; `seed` for the demo estate. */
  readonly action?: string;
}

export interface ImportCounts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

export interface ImportSummary {
  readonly lines: number;
  readonly nodes: ImportCounts;
  readonly edges: ImportCounts;
  /** The commit, or null when nothing differed and nothing was written. */
  readonly commit: Commit | null;
}

/** At most this many issues are kept; the error says how many more there were. */
export const MAX_REPORTED_ISSUES = 1000;
const LOOKUP_BATCH = 1000;

/**
 * @throws IdGraphError BAD_USER_INPUT with one issue per problem (line, field, message); nothing written.
 * @example await importLines(store, readLines('estate.ndjson'), { source: 'estate.ndjson' })
 */
export async function importLines(store: GraphStore, lines: AsyncIterable<string> | Iterable<string>, options: ImportOptions = {}): Promise<ImportSummary> {
  const parsed = await parseAll(lines);
  const { nodes, edges, issues } = parsed;
  const existing = await existingNodes(store, [...new Set([...nodes.keys(), ...edges.flatMap(({ value }) => [value.from, value.to])])]);
  for (const { line, value } of nodes.values()) {
    const stored = existing.get(value.id);
    if (stored !== undefined && stored.label !== value.label) {
      issues.push({ line, path: 'id', message: `"${value.id}" is ${withArticle(stored.label)} in the graph; a node cannot change label` });
    }
  }
  const labelOf = (id: string): NodeLabel | undefined => nodes.get(id)?.value.label ?? existing.get(id)?.label;
  const edgeRecords = resolveEdges(edges, labelOf, issues);
  if (issues.length > 0 || parsed.dropped > 0) throw importError(issues, parsed.dropped);

  const nodeRecords = [...nodes.values()].map(({ value }): NodeRecord => ({ label: value.label, id: value.id, props: value.props }));
  const storedEdges = await existingEdges(store, edgeRecords);
  const nodeChanges = diff(nodeRecords, (n) => existing.get(n.id));
  const edgeChanges = diff(edgeRecords, (e) => storedEdges.get(edgeKeyString(e)));
  const summary = { lines: parsed.lines, nodes: nodeChanges.counts, edges: edgeChanges.counts };
  if (nodeChanges.write.length === 0 && edgeChanges.write.length === 0) return { ...summary, commit: null };
  const commit = await store.write({
    nodes: nodeChanges.write,
    edges: edgeChanges.write,
    audit: {
      actor: options.actor ?? 'cli',
      action: options.action ?? 'import',
      reason: `${options.source ?? 'input'}: ${describe(nodeChanges.counts)} nodes, ${describe(edgeChanges.counts)} edges`,
    },
  });
  return { ...summary, commit };
}

interface Numbered<T> {
  readonly line: number;
  readonly value: T;
}

async function parseAll(lines: AsyncIterable<string> | Iterable<string>) {
  const nodes = new Map<string, Numbered<NodeLine>>();
  const edges: Numbered<EdgeLine>[] = [];
  const edgeLines = new Map<string, number>();
  const issues: Issue[] = [];
  let dropped = 0;
  let count = 0;
  const report = (found: Issue[]): void => {
    const room = Math.max(0, MAX_REPORTED_ISSUES - issues.length);
    issues.push(...found.slice(0, room));
    dropped += found.length - Math.min(room, found.length);
  };
  for await (const text of lines) {
    count++;
    if (text.trim() === '') continue;
    const result = parseLine(text, count);
    if (!result.ok) {
      report(result.issues);
      continue;
    }
    const value = result.value;
    if (value.type === 'node') {
      const first = nodes.get(value.id);
      if (first !== undefined) report([{ line: count, path: 'id', message: `duplicate node "${value.id}", first on line ${first.line}` }]);
      else nodes.set(value.id, { line: count, value });
    } else {
      const key = edgeKeyString({ type: value.label, from: value.from, to: value.to, key: value.key });
      const first = edgeLines.get(key);
      if (first !== undefined) report([{ line: count, path: 'props.id', message: `duplicate ${value.label} edge ${value.from} → ${value.to}, first on line ${first}; give parallel edges distinct props.id` }]);
      else {
        edgeLines.set(key, count);
        edges.push({ line: count, value });
      }
    }
  }
  return { nodes, edges, issues, dropped, lines: count };
}

function resolveEdges(edges: readonly Numbered<EdgeLine>[], labelOf: (id: string) => NodeLabel | undefined, issues: Issue[]): EdgeRecord[] {
  const records: EdgeRecord[] = [];
  for (const { line, value } of edges) {
    const fromLabel = labelOf(value.from);
    const toLabel = labelOf(value.to);
    if (fromLabel === undefined) issues.push({ line, path: 'from', message: `no node "${value.from}" in the file or the graph` });
    if (toLabel === undefined) issues.push({ line, path: 'to', message: `no node "${value.to}" in the file or the graph` });
    if (fromLabel === undefined || toLabel === undefined) continue;
    if (!allowsEndpoints(value.label, fromLabel, toLabel)) {
      const ends = EDGE_ENDPOINTS[value.label];
      issues.push({
        line,
        path: 'label',
        message: `${value.label} cannot join a ${fromLabel} to a ${toLabel}; it joins ${ends.from.join(' or ')} → ${ends.to.join(' or ')}`,
      });
      continue;
    }
    records.push({ type: value.label, from: value.from, to: value.to, fromLabel, toLabel, key: value.key, props: value.props });
  }
  return records;
}

async function existingNodes(store: GraphStore, ids: readonly string[]): Promise<Map<string, NodeRecord>> {
  const found = new Map<string, NodeRecord>();
  for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
    const batch = ids.slice(i, i + LOOKUP_BATCH);
    for (const node of await store.getNodes(batch)) if (node !== undefined) found.set(node.id, node);
  }
  return found;
}

async function existingEdges(store: GraphStore, edges: readonly EdgeRecord[]): Promise<Map<string, EdgeRecord>> {
  const found = new Map<string, EdgeRecord>();
  for (let i = 0; i < edges.length; i += LOOKUP_BATCH) {
    for (const edge of await store.getEdges(edges.slice(i, i + LOOKUP_BATCH))) if (edge !== undefined) found.set(edgeKeyString(edge), edge);
  }
  return found;
}

function diff<T extends { readonly props: object }>(records: readonly T[], stored: (record: T) => T | undefined) {
  const write: T[] = [];
  let created = 0;
  let updated = 0;
  for (const record of records) {
    const before = stored(record);
    if (before === undefined) created++;
    else if (!isDeepStrictEqual(before.props, record.props)) updated++;
    else continue;
    write.push(record);
  }
  return { write, counts: { created, updated, unchanged: records.length - created - updated } };
}

function describe(counts: ImportCounts): string {
  return `${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged`;
}

function importError(all: readonly Issue[], droppedWhileParsing: number) {
  const issues = [...all].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)).slice(0, MAX_REPORTED_ISSUES);
  const dropped = droppedWhileParsing + all.length - issues.length;
  const more = dropped > 0 ? ` (and ${dropped} more not listed)` : '';
  const lines = new Set(issues.map((i) => i.line)).size;
  return badInput(`Import rejected, nothing written: ${issues.length + dropped} problem(s) on ${lines}${dropped > 0 ? '+' : ''} line(s)${more}`, issues);
}
