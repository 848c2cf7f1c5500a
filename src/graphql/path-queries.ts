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
}

/** The page of entries asked for: `start` is the index of its first entry. */
export interface EntryWindow extends Page {
  readonly start: number;
}

/** The parent object of PathQueryResult, BlastRadiusResult and ExplainResult. */
export type ResultParent = ResultJson & { readonly sequence: number; readonly window: EntryWindow };

type Query = (adj: Adjacency, options: QueryOptions) => PathQueryResult | BlastRadiusResult | ExplainResult;

/**
 * Runs a path query over the projection with the request's limits: options and paging validated together,
 * a time budget per query, and the projection's sequence captured with the answer.
 * @throws IdGraphError BAD_USER_INPUT listing every bad argument; NOT_FOUND for an unknown id;
 * UNAVAILABLE "query exceeded its time budget".
 */
export function runPathQuery(ctx: GraphqlContext, name: PathQueryName, args: PathArgs, query: Query): ResultParent {
  const issues: Issue[] = [];
  const page = pageOf(args, ctx.deps.limits, issues);
  const start = startOf(page, issues);
  const deadline = Date.now() + ctx.deps.limits.queryTimeoutMs;
  let options: QueryOptions | undefined;
  try {
    options = resolveQueryOptions({ at: args.at ?? undefined, maxDepth: args.maxDepth ?? undefined, deadline }, () => ctx.now);
  } catch (error) {
    if (!(error instanceof IdGraphError) || error.code !== 'BAD_USER_INPUT') throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0 || options === undefined) throw badArguments(issues);
  const { projection } = ctx.deps;
  const sequence = projection.sequence;
  const result = query(projection, options);
  ctx.deps.observe?.(name, result.stats);
  return { ...toResultJson(result), sequence, window: { ...page, start } };
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
  entries: ({ entries, window }: ResultParent): readonly EntryJson[] => entries.slice(window.start, window.start + window.first),
  totalCount: (parent: ResultParent): number => parent.entries.length,
  pageInfo: ({ entries, window }: ResultParent): PageInfo => {
    const end = Math.min(entries.length, window.start + window.first);
    const edges = Array.from({ length: Math.max(0, end - window.start) }, (_, i) => ({ node: null, cursor: encodeCursor('entry', [window.start + i]) }));
    return pageInfoOf(edges, end < entries.length, window);
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

/** The index of the first entry of the page: the one after the `after` cursor's. */
function startOf(page: Page, issues: Issue[]): number {
  if (page.after === undefined) return 0;
  try {
    const [index] = decodeCursor('entry', page.after, ['number']) as [number];
    if (Number.isInteger(index) && index >= 0) return index + 1;
    issues.push({ path: 'after', message: `must be a cursor from this list, got ${JSON.stringify(page.after)}` });
  } catch (error) {
    if (!(error instanceof IdGraphError)) throw error;
    issues.push(...error.issues);
  }
  return 0;
}
