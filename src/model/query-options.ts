/** The options every path query takes, validated once (DESIGN.md, Depth). */
import { badInput, type Issue } from './errors.js';
import { parseTime } from './liveness.js';

export const DEFAULT_MAX_DEPTH = 12;
export const MAX_MAX_DEPTH = 32;

/** What callers pass: `at` as a Date, an ISO string or epoch ms; absent means now. */
export interface QueryOptionsInput {
  readonly at?: Date | string | number | undefined;
  /** A string is taken as typed on a command line and must be a whole number. */
  readonly maxDepth?: number | string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** What the engine runs with. */
export interface QueryOptions {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly maxDepth: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * @throws IdGraphError BAD_USER_INPUT listing every bad option.
 * @example resolveQueryOptions({ at: '2026-11-23T00:00:00Z', maxDepth: 6 })
 */
export function resolveQueryOptions(input: QueryOptionsInput = {}, now: () => number = Date.now): QueryOptions {
  const issues: Issue[] = [];
  const at = resolveAt(input.at, now, issues);
  const maxDepth = typeof input.maxDepth === 'string' ? Number(input.maxDepth.trim() || NaN) : input.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > MAX_MAX_DEPTH) {
    issues.push({
      path: 'maxDepth',
      message: `must be a whole number from 1 to ${MAX_MAX_DEPTH}, got ${JSON.stringify(input.maxDepth)}`,
    });
  }
  if (issues.length > 0) throw badInput(issues.map((i) => `${i.path} ${i.message}`).join('; '), issues);
  return { at, maxDepth, signal: input.signal };
}

function resolveAt(at: QueryOptionsInput['at'], now: () => number, issues: Issue[]): number {
  if (at === undefined) return now();
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : parseTime(at);
  if (Number.isFinite(ms)) return ms;
  issues.push({ path: 'at', message: `must be an ISO-8601 time such as 2026-11-23T00:00:00Z, got ${JSON.stringify(String(at))}` });
  return 0;
}
