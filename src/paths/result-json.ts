/**
 * The one JSON shape of a path query result (DESIGN.md, CLI contract): what `idgraph … --json` prints and
 * what the GraphQL result carries. Times become ISO-8601 strings in UTC; an end that never comes is null.
 */
import { formatEnd } from '../model/liveness.js';
import type { NodeLabel, Origin, EdgeType } from '../model/vocabulary.js';
import type { BlastRadiusResult, ExplainResult, LabelCount, PathEntry, PathQueryResult, PathStep, QueryStats } from './results.js';

export interface StepJson {
  readonly type: EdgeType;
  readonly from: string;
  readonly to: string;
  /** Present only when the edge has a `props.id`. */
  readonly key?: string;
  readonly origin: Origin | null;
}

export interface EntryJson {
  readonly target: { readonly id: string; readonly label: NodeLabel };
  readonly path: { readonly nodes: readonly string[]; readonly steps: readonly StepJson[] };
  readonly routes: number;
  /** ISO-8601, or null for never. */
  readonly accessEndsAt: string | null;
  /** Blast radius only. */
  readonly impact?: number;
}

export interface ResultJson {
  readonly subject: string;
  readonly at: string;
  readonly maxDepth: number;
  readonly entries: readonly EntryJson[];
  readonly truncated: boolean;
  readonly stats: QueryStats;
  /** Blast radius only. */
  readonly summary?: { readonly total: number; readonly byLabel: readonly LabelCount[]; readonly impact: number };
  /** Explain only: the scope, the number of shortest routes, whether the list was capped, and (when the
   * identity holds the scope at all) the bottleneck end over every route. */
  readonly target?: string;
  readonly shortestRoutes?: number;
  readonly accessEndsAt?: string | null;
  readonly capped?: boolean;
}

/**
 * The JSON document for any query result; blast radius adds `summary` and per-entry `impact`, explain its
 * result-level fields (`accessEndsAt` is left out when no route exists: null would say "never ends").
 * @example JSON.stringify(toResultJson(reach(adj, 'sa:ci', resolveQueryOptions())), null, 2)
 */
export function toResultJson(result: PathQueryResult | BlastRadiusResult | ExplainResult): ResultJson {
  const base: ResultJson = {
    subject: result.subject.id,
    at: new Date(result.at).toISOString(),
    maxDepth: result.maxDepth,
    entries: result.entries.map(toEntryJson),
    truncated: result.stats.truncated,
    stats: { visited: result.stats.visited, depthReached: result.stats.depthReached, truncated: result.stats.truncated },
  };
  if ('summary' in result) {
    const { total, byLabel, impact } = result.summary;
    return { ...base, summary: { total, byLabel: byLabel.map(({ label, count }) => ({ label, count })), impact } };
  }
  if ('shortestRoutes' in result) {
    return {
      ...base,
      target: result.target.id,
      shortestRoutes: result.shortestRoutes,
      ...(result.shortestRoutes > 0 ? { accessEndsAt: formatEnd(result.accessEndsAt) } : {}),
      capped: result.capped,
    };
  }
  return base;
}

/**
 * One entry's JSON: for a caller that shows a few entries of a large result.
 * @example toEntryJson(blastRadius(adj, 'vendor:acme', options).entries[0])
 */
export function toEntryJson(entry: PathEntry): EntryJson {
  return {
    target: { id: entry.target.id, label: entry.target.label },
    path: { nodes: [...entry.path.nodes], steps: entry.path.steps.map(stepJson) },
    routes: entry.routes,
    accessEndsAt: formatEnd(entry.accessEndsAt),
    ...(entry.impact === undefined ? {} : { impact: entry.impact }),
  };
}

function stepJson(step: PathStep): StepJson {
  const { type, from, to, key, origin } = step;
  return key === '' ? { type, from, to, origin } : { type, from, to, key, origin };
}
