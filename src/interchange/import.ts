/**
 * Import of the interchange format (DESIGN.md), at any size. The input is read twice, streamed:
 *
 * 1. validate: every line is checked (shape, label, properties, duplicates, endpoints, label pairs,
 *    ids that would change label), every bad line reported with its number, field and problem, up to a
 *    cap; what is held is one entry per node id and a 16-byte slot per edge key, never the records;
 * 2. write: only if all of it is good, the records are streamed again, compared with the graph where the
 *    graph has them already, and handed to the store's bulk path (`GraphStore.bulkWrite`) with the audit
 *    event, so that importing the same file twice changes nothing.
 *
 * A store write is all or nothing (see BulkWrite for Neo4j's optional parts), so an interrupted import
 * leaves the store as it was before.
 */
import { isDeepStrictEqual } from 'node:util';
import { IdGraphError, badInput, invariant, type Issue } from '../model/errors.js';
import { parseLine, parseObject, type EdgeLine, type InterchangeLine, type LineResult } from '../model/interchange.js';
import { edgeKeyString, type EdgeRecord, type NodeRecord } from '../model/records.js';
import { withArticle } from '../model/text.js';
import { EDGE_ENDPOINTS, NODE_LABELS, allowsEndpoints, type EdgeType, type NodeLabel } from '../model/vocabulary.js';
import type { BulkBatch, Commit, GraphStore } from '../store/port.js';
import { arraySource } from './file-source.js';
import { KeyTable } from './key-table.js';
import type { LineSource, SourceItem } from './source.js';

export interface ImportOptions {
  /** Who imports, for the audit event. */
  readonly actor?: string;
  /** What is imported (a file name), for the audit event. */
  readonly source?: string;
  /** The audit action; `seed` for the demo estate. */
  readonly action?: string;
  /** Called as the import advances, at most every `PROGRESS_EVERY` lines and at each phase's end. */
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Records per store transaction (Neo4j); 0, the default, is one transaction. See BulkWrite. */
  readonly transactionSize?: number;
}

export interface ImportProgress {
  /** `validate` reads and checks; `write` reads again and streams to the store; `commit` is the store's load. */
  readonly phase: 'validate' | 'write' | 'commit';
  readonly lines: number;
  /** Lines in all, once the validate phase has counted them. */
  readonly totalLines?: number;
  /** Bytes read so far, when the source knows it. */
  readonly bytes?: number;
  readonly done: boolean;
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
/** Records per batch handed to the store, and ids per node look-up. */
const WRITE_BATCH = 10_000;
const LOOKUP_BATCH = 1000;
/**
 * Records per comparison with the store once edges are involved: a Kuzu edge look-up scans the edge table
 * whatever the number of keys (DESIGN.md, Backends), so it is asked about many at once.
 */
const COMPARE_BATCH = 50_000;
const PROGRESS_EVERY = 25_000;

/**
 * @throws IdGraphError BAD_USER_INPUT with one issue per problem (line, field, message); nothing written.
 * @example await importSource(store, ndjsonFileSource('estate.ndjson'), { source: 'estate.ndjson' })
 */
export async function importSource(store: GraphStore, source: LineSource, options: ImportOptions = {}): Promise<ImportSummary> {
  const transactionSize = options.transactionSize ?? 0;
  // One pass when nothing can be half-written and nothing needs comparing: one transaction into an empty
  // store. Otherwise validate everything first, then read again to write.
  const onePass = transactionSize === 0 && (await store.lastSequence()) === 0;
  const checked = onePass ? undefined : await validate(store, source, options);
  let lines = checked?.lines ?? 0;
  const tally = new Tally();
  const commit = await store.bulkWrite({
    batches: () => {
      tally.reset();
      if (checked !== undefined) return writeBatches(store, source, checked, tally, options);
      return streamBatches(store, source, tally, options, (done) => (lines = done.lines));
    },
    audit: () => ({
      actor: options.actor ?? 'cli',
      action: options.action ?? 'import',
      reason: `${options.source ?? 'input'}: ${describe(tally.nodes)} nodes, ${describe(tally.edges)} edges`,
    }),
    transactionSize,
  });
  options.onProgress?.({ phase: 'commit', lines, totalLines: lines, done: true });
  return { lines, nodes: tally.nodes, edges: tally.edges, commit };
}

/**
 * `importSource` over lines in memory (an async iterable is read into memory first: the import reads
 * its input twice). For files, use `importSource` with `ndjsonFileSource`.
 * @example await importLines(store, ['{"type":"node",…}'], { source: 'test' })
 */
export async function importLines(store: GraphStore, lines: AsyncIterable<string> | Iterable<string>, options: ImportOptions = {}): Promise<ImportSummary> {
  if (Array.isArray(lines)) return importSource(store, arraySource(lines as readonly string[]), options);
  const held: string[] = [];
  for await (const line of lines) held.push(line);
  return importSource(store, arraySource(held), options);
}

/** What the validate phase learned, for the write phase. */
interface Checked {
  readonly lines: number;
  /** Every node id of the input, with its label index and line (line * 16 + label index). */
  readonly fileNodes: Map<string, number>;
  /** Ids the store holds (input nodes and the endpoints the input names), with their labels. */
  readonly stored: Map<string, NodeLabel>;
  /** Every edge's endpoints appear in the input before it, or are in the store. */
  readonly ordered: boolean;
  /** The edge keys of the input, with their lines: the second reading must find the same. */
  readonly edgeKeys: KeyTable;
}

/**
 * The checks of an import: each line as it is read (`check`), then what needs the whole input and the
 * graph (`finish`). It holds one entry per node id and a 16-byte slot per edge key, never the records.
 */
class Validation {
  readonly issues = new IssueList();
  readonly fileNodes = new Map<string, number>();
  readonly edgeKeys = new KeyTable(1 << 16);
  /** Ids of node lines that were rejected: edges naming them get no second "no node" issue. */
  readonly #rejectedIds = new Set<string>();
  /** Edges with an endpoint not (yet) seen in the input: checked once the whole input is read. */
  readonly #pending: { line: number; file?: string; type: EdgeType; from: string; to: string }[] = [];
  lines = 0;
  bytes: number | undefined;

  /**
   * The line's value when it is good, else undefined (its issues are kept; a blank line has none). For an
   * edge whose ends the input has named already, `record` is set too, so the caller need not look again.
   */
  check(item: SourceItem): { readonly value: InterchangeLine; readonly record?: EdgeRecord } | undefined {
    this.lines++;
    this.bytes = item.bytes;
    const result = parseItem(item);
    if (result === undefined) return undefined;
    if (!result.ok) {
      this.issues.add(result.issues.map((issue) => withFile(issue, item.file)));
      const id = rejectedNodeId(item);
      if (id !== undefined) this.#rejectedIds.add(id);
      return undefined;
    }
    const value = result.value;
    const line = item.line;
    const report = (issue: Omit<Issue, 'line'>): undefined => {
      this.issues.add([withFile({ line, ...issue }, item.file)]);
      return undefined;
    };
    if (value.type === 'node') {
      const first = this.fileNodes.get(value.id);
      if (first !== undefined) return report({ path: 'id', message: `duplicate node "${value.id}", first on line ${Math.floor(first / 16)}` });
      this.fileNodes.set(value.id, line * 16 + NODE_LABELS.indexOf(value.label));
      return { value };
    }
    const first = this.edgeKeys.add(edgeKeyString({ type: value.label, from: value.from, to: value.to, key: value.key }), line);
    if (first !== 0) {
      return report({ path: 'props.id', message: `duplicate ${value.label} edge ${value.from} → ${value.to}, first on line ${first}; give parallel edges distinct props.id` });
    }
    const fromLabel = labelIn(this.fileNodes, value.from);
    const toLabel = labelIn(this.fileNodes, value.to);
    if (fromLabel === undefined || toLabel === undefined) {
      this.#pending.push({ line, file: item.file, type: value.label, from: value.from, to: value.to });
      return { value };
    }
    if (!checkPair(value.label, fromLabel, toLabel, report)) return undefined;
    return { value, record: { type: value.label, from: value.from, to: value.to, fromLabel, toLabel, key: value.key, props: value.props } };
  }

  /**
   * The checks that need the whole input and the graph: ids that would change label, endpoints of edges
   * read before their nodes.
   * @throws IdGraphError BAD_USER_INPUT with every issue found, from the lines too.
   */
  async finish(store: GraphStore): Promise<Checked> {
    const stored = await storedLabels(store, [...this.fileNodes.keys(), ...this.#pending.flatMap((edge) => [edge.from, edge.to])]);
    for (const [id, packed] of this.fileNodes) {
      const label = NODE_LABELS[packed % 16]!;
      const held = stored.get(id);
      if (held !== undefined && held !== label) {
        this.issues.add([{ line: Math.floor(packed / 16), path: 'id', message: `"${id}" is ${withArticle(held)} in the graph; a node cannot change label` }]);
      }
    }
    let ordered = true;
    for (const edge of this.#pending) {
      const fromLabel = labelIn(this.fileNodes, edge.from) ?? stored.get(edge.from);
      const toLabel = labelIn(this.fileNodes, edge.to) ?? stored.get(edge.to);
      const at = (issue: Omit<Issue, 'line'>): void => this.issues.add([withFile({ line: edge.line, ...issue }, edge.file)]);
      if (fromLabel === undefined && !this.#rejectedIds.has(edge.from)) at({ path: 'from', message: `no node "${edge.from}" in the file or the graph` });
      if (toLabel === undefined && !this.#rejectedIds.has(edge.to)) at({ path: 'to', message: `no node "${edge.to}" in the file or the graph` });
      if (fromLabel !== undefined && toLabel !== undefined) checkPair(edge.type, fromLabel, toLabel, at);
      if (this.fileNodes.has(edge.from) || this.fileNodes.has(edge.to)) ordered = false;
    }
    this.issues.throwIfAny();
    return { lines: this.lines, fileNodes: this.fileNodes, edgeKeys: this.edgeKeys, stored, ordered };
  }
}

/** The validate phase of a two-pass import: every line checked, nothing handed to the store. */
async function validate(store: GraphStore, source: LineSource, options: ImportOptions): Promise<Checked> {
  const validation = new Validation();
  for await (const item of source()) {
    validation.check(item);
    if (validation.lines % PROGRESS_EVERY === 0) options.onProgress?.({ phase: 'validate', lines: validation.lines, bytes: validation.bytes, done: false });
  }
  options.onProgress?.({ phase: 'validate', lines: validation.lines, bytes: validation.bytes, done: true });
  return validation.finish(store);
}

/**
 * The one-pass import into an empty store: lines are checked and handed to the store as they are read,
 * and the stream throws at its end if any line was bad, before the store has written anything (see
 * BulkWrite: a one-transaction load writes only once the batches end). Edges read before their nodes
 * wait in memory until the end, when their endpoints' labels are known.
 */
async function* streamBatches(store: GraphStore, source: LineSource, tally: Tally, options: ImportOptions, done: (checked: Checked) => void): AsyncGenerator<BulkBatch> {
  const validation = new Validation();
  const created: { nodes: NodeRecord[]; edges: EdgeRecord[] } = { nodes: [], edges: [] };
  const waiting: EdgeLine[] = [];
  for await (const item of source()) {
    const good = validation.check(item);
    if (validation.lines % PROGRESS_EVERY === 0) options.onProgress?.({ phase: 'validate', lines: validation.lines, bytes: validation.bytes, done: false });
    if (good === undefined || validation.issues.count > 0) continue;
    const { value, record } = good;
    if (value.type === 'node') created.nodes.push({ label: value.label, id: value.id, props: value.props });
    else if (record !== undefined) created.edges.push(record);
    else waiting.push(value);
    if (created.nodes.length + created.edges.length >= WRITE_BATCH) yield takeCreated(created, tally);
  }
  options.onProgress?.({ phase: 'validate', lines: validation.lines, bytes: validation.bytes, done: true });
  const checked = await validation.finish(store);
  done(checked);
  for (const value of waiting) created.edges.push(edgeRecord(value, checked.fileNodes, checked.stored));
  if (created.nodes.length + created.edges.length > 0) yield takeCreated(created, tally);
  options.onProgress?.({ phase: 'commit', lines: checked.lines, totalLines: checked.lines, done: false });
}

/**
 * The write phase: the input read again, as batches for `bulkWrite`. Nodes come before the edges that
 * name them: in one reading when the input is in that order, else nodes in a first reading and edges in
 * a second. Records the store holds already are compared with it; unchanged ones are left out.
 */
async function* writeBatches(store: GraphStore, source: LineSource, checked: Checked, tally: Tally, options: ImportOptions): AsyncGenerator<BulkBatch> {
  const readings: ('node' | 'edge' | 'both')[] = checked.ordered ? ['both'] : ['node', 'edge'];
  let lines = 0;
  for (const wanted of readings) {
    const created: { nodes: NodeRecord[]; edges: EdgeRecord[] } = { nodes: [], edges: [] };
    const known: { nodes: NodeRecord[]; edges: EdgeRecord[] } = { nodes: [], edges: [] };
    for await (const item of source()) {
      if (++lines % PROGRESS_EVERY === 0) options.onProgress?.({ phase: 'write', lines, totalLines: checked.lines * readings.length, done: false });
      const result = parseItem(item);
      if (result === undefined) continue;
      const value = result.ok ? result.value : undefined;
      if (value === undefined || !sameAsChecked(value, item.line, checked)) throw inputChanged(options, item);
      if (value.type === 'node' && wanted !== 'edge') {
        const record: NodeRecord = { label: value.label, id: value.id, props: value.props };
        (checked.stored.has(value.id) ? known : created).nodes.push(record);
      } else if (value.type === 'edge' && wanted !== 'node') {
        const record = edgeRecord(value, checked.fileNodes, checked.stored);
        (checked.stored.has(value.from) && checked.stored.has(value.to) ? known : created).edges.push(record);
      }
      if (created.nodes.length + created.edges.length >= WRITE_BATCH) yield takeCreated(created, tally);
      if (known.nodes.length >= LOOKUP_BATCH || known.edges.length >= COMPARE_BATCH) yield await takeChanged(store, known, tally);
    }
    if (created.nodes.length + created.edges.length > 0) yield takeCreated(created, tally);
    if (known.nodes.length + known.edges.length > 0) yield await takeChanged(store, known, tally);
  }
  options.onProgress?.({ phase: 'write', lines, totalLines: lines, done: true });
  options.onProgress?.({ phase: 'commit', lines: checked.lines, totalLines: checked.lines, done: false });
}

/** Whether a line read again is the one validated: same node on the same line, same edge key on the same line. */
function sameAsChecked(value: InterchangeLine, line: number, checked: Checked): boolean {
  if (value.type === 'node') return checked.fileNodes.get(value.id) === line * 16 + NODE_LABELS.indexOf(value.label);
  return checked.edgeKeys.lineOf(edgeKeyString({ type: value.label, from: value.from, to: value.to, key: value.key })) === line;
}

function inputChanged(options: ImportOptions, item: SourceItem): IdGraphError {
  const where = `${item.file ?? options.source ?? 'the input'} line ${item.line}`;
  return new IdGraphError('CONFLICT', `The input changed while it was imported (${where} is not what was checked); nothing was written`);
}

/** The id of a rejected node line, when it has one (to keep its edges from being reported twice). */
function rejectedNodeId(item: SourceItem): string | undefined {
  let raw: unknown = item.value;
  if (raw === undefined && item.text !== undefined) {
    try {
      raw = JSON.parse(item.text);
    } catch {
      return undefined;
    }
  }
  const record = raw as { type?: unknown; id?: unknown } | null;
  return record !== null && typeof record === 'object' && record.type === 'node' && typeof record.id === 'string' ? record.id : undefined;
}

function takeCreated(held: { nodes: NodeRecord[]; edges: EdgeRecord[] }, tally: Tally): BulkBatch {
  const batch = { created: true, nodes: held.nodes.splice(0), edges: held.edges.splice(0) };
  tally.add(batch.nodes.length, 0, 0, batch.edges.length, 0, 0);
  return batch;
}

/** The records of `held` that differ from the store's (all of them exist there), as an upsert batch. */
async function takeChanged(store: GraphStore, held: { nodes: NodeRecord[]; edges: EdgeRecord[] }, tally: Tally): Promise<BulkBatch> {
  const nodes = held.nodes.splice(0);
  const edges = held.edges.splice(0);
  const storedNodes = nodes.length === 0 ? [] : await store.getNodes(nodes.map((node) => node.id));
  const storedEdges = edges.length === 0 ? [] : await store.getEdges(edges);
  const changedNodes = nodes.filter((node, i) => !isDeepStrictEqual(storedNodes[i]?.props, node.props));
  const newEdges = edges.filter((_, i) => storedEdges[i] === undefined).length;
  const changedEdges = edges.filter((edge, i) => !isDeepStrictEqual(storedEdges[i]?.props, edge.props));
  tally.add(0, changedNodes.length, nodes.length - changedNodes.length, newEdges, changedEdges.length - newEdges, edges.length - changedEdges.length);
  return { created: false, nodes: changedNodes, edges: changedEdges };
}

function edgeRecord(value: EdgeLine, fileNodes: ReadonlyMap<string, number>, stored: ReadonlyMap<string, NodeLabel>): EdgeRecord {
  const fromLabel = labelIn(fileNodes, value.from) ?? stored.get(value.from);
  const toLabel = labelIn(fileNodes, value.to) ?? stored.get(value.to);
  invariant(fromLabel !== undefined && toLabel !== undefined, `edge ${value.from} → ${value.to} passed validation without endpoints`);
  return { type: value.label, from: value.from, to: value.to, fromLabel, toLabel, key: value.key, props: value.props };
}

/** undefined for a blank line, which is skipped. */
function parseItem(item: SourceItem): LineResult | undefined {
  if (item.issues !== undefined) return { ok: false, issues: item.issues.map((issue) => ({ line: item.line, ...issue })) };
  if (item.value !== undefined) return parseObject(item.value, item.line);
  const text = item.text ?? '';
  if (text.trim() === '') return undefined;
  return parseLine(text, item.line);
}

function labelIn(fileNodes: ReadonlyMap<string, number>, id: string): NodeLabel | undefined {
  const packed = fileNodes.get(id);
  return packed === undefined ? undefined : NODE_LABELS[packed % 16];
}

/** Whether the type joins the labels; reports the problem when not. */
function checkPair(type: EdgeType, fromLabel: NodeLabel, toLabel: NodeLabel, report: (issue: Omit<Issue, 'line'>) => void): boolean {
  if (allowsEndpoints(type, fromLabel, toLabel)) return true;
  const ends = EDGE_ENDPOINTS[type];
  report({ path: 'label', message: `${type} cannot join ${withArticle(fromLabel)} to ${withArticle(toLabel)}; it joins ${ends.from.join(' or ')} → ${ends.to.join(' or ')}` });
  return false;
}

/** The labels of those of `ids` the store holds. */
async function storedLabels(store: GraphStore, ids: readonly string[]): Promise<Map<string, NodeLabel>> {
  const found = new Map<string, NodeLabel>();
  // Every write leaves an audit event, so a store at sequence 0 holds nothing: a first import asks nothing.
  if ((await store.lastSequence()) === 0) return found;
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += LOOKUP_BATCH) {
    for (const node of await store.getNodes(unique.slice(i, i + LOOKUP_BATCH))) if (node !== undefined) found.set(node.id, node.label);
  }
  return found;
}

function withFile(issue: Issue, file: string | undefined): Issue {
  return file === undefined ? issue : { ...issue, file };
}

/** The issues found, capped, and how many more there were. */
class IssueList {
  readonly #issues: Issue[] = [];
  #dropped = 0;

  get count(): number {
    return this.#issues.length + this.#dropped;
  }

  add(found: readonly Issue[]): void {
    const room = Math.max(0, MAX_REPORTED_ISSUES - this.#issues.length);
    this.#issues.push(...found.slice(0, room));
    this.#dropped += found.length - Math.min(room, found.length);
  }

  throwIfAny(): void {
    if (this.#issues.length === 0 && this.#dropped === 0) return;
    const issues = [...this.#issues].sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0));
    const more = this.#dropped > 0 ? ` (and ${this.#dropped} more not listed)` : '';
    const lines = new Set(issues.map((i) => `${i.file ?? ''}:${i.line}`)).size;
    throw badInput(
      `Import rejected, nothing written: ${issues.length + this.#dropped} problem(s) on ${lines}${this.#dropped > 0 ? '+' : ''} line(s)${more}`,
      issues,
    );
  }
}

class Tally {
  nodes: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
  edges: ImportCounts = { created: 0, updated: 0, unchanged: 0 };

  reset(): void {
    this.nodes = { created: 0, updated: 0, unchanged: 0 };
    this.edges = { created: 0, updated: 0, unchanged: 0 };
  }

  add(nodesCreated: number, nodesUpdated: number, nodesUnchanged: number, edgesCreated: number, edgesUpdated: number, edgesUnchanged: number): void {
    this.nodes = { created: this.nodes.created + nodesCreated, updated: this.nodes.updated + nodesUpdated, unchanged: this.nodes.unchanged + nodesUnchanged };
    this.edges = { created: this.edges.created + edgesCreated, updated: this.edges.updated + edgesUpdated, unchanged: this.edges.unchanged + edgesUnchanged };
  }
}

function describe(counts: ImportCounts): string {
  return `${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged`;
}
