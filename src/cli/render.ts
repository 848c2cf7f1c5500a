/**
 * Readable tables for the query commands (the `--json` output is `paths/result-json.ts`, shared with the
 * GraphQL API). A path reads left to right, each hop named by its edge type, local grants marked.
 */
import Table from 'cli-table3';
import { formatEnd } from '../model/liveness.js';
import type { BlastRadiusResult, ExplainResult, Path, PathEntry, PathQueryResult } from '../paths/results.js';

const DAY = 86_400_000;

/** Renders a path as `a ─HAS_ROLE→ b ─GRANTS→ c`, with `(local)` on steps of LOCAL origin. */
export function renderPath(path: Path): string {
  const parts = [path.nodes[0] ?? ''];
  path.steps.forEach((step, i) => {
    const origin = step.origin === 'LOCAL' ? '(local)' : '';
    parts.push(`─${step.type}${origin}→ ${path.nodes[i + 1] ?? step.to}`);
  });
  return parts.join(' ');
}

/** `2026-12-31 00:00Z (in 38 d)`, `never`, or `ended`. */
export function renderEnd(end: number, at: number): string {
  const iso = formatEnd(end);
  if (iso === null) return 'never';
  const days = (end - at) / DAY;
  const when = days >= 1 ? `in ${Math.round(days)} d` : `in ${Math.max(1, Math.round((end - at) / 3_600_000))} h`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z (${when})`;
}

export type QueryName = 'reach' | 'who-can' | 'path' | 'blast-radius' | 'explain';

/** The whole readable answer of a query: a heading line, the table, and a note when truncated. */
export function renderResult(query: QueryName, result: PathQueryResult): string {
  const lines = [heading(query, result)];
  if (result.entries.length > 0) lines.push(table(query, result).toString());
  if (result.stats.truncated) lines.push(`Stopped at --max-depth ${result.maxDepth}: live paths go further (raise --max-depth to see them).`);
  return `${lines.join('\n')}\n`;
}

function heading(query: QueryName, result: PathQueryResult): string {
  const subject = `${result.subject.id} (${result.subject.label})`;
  const at = `at ${new Date(result.at).toISOString()}`;
  const n = result.entries.length;
  switch (query) {
    case 'reach':
      return `${subject} holds ${n} scope${n === 1 ? '' : 's'} ${at}.`;
    case 'who-can':
      return `${n} identit${n === 1 ? 'y holds' : 'ies hold'} ${subject} ${at}.`;
    case 'path': {
      const entry = result.entries[0];
      return entry === undefined ? `No live path from ${subject} ${at}.` : `Shortest live path from ${subject} to ${entry.target.id}, ${entry.distance} hop(s), ${at}.`;
    }
    case 'explain': {
      const explained = result as ExplainResult;
      if (n === 0) return `${result.subject.id} does not hold ${explained.target.id} ${at}.`;
      const capped = explained.capped ? ' (more exist: raise --max-routes)' : '';
      return `${result.subject.id} holds ${explained.target.id} through ${n} live route${n === 1 ? '' : 's'}${capped} ${at}; access ends ${renderEnd(explained.accessEndsAt, result.at)}.`;
    }
    case 'blast-radius': {
      const { summary } = result as BlastRadiusResult;
      const byLabel = summary.byLabel.map((c) => `${c.count} ${c.label}`).join(', ');
      return `If ${subject} is compromised, ${summary.total} node${summary.total === 1 ? '' : 's'} fall with it${byLabel ? ` (${byLabel})` : ''}, impact ${summary.impact}, ${at}.`;
    }
  }
}

function table(query: QueryName, result: PathQueryResult): Table.Table {
  const impact = query === 'blast-radius';
  const routes = query === 'explain';
  const head = [...(impact ? ['Impact'] : []), ...(routes ? ['Route'] : ['Target', 'Label']), 'Hops', ...(routes ? [] : ['Routes']), 'Access ends', 'Path'];
  const t = new Table({ head, wordWrap: true, colWidths: colWidths(head.length), style: { head: [], border: [] } });
  result.entries.forEach((entry: PathEntry, i) => {
    t.push([
      ...(impact ? [String(entry.impact ?? 0)] : []),
      ...(routes ? [`#${i + 1}`] : [entry.target.id, entry.target.label]),
      String(entry.distance),
      ...(routes ? [] : [String(entry.routes)]),
      renderEnd(entry.accessEndsAt, result.at),
      renderPath(entry.path),
    ]);
  });
  return t;
}

/** Fixed widths keep long ids and paths wrapped inside their cells instead of breaking the table. */
function colWidths(columns: number): (number | null)[] {
  const path = 64;
  const widths: (number | null)[] = Array.from({ length: columns }, () => null);
  widths[columns - 1] = path;
  return widths;
}

/** One drift entry as the CLI prints it. */
export interface ViolationRow {
  readonly type: string;
  readonly from: string;
  readonly to: string;
  readonly key: string;
  readonly origin: string;
  readonly domain?: string | undefined;
  readonly policyIds: readonly string[];
  readonly reasons: readonly string[];
}

/** The drift report: a heading and one row per grant the guardrails would deny today. */
export function renderViolations(checked: number, rows: readonly ViolationRow[], at: number): string {
  const heading = `${rows.length} of ${checked} live grants violate today's guardrails, at ${new Date(at).toISOString()}.`;
  if (rows.length === 0) return `${heading}\n`;
  const t = new Table({ head: ['Grant', 'Origin', 'Policies', 'Why'], wordWrap: true, colWidths: [null, null, 28, 60], style: { head: [], border: [] } });
  for (const row of rows) {
    t.push([`${row.from} ─${row.type}→ ${row.to}`, row.domain ? `${row.origin} (${row.domain})` : row.origin, row.policyIds.join('\n'), row.reasons.join('\n')]);
  }
  return `${heading}\n${t.toString()}\n`;
}
