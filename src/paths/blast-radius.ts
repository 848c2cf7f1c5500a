/** `blastRadius`: everything that falls with a node, ranked by impact, with a path for each. */
import type { QueryOptions } from '../model/query-options.js';
import type { NodeLabel } from '../model/vocabulary.js';
import type { Adjacency } from './adjacency.js';
import { compareIds, walk } from './bfs.js';
import { COMPROMISE } from './edge-sets.js';
import { entriesOf } from './entries.js';
import { impactOf } from './impact.js';
import { nodeRef, resolveNode } from './resolve-node.js';
import type { BlastRadiusResult, BlastRadiusSummary, LabelCount, PathEntry } from './results.js';

export interface BlastRadiusFilter {
  /**
   * Only these reached nodes become entries (with their paths); the summary still counts every node that
   * falls. For a caller that shows a few kinds of target out of thousands (the vendor posture rule).
   */
  readonly targets?: (node: number) => boolean;
}

/**
 * Every node reached from the subject along live compromise edges within `maxDepth`, other than the
 * subject itself: by impact (highest first), then distance, then id; each with a shortest path, its routes,
 * when that reach ends and its impact; plus a summary by label. Any label may be the subject.
 * @throws IdGraphError NOT_FOUND for an unknown id; UNAVAILABLE when `options.signal` aborts.
 * @example blastRadius(adj, 'cred:ci-token', resolveQueryOptions()).summary.byLabel
 */
export function blastRadius(adj: Adjacency, subjectId: string, options: QueryOptions, filter: BlastRadiusFilter = {}): BlastRadiusResult {
  const start = resolveNode(adj, subjectId, { query: 'blastRadius' });
  const w = walk(adj, start, { ...options, edges: COMPROMISE, direction: 'forward' });
  try {
    const entries = entriesOf(w, filter.targets ?? (() => true), (entry, node) => ({ ...entry, impact: impactOf(adj, node) }));
    entries.sort(byImpact);
    return {
      subject: nodeRef(adj, start),
      at: options.at,
      maxDepth: options.maxDepth,
      entries,
      stats: w.stats,
      summary: summarize(adj, w.nodes, w.size),
    };
  } finally {
    w.release();
  }
}

function byImpact(a: PathEntry, b: PathEntry): number {
  return (b.impact ?? 0) - (a.impact ?? 0) || a.distance - b.distance || compareIds(a.target.id, b.target.id);
}

/** Over every node the walk reached but the start (`nodes[0]`), whichever became entries. */
function summarize(adj: Adjacency, nodes: ArrayLike<number>, size: number): BlastRadiusSummary {
  const counts = new Map<NodeLabel, number>();
  let impact = 0;
  for (let local = 1; local < size; local++) {
    const node = nodes[local]!;
    const label = adj.labelOf(node);
    counts.set(label, (counts.get(label) ?? 0) + 1);
    impact += impactOf(adj, node);
  }
  const byLabel: LabelCount[] = [...counts].map(([label, count]) => ({ label, count }));
  byLabel.sort((a, b) => b.count - a.count || compareIds(a.label, b.label));
  return { total: Math.max(0, size - 1), byLabel, impact };
}
