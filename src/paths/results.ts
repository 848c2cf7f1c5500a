/**
 * What the engine returns. Times are epoch ms here (Infinity = never); `result-json.ts` turns a result into
 * the one JSON shape that the CLI prints and the GraphQL API serves (DESIGN.md, CLI contract).
 */
import type { EdgeType, NodeLabel, Origin } from '../model/vocabulary.js';

export interface NodeRef {
  readonly id: string;
  readonly label: NodeLabel;
}

export interface PathStep {
  readonly type: EdgeType;
  readonly from: string;
  readonly to: string;
  /** The edge's `props.id` ('' when none): with type, from and to it names the edge, e.g. to fetch the grant. */
  readonly key: string;
  readonly origin: Origin | null;
}

export interface Path {
  /** Ids from the start of the path to its end. */
  readonly nodes: readonly string[];
  readonly steps: readonly PathStep[];
}

export interface PathEntry {
  readonly target: NodeRef;
  /** A shortest live path; ties broken by the smallest sequence of ids. */
  readonly path: Path;
  /** Number of edges on `path`. */
  readonly distance: number;
  /** Number of distinct shortest live paths (as sequences of edges). */
  readonly routes: number;
  /** Bottleneck end over all live paths within maxDepth, epoch ms; Infinity for never. */
  readonly accessEndsAt: number;
  /** Blast radius only: the entry's impact score (`paths/impact.ts`). */
  readonly impact?: number;
}

/** The work a query did: how benchmarks and tests see it. */
export interface QueryStats {
  /** Nodes reached (including the start). */
  readonly visited: number;
  /** The largest distance reached. */
  readonly depthReached: number;
  /** True when maxDepth stopped the walk while live edges led further. */
  readonly truncated: boolean;
}

export interface PathQueryResult {
  readonly subject: NodeRef;
  /** Epoch ms. */
  readonly at: number;
  readonly maxDepth: number;
  readonly entries: readonly PathEntry[];
  readonly stats: QueryStats;
}

export interface LabelCount {
  readonly label: NodeLabel;
  readonly count: number;
}

export interface BlastRadiusSummary {
  readonly total: number;
  /** Every label reached, by count descending then label. */
  readonly byLabel: readonly LabelCount[];
  readonly impact: number;
}

export interface BlastRadiusResult extends PathQueryResult {
  readonly summary: BlastRadiusSummary;
}

/**
 * `explain`: every live route from an identity to a scope, up to a cap. Entries are routes (shortest
 * first, then by ids), each with `routes: 1` and its own `accessEndsAt`; the result-level fields give the
 * shortest-route count and the bottleneck end over all routes.
 */
export interface ExplainResult extends PathQueryResult {
  readonly target: NodeRef;
  readonly shortestRoutes: number;
  readonly accessEndsAt: number;
  /** True when more routes exist than `maxRoutes`. */
  readonly capped: boolean;
}
