/**
 * Relay paging (DESIGN.md, API conventions): `first` and `after` validated once, and one way to cut a
 * sorted list into a page with its `pageInfo`.
 */
import { IdGraphError, type Issue } from '../model/errors.js';
import type { EdgeKey } from '../model/records.js';
import type { ApiLimits } from './context.js';

/** The paging arguments as GraphQL passes them (the SDL defaults `first` to 50). */
export interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
}

export interface Page {
  readonly first: number;
  readonly after: string | undefined;
}

export interface PageInfo {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

/** One edge of a connection: the node, its cursor, and the graph edge that joined it (for its grant). */
export interface ConnectionEdge<N> {
  readonly node: N;
  readonly cursor: string;
  readonly edge?: EdgeKey | undefined;
}

/**
 * A connection as resolvers return it. `totalCount` may be a function: GraphQL's default resolver calls
 * it only when the field is asked for, so a listing counts its matches only then.
 */
export interface Connection<N> {
  readonly edges: readonly ConnectionEdge<N>[];
  readonly pageInfo: PageInfo;
  readonly totalCount: number | (() => Promise<number>);
}

export const DEFAULT_FIRST = 50;

/**
 * The page asked for, checked against the limits; problems are added to `issues` when given (so that a
 * caller can report them with its own), else thrown.
 * @throws IdGraphError BAD_USER_INPUT naming `first` when it is not a whole number from 0 to the cap.
 * @example pageOf({ first: 10 }, DEFAULT_LIMITS) // { first: 10, after: undefined }
 */
export function pageOf(args: PageArgs, limits: ApiLimits, issues?: Issue[]): Page {
  const first = args.first ?? DEFAULT_FIRST;
  const found: Issue[] = [];
  if (!Number.isInteger(first) || first < 0 || first > limits.maxFirst) {
    found.push({ path: 'first', message: `must be a whole number from 0 to ${limits.maxFirst}, got ${first}` });
  }
  if (issues) issues.push(...found);
  else if (found.length > 0) throw badArguments(found);
  return { first, after: args.after ?? undefined };
}

/** One BAD_USER_INPUT error for paging and option issues, each message prefixed with its argument. */
export function badArguments(issues: readonly Issue[]): IdGraphError {
  return new IdGraphError('BAD_USER_INPUT', issues.map((i) => `${i.path} ${i.message}`).join('; '), { issues });
}

/**
 * The page of `items` that starts at index `start` (the first item after the `after` cursor), with the
 * cursors `cursorOf` gives.
 * @example sliceConnection(items, 0, page, (item) => encodeCursor('node', [item.id]))
 */
export function sliceConnection<T, N>(
  items: readonly T[],
  start: number,
  page: Page,
  toEdge: (item: T, index: number) => ConnectionEdge<N>,
): Connection<N> {
  const end = Math.min(items.length, start + page.first);
  const edges = items.slice(start, end).map((item, i) => toEdge(item, start + i));
  return { edges, pageInfo: pageInfoOf(edges, end < items.length, page), totalCount: items.length };
}

/** The `pageInfo` of a page of edges. */
export function pageInfoOf(edges: readonly ConnectionEdge<unknown>[], hasNextPage: boolean, page: Page): PageInfo {
  return {
    hasNextPage,
    hasPreviousPage: page.after !== undefined,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges.at(-1)?.cursor ?? null,
  };
}
