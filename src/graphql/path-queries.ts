/**
 * The path queries (`reach`, `whoCan`, `explain`, `path`, `blastRadius`, and the same on node types).
 * One serializer: the parent of every result type is `toResultJson(result)`, exactly what the CLI prints
 * with `--json`; resolvers add only what JSON cannot hold: the target node (through the loader), each
 * step's grant, the projection's sequence, and paging of the entries.
 */
import { IdGraphError, type Issue } from '../model/errors.js';
import { resolveQueryOptions, type QueryOptions } from '../model/query-options.js';
import {
  blastRadius,
  explain,
  reach,
  shortestPath,
  toResultJson,
  whoCan,
  type Adjacency,
  type BlastRadiusResult,
  type EntryJson,
  type ExplainResult,
  type PathEntry,
  type PathQueryResult,
  type ResultJson,
  type StepJson,
} from '../paths/index.js';
import { badArguments, pageInfoOf, pageOf, type Page, type PageArgs, type PageInfo } from './connection.js';
import type { GraphqlContext, PathQueryName } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { grantOf, type GrantObject } from './grant.js';
import type { NodeRef } from './node-ref.js';

/** The arguments every path query takes besides its subject. */
export interface PathArgs extends PageArgs {
  readonly at?: Date | null;
  readonly maxDepth?: number | null;
  /** The sequence of a commit the caller made; the answer must include it. */
  readonly atLeast?: number | null;
}

/** The page of entries asked for: `start` is the index of its first entry. */
export interface EntryWindow extends Page {
  readonly start: number;
}

/** The parent object of PathQueryResult, BlastRadiusResult and ExplainResult. */
/** The result as served: the JSON of the requested page only, and the size of the whole result. */
export type ResultParent = ResultJson & { readonly sequence: number; readonly window: EntryWindow; readonly total: number };

type Query = (adj: Adjacency, options: QueryOptions) => PathQueryResult | BlastRadiusResult | ExplainResult;

/**
 * Runs a path query over the projection with the request's limits: options and paging validated together,
 * a time budget per query, and the projection's sequence captured with the answer.
 * @throws IdGraphError BAD_USER_INPUT listing every bad argument; NOT_FOUND for an unknown id;
 * UNAVAILABLE "query exceeded its time budget".
 */
export function runPathQuery(ctx: GraphqlContext, name: PathQueryName, args: PathArgs, query: Query): ResultParent {
  ctx.budget.pathQuery();
  const issues: Issue[] = [];
  const page = pageOf(args, ctx.deps.limits, issues);
  let options: QueryOptions | undefined;
  try {
    options = resolveQueryOptions({ at: args.at ?? undefined, maxDepth: args.maxDepth ?? undefined, deadline: ctx.budget.deadline }, () => ctx.now);
  } catch (error) {
    if (!(error instanceof IdGraphError) || error.code !== 'BAD_USER_INPUT') throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0 || options === undefined) throw badArguments(issues);
  const { projection } = ctx.deps;
  const sequence = projection.sequence;
  // Read your own writes: this instance applies its commits before it answers, and tails what others
  // commit; until it has applied the one asked for, it says so rather than answer without it.
  if (args.atLeast != null && sequence < args.atLeast) {
    throw new IdGraphError('UNAVAILABLE', `query needs sequence ${args.atLeast}; this instance is at ${sequence}: retry`);
  }
  const result = query(projection, options);
  ctx.deps.observe?.(name, result.stats);
  const start = startOf(page, result.entries);
  // Only the requested page is serialized: a whoCan can reach tens of thousands of identities.
  const entries = result.entries.slice(start, start + page.first);
  ctx.budget.take(entries.length);
  return { ...toResultJson({ ...result, entries }), sequence, window: { ...page, start }, total: result.entries.length };
}

/** The top-level path queries. */
export const pathQueryResolvers = {
  reach: (_: unknown, args: PathArgs & { subject: string }, ctx: GraphqlContext) =>
    runPathQuery(ctx, 'reach', args, (adj, o) => reach(adj, args.subject, o)),
  whoCan: (_: unknown, args: PathArgs & { scope: string }, ctx: GraphqlContext) =>
    runPathQuery(ctx, 'whoCan', args, (adj, o) => whoCan(adj, args.scope, o)),
  explain: (_: unknown, args: PathArgs & { identity: string; scope: string; maxRoutes?: number | null }, ctx: GraphqlContext) =>
    runPathQuery(ctx, 'explain', args, (adj, o) => explain(adj, args.identity, args.scope, { ...o, maxRoutes: args.maxRoutes ?? undefined })),
  path: (_: unknown, args: PathArgs & { from: string; to: string }, ctx: GraphqlContext) =>
    runPathQuery(ctx, 'path', args, (adj, o) => shortestPath(adj, args.from, args.to, o)),
  blastRadius: (_: unknown, args: PathArgs & { subject: string }, ctx: GraphqlContext) =>
    runPathQuery(ctx, 'blastRadius', args, (adj, o) => blastRadius(adj, args.subject, o)),
};

/** `reach` and `blastRadius` as fields of a node, the node being the subject. */
/** Null for an entity stub (`known: false`): this graph holds nothing to walk from. */
export const nodeReachResolver = (ref: NodeRef, args: PathArgs, ctx: GraphqlContext): ResultParent | null =>
  ref.known === false ? null : runPathQuery(ctx, 'reach', args, (adj, o) => reach(adj, ref.id, o));
export const nodeBlastRadiusResolver = (ref: NodeRef, args: PathArgs, ctx: GraphqlContext): ResultParent | null =>
  ref.known === false ? null : runPathQuery(ctx, 'blastRadius', args, (adj, o) => blastRadius(adj, ref.id, o));

/** The fields of the three result types that JSON does not hold as they are served. */
const resultFields = {
  entries: ({ entries }: ResultParent): readonly EntryJson[] => entries,
  totalCount: (parent: ResultParent): number => parent.total,
  pageInfo: ({ entries, window, total }: ResultParent): PageInfo => {
    const edges = entries.map((entry) => ({ node: null, cursor: encodeCursor('entry', [entry.target.id]) }));
    return pageInfoOf(edges, window.start + entries.length < total, window);
  },
};

/** Resolvers of the result types and their parts. */
export const pathTypeResolvers = {
  PathQueryResult: resultFields,
  BlastRadiusResult: resultFields,
  ExplainResult: resultFields,
  PathEntry: {
    // The JSON target is `{ id, label }`: already the NodeRef that the Node types resolve from.
    target: (entry: EntryJson): NodeRef => entry.target,
  },
  PathStep: {
    grant: (step: StepJson, _args: unknown, ctx: GraphqlContext): Promise<GrantObject | null> =>
      grantOf(ctx, { type: step.type, from: step.from, to: step.to, key: step.key ?? '' }),
  },
};

/**
 * The index of the first entry of the page: the one after the entry the `after` cursor names. A cursor
 * names its entry's target, not a position, so a write between two pages cannot make one skip or repeat
 * an entry unnoticed: if that target is no longer in the result, the cursor is refused.
 * @throws IdGraphError BAD_USER_INPUT for a cursor that is not from this result.
 */
function startOf(page: Page, entries: readonly PathEntry[]): number {
  if (page.after === undefined) return 0;
  const [target] = decodeCursor('entry', page.after, ['string']) as [string];
  const index = entries.findIndex((entry) => entry.target.id === target);
  if (index < 0) {
    throw badArguments([{ path: 'after', message: `names ${JSON.stringify(target)}, which is not in this result (the graph changed, or the cursor is from another query): start again without after` }]);
  }
  return index + 1;
}
