/**
 * CSV input for import: a set of CSV files, each of a kind known by its base name (`identities.csv`,
 * `grants.csv`, …), read as interchange objects. One table says what each file holds and what each of its
 * columns becomes; the property columns are those of `model/properties.ts`, so a property added there is
 * accepted here without a change. This module only reads: the checks of values (enums, times, required
 * properties) and of the graph (endpoints, label pairs) are the import's, as for NDJSON.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse/sync';
import { badInput, invariant, type Issue } from '../model/errors.js';
import { EDGE_PROPS, NODE_PROPS } from '../model/properties.js';
import { EDGE_TYPES, NODE_LABELS, type EdgeType, type NodeLabel } from '../model/vocabulary.js';
import type { LineSource, SourceItem } from './source.js';

/** One accepted column of a CSV file kind. */
export interface CsvColumn {
  readonly name: string;
  /** The header must have it. */
  readonly required: boolean;
  /**
   * What a cell becomes: the node's `id`; an edge's `from` or `to`; the edge type (`edges.csv`); the
   * property of the same name; or (`link`) the other end of an edge of `link.type` between the row's node
   * and the node the cell names, from the row's node (`out`) or to it (`in`).
   */
  readonly role: 'id' | 'from' | 'to' | 'type' | 'prop' | 'link';
  readonly link?: { readonly type: EdgeType; readonly direction: 'out' | 'in' };
}

/** A kind of CSV file: the base name that selects it, what each row is, and the columns it accepts. */
export interface CsvFileKind {
  readonly file: string;
  readonly type: 'node' | 'edge';
  /** The label or edge type of every row; null for `edges.csv`, whose rows name it in the `type` column. */
  readonly label: NodeLabel | EdgeType | null;
  /** Every accepted column, in the documented order. */
  readonly columns: readonly CsvColumn[];
}

type LinkSpec = Readonly<Record<string, readonly [EdgeType, 'out' | 'in']>>;

/**
 * Node files: one node a row. A link column is named for the label of the node it names and adds an
 * edge (no properties) between the row's node and that node; several edges of a kind go in an edge file.
 */
const NODE_FILES: readonly { file: string; label: NodeLabel; links?: LinkSpec }[] = [
  { file: 'identities.csv', label: 'Identity', links: { owner: ['OWNS', 'in'], vendor: ['OPERATES', 'in'] } },
  { file: 'credentials.csv', label: 'Credential', links: { identity: ['AUTHENTICATES', 'out'], owner: ['OWNS', 'in'] } },
  { file: 'groups.csv', label: 'Group' },
  { file: 'roles.csv', label: 'Role' },
  { file: 'scopes.csv', label: 'Scope', links: { service: ['ON', 'out'] } },
  { file: 'services.csv', label: 'Service', links: { owner: ['OWNS', 'in'], identity: ['RUNS_AS', 'out'] } },
  { file: 'owners.csv', label: 'Owner' },
  { file: 'vendors.csv', label: 'Vendor' },
];

/** Edge files: one edge a row, its ends in the first two columns. `edges.csv` covers every other type. */
const EDGE_FILES: readonly { file: string; type: EdgeType; from: string; to: string }[] = [
  { file: 'grants.csv', type: 'HAS_ROLE', from: 'identity_or_group', to: 'role' },
  { file: 'memberships.csv', type: 'MEMBER_OF', from: 'identity_or_group', to: 'group' },
  { file: 'assumes.csv', type: 'CAN_ASSUME', from: 'identity', to: 'assumed_identity' },
  { file: 'role_grants.csv', type: 'GRANTS', from: 'role', to: 'scope' },
  { file: 'inherits.csv', type: 'INHERITS', from: 'role', to: 'parent_role' },
  { file: 'ownership.csv', type: 'OWNS', from: 'owner', to: 'owned' },
];

/** Every kind of CSV file that `csvSource` reads, in the documented order. */
export const CSV_FILE_KINDS: readonly CsvFileKind[] = buildKinds();

/**
 * A re-readable import source over CSV files (see `CSV_FILE_KINDS`): each call checks every file's name
 * and header, then streams the files in the order given, one item for each data row (a node file's row
 * with link cells gives its node, then one edge for each link). Empty cells are absent properties; cells
 * stay text, as every property is a string, an enum or an ISO-8601 time. A row that cannot be read as
 * CSV (an unterminated quote, a cell count unlike the header's) is an item with `issues`, and the rows
 * after it are read on.
 * @throws IdGraphError BAD_USER_INPUT, when the iteration starts, with every problem of the file names and
 *   headers (unknown file name, unknown, duplicate or missing required column, no header row).
 * @example for await (const item of csvSource(['identities.csv', 'grants.csv'])()) console.log(item.line, item.value)
 */
export function csvSource(files: readonly string[]): LineSource {
  return async function* read(): AsyncGenerator<SourceItem> {
    for (const { file, kind, header } of await checkFiles(files)) {
      let first = true;
      for await (const row of csvRows(file)) {
        if (first) {
          first = false;
          continue;
        }
        yield* itemsOf(file, kind, header, row);
      }
    }
  };
}

interface CheckedFile {
  readonly file: string;
  readonly kind: CsvFileKind;
  /** The header's columns, by position. */
  readonly header: readonly CsvColumn[];
}

type CsvRow = { readonly line: number; readonly cells: readonly string[] } | { readonly line: number; readonly problem: string };

function buildKinds(): CsvFileKind[] {
  const nodeCommon = commonKeys(NODE_LABELS.map((label) => shapeOf(NODE_PROPS[label])));
  const edgeCommon = commonKeys(EDGE_TYPES.map((type) => shapeOf(EDGE_PROPS[type])));
  // Documented order: what identifies the row, its own properties, then those every label (type) has.
  const props = (shape: Shape, names: readonly string[]): CsvColumn[] => names.map((name) => ({ name, required: !isOptional(shape[name]), role: 'prop' }));
  const own = (shape: Shape, common: readonly string[]): string[] => Object.keys(shape).filter((key) => !common.includes(key));
  const kinds: CsvFileKind[] = NODE_FILES.map(({ file, label, links = {} }) => {
    const shape = shapeOf(NODE_PROPS[label]);
    const linkColumns = Object.entries(links).map(([name, [type, direction]]): CsvColumn => {
      invariant(!(name in shape) && name !== 'id', `${file}: link column "${name}" is also a ${label} property`);
      return { name, required: false, role: 'link', link: { type, direction } };
    });
    const columns: CsvColumn[] = [
      { name: 'id', required: true, role: 'id' },
      ...props(shape, ['name', ...own(shape, nodeCommon)]),
      ...linkColumns,
      ...props(shape, nodeCommon.filter((key) => key !== 'name')),
    ];
    return { file, type: 'node', label, columns };
  });
  for (const { file, type, from, to } of EDGE_FILES) {
    const shape = shapeOf(EDGE_PROPS[type]);
    const ends: CsvColumn[] = [{ name: from, required: true, role: 'from' }, { name: to, required: true, role: 'to' }];
    kinds.push({ file, type: 'edge', label: type, columns: [...ends, ...props(shape, [...own(shape, edgeCommon), ...edgeCommon])] });
  }
  // Largest first, so that the grant properties keep their order.
  const shapes = EDGE_TYPES.map((type) => shapeOf(EDGE_PROPS[type])).sort((a, b) => Object.keys(b).length - Object.keys(a).length);
  const anyEdge: Shape = Object.assign({}, ...shapes);
  const generic: CsvColumn[] = (['type', 'from', 'to'] as const).map((name) => ({ name, required: true, role: name }));
  kinds.push({ file: 'edges.csv', type: 'edge', label: null, columns: [...generic, ...props(anyEdge, [...own(anyEdge, edgeCommon), ...edgeCommon])] });
  return kinds;
}

type Shape = Readonly<Record<string, { safeParse(value: unknown): { success: boolean } }>>;

function shapeOf(schema: { shape: Shape }): Shape {
  return schema.shape;
}

function isOptional(schema: Shape[string] | undefined): boolean {
  return schema === undefined || schema.safeParse(undefined).success;
}

function commonKeys(shapes: readonly Shape[]): string[] {
  const [first, ...rest] = shapes;
  return Object.keys(first ?? {}).filter((key) => rest.every((shape) => key in shape));
}

const KIND_BY_FILE = new Map(CSV_FILE_KINDS.map((kind) => [kind.file, kind]));

/** Every problem of every file's name and header, collected before any row is read. */
async function checkFiles(files: readonly string[]): Promise<CheckedFile[]> {
  const issues: Issue[] = [];
  const checked: CheckedFile[] = [];
  for (const file of files) {
    const kind = KIND_BY_FILE.get(basename(file));
    if (kind === undefined) {
      issues.push({ path: file, message: `unknown CSV file name "${basename(file)}"; expected one of ${[...KIND_BY_FILE.keys()].join(', ')}` });
      continue;
    }
    let first: CsvRow | undefined;
    try {
      first = await firstRow(file);
    } catch (error) {
      issues.push({ path: file, message: `cannot read the file (${(error as Error).message})` });
      continue;
    }
    const header = checkHeader(file, kind, first, issues);
    if (header !== undefined) checked.push({ file, kind, header });
  }
  if (issues.length > 0) {
    throw badInput(`${issues.length} problem${issues.length === 1 ? '' : 's'} in the CSV file names and headers; nothing was read`, issues);
  }
  return checked;
}

async function firstRow(file: string): Promise<CsvRow | undefined> {
  for await (const row of csvRows(file)) return row;
  return undefined;
}

function checkHeader(file: string, kind: CsvFileKind, row: CsvRow | undefined, issues: Issue[]): CsvColumn[] | undefined {
  const accepted = kind.columns.map((column) => column.name).join(', ');
  const required = kind.columns.filter((column) => column.required).map((column) => column.name);
  if (row === undefined) {
    issues.push({ line: 1, path: file, message: `no header row; ${kind.file} needs a header with ${required.join(', ')} and any of ${accepted}` });
    return undefined;
  }
  if ('problem' in row) {
    issues.push({ line: row.line, path: file, message: `cannot read the header row: ${row.problem}` });
    return undefined;
  }
  const before = issues.length;
  const header: CsvColumn[] = [];
  const seen = new Set<string>();
  row.cells.forEach((name, index) => {
    const column = kind.columns.find((candidate) => candidate.name === name);
    if (name === '') issues.push({ line: row.line, path: file, message: `column ${index + 1} of the header has no name; ${kind.file} accepts ${accepted}` });
    else if (column === undefined) issues.push({ line: row.line, path: file, message: `unknown column "${name}"; ${kind.file} accepts ${accepted}` });
    else if (seen.has(name)) issues.push({ line: row.line, path: file, message: `column "${name}" appears twice` });
    else header.push(column);
    seen.add(name);
  });
  for (const name of required) {
    if (!seen.has(name)) issues.push({ line: row.line, path: file, message: `missing required column "${name}"; ${kind.file} requires ${required.join(', ')}` });
  }
  return issues.length === before ? header : undefined;
}

function itemsOf(file: string, kind: CsvFileKind, header: readonly CsvColumn[], row: CsvRow): SourceItem[] {
  const { line } = row;
  if ('problem' in row) return [{ file, line, issues: [{ path: '', message: row.problem }] }];
  if (row.cells.length !== header.length) {
    const message = `expected ${header.length} cells, one for each column of the header (${header.map((column) => column.name).join(', ')}), got ${row.cells.length}`;
    return [{ file, line, issues: [{ path: '', message }] }];
  }
  const ends: Partial<Record<'id' | 'from' | 'to' | 'type', string>> = {};
  const props: Record<string, string> = {};
  const links: { column: CsvColumn; cell: string }[] = [];
  row.cells.forEach((cell, index) => {
    const column = header[index];
    invariant(column !== undefined, 'a checked row has one column for each cell');
    if (cell === '') return;
    if (column.role === 'prop') props[column.name] = cell;
    else if (column.role === 'link') links.push({ column, cell });
    else ends[column.role] = cell;
  });
  if (kind.type === 'edge') {
    const label = kind.label ?? ends.type;
    return [{ file, line, value: defined({ type: 'edge', label, from: ends.from, to: ends.to, props }) }];
  }
  const items: SourceItem[] = [{ file, line, value: defined({ type: 'node', label: kind.label, id: ends.id, props }) }];
  for (const { column, cell } of links) {
    invariant(column.link !== undefined, 'a link column names its edge');
    const [from, to] = column.link.direction === 'out' ? [ends.id, cell] : [cell, ends.id];
    items.push({ file, line, value: defined({ type: 'edge', label: column.link.type, from, to, props: {} }) });
  }
  return items;
}

/** Drops the keys of absent values, so that the importer reports them as missing, not as undefined. */
function defined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined));
}

/** Rows parsed together: csv-parse's per-call setup costs ~25 µs, ~10× the parse of a short row. */
const BATCH_ROWS = 500;
/**
 * A quoted cell may span lines, up to this many characters a row; past it, its quote is taken as
 * unterminated. A batch stops at this many characters too, so memory stays bounded whatever the file.
 */
const MAX_ROW_CHARS = 1 << 20;
const PARSE_OPTIONS = { trim: true, relax_column_count: true } as const;

interface PhysicalLine {
  readonly line: number;
  readonly text: string;
}

interface RawRow {
  /** Its first line. */
  readonly line: number;
  readonly lines: readonly PhysicalLine[];
  readonly text: string;
}

/**
 * The rows of a CSV file, header first, blank lines skipped, in constant memory. Rows are split by quote
 * parity (a line break inside quotes continues the row), then parsed by csv-parse in batches. A row that
 * does not parse is reported at its first line; when it spanned several lines (a stray quote that
 * swallowed the lines after it), those lines are read again as rows of their own.
 */
async function* csvRows(file: string): AsyncGenerator<CsvRow> {
  const input = createReadStream(file, { encoding: 'utf8' });
  const reader = createInterface({ input, crlfDelay: Infinity });
  const lines = reader[Symbol.asyncIterator]();
  const replay: PhysicalLine[] = [];
  let count = 0;
  const next = async (): Promise<PhysicalLine | undefined> => {
    const again = replay.shift();
    if (again !== undefined) return again;
    const read = await lines.next();
    if (read.done === true) return undefined;
    count++;
    return { line: count, text: count === 1 ? read.value.replace(/^\uFEFF/, '') : read.value };
  };
  try {
    for (;;) {
      const batch: RawRow[] = [];
      let chars = 0;
      while (batch.length < BATCH_ROWS && chars < MAX_ROW_CHARS) {
        const row = await rawRow(next);
        if (row === undefined) break;
        batch.push(row);
        chars += row.text.length;
      }
      if (batch.length === 0) return;
      yield* parseBatch(batch, replay);
    }
  } finally {
    reader.close();
    input.destroy();
  }
}

async function rawRow(next: () => Promise<PhysicalLine | undefined>): Promise<RawRow | undefined> {
  let first = await next();
  while (first !== undefined && first.text.trim() === '') first = await next();
  if (first === undefined) return undefined;
  const lines = [first];
  let quotes = countQuotes(first.text);
  let chars = first.text.length;
  while (quotes % 2 === 1 && chars <= MAX_ROW_CHARS) {
    const more = await next();
    if (more === undefined) break;
    lines.push(more);
    quotes += countQuotes(more.text);
    chars += more.text.length + 1;
  }
  return { line: first.line, lines, text: lines.map((physical) => physical.text).join('\n') };
}

/** Parses a batch at once; only when that fails, row by row, to find the bad rows and read on. */
function parseBatch(batch: readonly RawRow[], replay: PhysicalLine[]): CsvRow[] {
  const all = tryParse(batch.map((row) => row.text).join('\n'));
  if (Array.isArray(all) && all.length === batch.length) return all.map((cells, index) => ({ line: batch[index]?.line ?? 0, cells }));
  const rows: CsvRow[] = [];
  for (const [index, row] of batch.entries()) {
    const parsed = tryParse(row.text);
    const [cells, extra] = Array.isArray(parsed) ? parsed : [];
    if (cells !== undefined && extra === undefined) {
      rows.push({ line: row.line, cells });
      continue;
    }
    rows.push({ line: row.line, problem: typeof parsed === 'string' ? parsed : 'cannot read the row as CSV' });
    if (row.lines.length > 1) {
      // Read again, in order, everything after the bad row's first line that this batch took.
      replay.unshift(...row.lines.slice(1), ...batch.slice(index + 1).flatMap((later) => later.lines));
      break;
    }
  }
  return rows;
}

/** The records, or what went wrong in words. */
function tryParse(text: string): string[][] | string {
  try {
    return parse(text, PARSE_OPTIONS) as string[][];
  } catch (error) {
    return describeParseError(error);
  }
}

function describeParseError(error: unknown): string {
  switch ((error as { code?: unknown }).code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'unterminated quote: a quoted cell is not closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quoted cell must end at a comma or at the end of the row';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside an unquoted cell; quote the whole cell and double the quotes in it ("")';
    default:
      return `cannot read the row as CSV (${(error as Error).message})`;
  }
}

function countQuotes(text: string): number {
  let count = 0;
  for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) count++;
  return count;
}
