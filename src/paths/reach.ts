/** `reach`: the scopes an identity (or whoever holds a credential) can use, with a path for each. */
import type { QueryOptions } from '../model/query-options.js';
import type { Adjacency } from './adjacency.js';
import { walk } from './bfs.js';
import { PRIVILEGE } from './edge-sets.js';
import { entriesOf } from './entries.js';
import { nodeRef, resolveNode } from './resolve-node.js';
import type { PathQueryResult } from './results.js';

export interface ReachFilter {
  /**
   * Which reached nodes become entries instead of every Scope: a caller that asks about a few known
   * scopes (the gateway's decision) gets paths for those only, and may ask about Roles and Groups too.
   */
  readonly targets?: (node: number) => boolean;
}

/**
 * Every Scope reached from the subject along live privilege edges within `maxDepth`, by distance then id,
 * each with a shortest path, the number of shortest routes and when the access ends. A subject that is not
 * live at `at` reaches nothing.
 * @throws IdGraphError NOT_FOUND for an unknown id; BAD_USER_INPUT when the subject is neither an Identity
 * nor a Credential; UNAVAILABLE when `options.signal` aborts.
 * @example reach(adj, 'sa:payments-ci', resolveQueryOptions({ at: '2026-11-23T00:00:00Z' })).entries[0]?.target.id
 */
export function reach(adj: Adjacency, subjectId: string, options: QueryOptions, filter: ReachFilter = {}): PathQueryResult {
  const start = resolveNode(adj, subjectId, { query: 'reach', labels: ['Identity', 'Credential'] });
  const w = walk(adj, start, { ...options, edges: PRIVILEGE, direction: 'forward' });
  try {
    const entries = entriesOf(w, filter.targets ?? ((node) => adj.labelOf(node) === 'Scope'));
    return { subject: nodeRef(adj, start), at: options.at, maxDepth: options.maxDepth, entries, stats: w.stats };
  } finally {
    w.release();
  }
}
