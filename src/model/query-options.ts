/** The options every path query takes, validated once (DESIGN.md, Depth). */
import { badInput, type Issue } from './errors.js';
import { parseTime } from './liveness.js';
import { dateTime } from './properties.js';

export const DEFAULT_MAX_DEPTH = 12;
export const MAX_MAX_DEPTH = 32;

/** What callers pass: `at` as a Date, an ISO string or epoch ms; absent means now. */
export interface QueryOptionsInput {
  readonly at?: Date | string | number | undefined;
  /** A string is taken as typed on a command line and must be a whole number. */
  readonly maxDepth?: number | string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Epoch ms after which the query stops with UNAVAILABLE: a time budget that holds inside a synchronous walk. */
  readonly deadline?: number | undefined;
}

/** What the engine runs with. */
export interface QueryOptions {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly maxDepth: number;
  readonly signal?: AbortSignal | undefined;
  /** Epoch ms; see QueryOptionsInput. */
  readonly deadline?: number | undefined;
}

/**
 * @throws IdGraphError BAD_USER_INPUT listing every bad option.
 * @example resolveQueryOptions({ at: '2026-11-23T00:00:00Z', maxDepth: 6 })
 */
export function resolveQueryOptions(input: QueryOptionsInput = {}, now: () => number = Date.now): QueryOptions {
  const issues: Issue[] = [];
  const at = resolveAt(input.at, now, issues);
  const maxDepth = typeof input.maxDepth === 'string' ? (/^\d{1,3}$/.test(input.maxDepth) ? Number(input.maxDepth) : NaN) : input.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > MAX_MAX_DEPTH) {
    issues.push({
      path: 'maxDepth',
      message: `must be a whole number from 1 to ${MAX_MAX_DEPTH}, got ${JSON.stringify(input.maxDepth)}`,
    });
  }
  if (issues.length > 0) throw badInput(issues.map((i) => `${i.path} ${i.message}`).join('; '), issues);
  return { at, maxDepth, signal: input.signal, deadline: input.deadline };
}

function resolveAt(at: QueryOptionsInput['at'], now: () => number, issues: Issue[]): number {
  if (at === undefined) return now();
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : parseStrictTime(at);
  if (Number.isFinite(ms)) return ms;
  issues.push({ path: 'at', message: `must be an ISO-8601 time with a zone such as 2026-11-23T00:00:00Z, or a date such as 2026-11-23, got ${JSON.stringify(String(at))}` });
  return 0;
}

/**
 * A time as typed by a person: an ISO-8601 time with a zone, or a calendar date (midnight UTC). `Date.parse`
 * alone would take "1" as the year 2001 and a time without a zone as local time.
 */
function parseStrictTime(text: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return parseTime(`${text}T00:00:00Z`);
  return dateTime.safeParse(text).success ? parseTime(text) : NaN;
}
