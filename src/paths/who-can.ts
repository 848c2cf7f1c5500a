/** `whoCan`: the identities that hold a scope, with the path that explains each. */
import type { QueryOptions } from '../model/query-options.js';
import type { Adjacency } from './adjacency.js';
import { walk } from './bfs.js';
import { PRIVILEGE } from './edge-sets.js';
import { entriesOf } from './entries.js';
import { nodeRef, resolveNode } from './resolve-node.js';
import type { PathQueryResult } from './results.js';

/**
 * Every Identity with a live privilege path of at most `maxDepth` edges to the scope, by distance then
 * id. The walk runs backward from the scope; each entry's path is read forward, from the identity to the
 * scope, and is the smallest such id sequence among the shortest. Credentials are passed through (a path
 * never starts at one here) but are not entries: they are not who, they are how.
 * @throws IdGraphError NOT_FOUND for an unknown id; BAD_USER_INPUT when the subject is not a Scope;
 * UNAVAILABLE when `options.signal` aborts.
 * @example whoCan(adj, 'scope:payments:refunds:write', resolveQueryOptions()).entries.map((e) => e.target.id)
 */
export function whoCan(adj: Adjacency, scopeId: string, options: QueryOptions): PathQueryResult {
  const scope = resolveNode(adj, scopeId, { query: 'whoCan', labels: ['Scope'] });
  const w = walk(adj, scope, { ...options, edges: PRIVILEGE, direction: 'backward' });
  try {
    const entries = entriesOf(w, (node) => adj.labelOf(node) === 'Identity');
    return { subject: nodeRef(adj, scope), at: options.at, maxDepth: options.maxDepth, entries, stats: w.stats };
  } finally {
    w.release();
  }
}
