/** Turning a walk into result entries: which reached nodes are targets, and in which order they come. */
import { accessEnds } from './access-ends.js';
import { compareIds, type Walk } from './bfs.js';
import type { PathEntry } from './results.js';

/**
 * One entry per reached node (other than the start) that `isTarget` keeps, by distance then id, with
 * the fields that `extend` adds. The bottleneck pass runs only when there is a target to report.
 * @example entriesOf(w, (node) => adj.labelOf(node) === 'Scope')
 */
export function entriesOf(
  walk: Walk,
  isTarget: (node: number) => boolean,
  extend: (entry: PathEntry, node: number) => PathEntry = (entry) => entry,
): PathEntry[] {
  const targets: number[] = [];
  for (let local = 1; local < walk.size; local++) {
    if (isTarget(walk.nodes[local] as number)) targets.push(local);
  }
  if (targets.length === 0) return [];
  const ends = accessEnds(walk);
  return targets.map((local) => extend(walk.entry(local, ends), walk.nodes[local] as number)).sort(byDistanceThenId);
}

/** The order of reach, whoCan and shortestPath entries. */
export function byDistanceThenId(a: PathEntry, b: PathEntry): number {
  return a.distance - b.distance || compareIds(a.target.id, b.target.id);
}
