/**
 * The impact score of a node in a blast radius: how much it matters that it falls. One place, so that
 * ranking and summaries never disagree.
 */
import type { ScopeLevel, Severity } from '../model/vocabulary.js';
import type { Adjacency } from './adjacency.js';

/** Weight of a service's criticality or a scope's sensitivity; absent counts as LOW. */
export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = { LOW: 1, MEDIUM: 3, HIGH: 6, CRITICAL: 10 };

/** What a scope lets its holder do, as a multiplier of its sensitivity. */
export const LEVEL_FACTOR: Readonly<Record<ScopeLevel, number>> = { READ: 1, WRITE: 2, ADMIN: 3 };

/**
 * A Service scores its criticality weight; a Scope its sensitivity weight times its level factor; other
 * labels score 0 (they matter through what they lead to, which has its own entries).
 * @example impactOf(adj, adj.indexOf('scope:payments:admin')!) // CRITICAL ADMIN scope: 30
 */
export function impactOf(adj: Adjacency, node: number): number {
  const label = adj.labelOf(node);
  if (label !== 'Service' && label !== 'Scope') return 0;
  const weight = SEVERITY_WEIGHT[adj.severityOf(node) ?? 'LOW'];
  if (label === 'Service') return weight;
  return weight * LEVEL_FACTOR[adj.scopeLevelOf(node) ?? 'READ'];
}
