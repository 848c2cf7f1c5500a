/**
 * The path engine: reachability queries over an `Adjacency`, pure and synchronous, with a depth budget
 * and an abort signal. Import from here; the modules behind it are free to move.
 */
export type { Adjacency } from './adjacency.js';
export type {
  BlastRadiusResult,
  BlastRadiusSummary,
  ExplainResult,
  LabelCount,
  NodeRef,
  Path,
  PathEntry,
  PathQueryResult,
  PathStep,
  QueryStats,
} from './results.js';
export { COMPROMISE, PRIVILEGE, type EdgeSet } from './edge-sets.js';
export { reach, type ReachFilter } from './reach.js';
export { whoCan } from './who-can.js';
export { explain, DEFAULT_MAX_ROUTES, MAX_MAX_ROUTES, type ExplainOptions } from './explain.js';
export { shortestPath } from './shortest-path.js';
export { blastRadius, type BlastRadiusFilter } from './blast-radius.js';
export { impactOf, LEVEL_FACTOR, SEVERITY_WEIGHT } from './impact.js';
export { toEntryJson, toResultJson, type EntryJson, type ResultJson, type StepJson } from './result-json.js';
