/**
 * The interchange format (DESIGN.md): NDJSON, one node or edge a line. This module checks one line on its
 * own (shape, label, properties); the checks that need the rest of the file or the graph (endpoints exist,
 * label pairs) are in `interchange/import.ts`. Every problem of a line is reported, not the first.
 */
import { invariant, type Issue } from './errors.js';
import { EDGE_PROPS, NODE_PROPS, type Props } from './properties.js';
import { edgeKeyOf, type EdgeRecord, type NodeRecord } from './records.js';
import { EDGE_TYPES, NODE_LABELS, isEdgeType, isNodeLabel, type EdgeType, type NodeLabel } from './vocabulary.js';

export interface NodeLine {
  readonly type: 'node';
  readonly label: NodeLabel;
  readonly id: string;
  readonly props: Props;
}

export interface EdgeLine {
  readonly type: 'edge';
  readonly label: EdgeType;
  readonly from: string;
  readonly to: string;
  /** `props.id` or ''. */
  readonly key: string;
  readonly props: Props;
}

export type InterchangeLine = NodeLine | EdgeLine;

export type LineResult = { readonly ok: true; readonly value: InterchangeLine } | { readonly ok: false; readonly issues: Issue[] };

/**
 * Parses and validates one line of text. `line` is the 1-based line number used in the issues.
 * @example parseLine('{"type":"node","label":"Group","id":"grp:sre","props":{"name":"sre"}}', 1)
 */
export function parseLine(text: string, line: number): LineResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return fail([{ line, path: '', message: `not valid JSON (${(error as Error).message})` }]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail([{ line, path: '', message: 'expected a JSON object' }]);
  }
  return validateObject(raw as Record<string, unknown>, line);
}

/**
 * The records of a self-contained set of lines (every edge's endpoints among its nodes), as the store
 * and the projection take them: each edge gets its endpoints' labels from the node lines.
 * @throws IdGraphError INTERNAL when an edge names a node the lines do not hold.
 */
export function recordsOf(lines: readonly InterchangeLine[]): { nodes: NodeRecord[]; edges: EdgeRecord[] } {
  const nodes: NodeRecord[] = [];
  for (const line of lines) if (line.type === 'node') nodes.push({ label: line.label, id: line.id, props: line.props });
  const labelOf = new Map(nodes.map((n) => [n.id, n.label]));
  const edges: EdgeRecord[] = [];
  for (const line of lines) {
    if (line.type !== 'edge') continue;
    const fromLabel = labelOf.get(line.from);
    const toLabel = labelOf.get(line.to);
    invariant(fromLabel !== undefined && toLabel !== undefined, `edge ${line.label} ${line.from} → ${line.to} names a node outside the lines`);
    edges.push({ type: line.label, from: line.from, to: line.to, fromLabel, toLabel, key: line.key, props: line.props });
  }
  return { nodes, edges };
}

/** Serializes a line exactly as export writes it: fixed key order, props keys sorted. */
export function formatLine(value: InterchangeLine): string {
  const props = sortKeys(value.props);
  if (value.type === 'node') return JSON.stringify({ type: 'node', label: value.label, id: value.id, props });
  return JSON.stringify({ type: 'edge', label: value.label, from: value.from, to: value.to, props });
}

/**
 * Validates one line already read as an object (from CSV, say), as `parseLine` does after JSON.parse.
 * @example parseObject({ type: 'node', label: 'Group', id: 'grp:sre', props: { name: 'sre' } }, 2)
 */
export function parseObject(raw: Record<string, unknown>, line: number): LineResult {
  return validateObject(raw, line);
}

/** Ids and edge keys are written into line-based files (CSV for bulk loads, logs): no control characters. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
/** A UTF-16 surrogate without its pair: it has no UTF-8 form, so a store would keep another id. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function validateObject(raw: Record<string, unknown>, line: number): LineResult {
  const issues: Issue[] = [];
  const type = raw['type'];
  if (type !== 'node' && type !== 'edge') {
    return fail([{ line, path: 'type', message: `must be "node" or "edge", got ${show(type)}` }]);
  }
  const allowed = type === 'node' ? ['type', 'label', 'id', 'props'] : ['type', 'label', 'from', 'to', 'props'];
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) issues.push({ line, path: key, message: `unknown field; a ${type} line has ${allowed.join(', ')}` });
  }
  const props = raw['props'] ?? {};
  if (typeof props !== 'object' || props === null || Array.isArray(props)) {
    issues.push({ line, path: 'props', message: 'must be an object' });
  }
  const ids = type === 'node' ? ['id'] : ['from', 'to'];
  for (const key of ids) {
    const value = raw[key];
    if (typeof value !== 'string' || value.length === 0) issues.push({ line, path: key, message: `must be a non-empty string, got ${show(value)}` });
    else if (CONTROL_CHARACTER.test(value)) issues.push({ line, path: key, message: `must not contain control characters (line breaks, tabs, …), got ${show(value)}` });
    else if (LONE_SURROGATE.test(value)) issues.push({ line, path: key, message: `must be well-formed Unicode (a lone surrogate cannot be stored), got ${show(value)}` });
  }
  const label = raw['label'];
  const labelOk = type === 'node' ? isNodeLabel(label) : isEdgeType(label);
  if (!labelOk) {
    const expected = type === 'node' ? NODE_LABELS : EDGE_TYPES;
    issues.push({ line, path: 'label', message: `unknown ${type === 'node' ? 'node label' : 'edge type'} ${show(label)}; expected one of ${expected.join(', ')}` });
  } else if (typeof props === 'object' && props !== null && !Array.isArray(props)) {
    const schema = type === 'node' ? NODE_PROPS[label as NodeLabel] : EDGE_PROPS[label as EdgeType];
    const parsed = schema.safeParse(props);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ line, path: ['props', ...issue.path.map(String)].join('.'), message: issue.message });
      }
    }
  }
  const key = type === 'edge' && typeof props === 'object' && props !== null ? (props as Record<string, unknown>)['id'] : undefined;
  if (typeof key === 'string' && CONTROL_CHARACTER.test(key)) {
    issues.push({ line, path: 'props.id', message: `must not contain control characters (line breaks, tabs, …), got ${show(key)}` });
  } else if (typeof key === 'string' && LONE_SURROGATE.test(key)) {
    issues.push({ line, path: 'props.id', message: `must be well-formed Unicode (a lone surrogate cannot be stored), got ${show(key)}` });
  }
  if (issues.length > 0) return fail(issues);
  const checked = props as Props;
  if (type === 'node') return { ok: true, value: { type, label: label as NodeLabel, id: raw['id'] as string, props: checked } };
  return {
    ok: true,
    value: { type, label: label as EdgeType, from: raw['from'] as string, to: raw['to'] as string, key: edgeKeyOf(checked), props: checked },
  };
}

function fail(issues: Issue[]): LineResult {
  return { ok: false, issues };
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function sortKeys(props: Props): Props {
  return Object.fromEntries(Object.keys(props).sort().map((key) => [key, props[key]]));
}
