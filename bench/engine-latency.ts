/**
 * The engine section: `reach`, `whoCan` and `blastRadius` over the projection, each on the same random
 * subjects as its floor (`BaselineBfs` over the same edge set and direction, to the same maxDepth), timed
 * subject by subject with the engine and the floor interleaved, so that a noisy moment on the shared
 * machine hits both. Each query also reports how many of its walks hit maxDepth.
 */
import { performance } from 'node:perf_hooks';
import type { QueryOptions } from '../src/model/query-options.js';
import { COMPROMISE, PRIVILEGE, blastRadius, reach, whoCan, type Adjacency } from '../src/paths/index.js';
import { BaselineBfs } from './baseline-bfs.js';
import { mean, medianPercentiles, percentiles, ratios, type Percentiles } from './percentiles.js';
import type { Subjects } from './subjects.js';

export type EngineQuery = 'reach' | 'whoCan' | 'blastRadius';

export interface QueryFigures {
  /** Engine latency, ms: each percentile the median over the runs. */
  readonly ms: Percentiles;
  /** The floor's latency on the same subjects, ms. */
  readonly baselineMs: Percentiles;
  /** `ms / baselineMs` per percentile. */
  readonly ratio: Percentiles;
  /** Mean entries per result. */
  readonly meanEntries: number;
  /** Mean nodes the floor reached (no time filter: an upper bound of what the engine walks). */
  readonly meanBaselineReached: number;
  /** Subjects whose walk maxDepth cut short (live edges led further). */
  readonly truncated: number;
}

export interface EngineFigures {
  readonly subjects: number;
  readonly humans: number;
  readonly scopes: number;
  readonly runs: number;
  readonly reach: QueryFigures;
  readonly whoCan: QueryFigures;
  readonly blastRadius: QueryFigures;
}

/** Subjects run untimed first, so that the JIT has compiled the walk before it is timed. */
const WARM_UP = 20;

/** @example const figures = measureEngine(projection, subjects, resolveQueryOptions({ at }), 3) */
export function measureEngine(adj: Adjacency, subjects: Subjects, options: QueryOptions, runs: number): EngineFigures {
  const floors = {
    privilegeForward: BaselineBfs.of(adj, PRIVILEGE, 'forward'),
    privilegeBackward: BaselineBfs.of(adj, PRIVILEGE, 'backward'),
    compromiseForward: BaselineBfs.of(adj, COMPROMISE, 'forward'),
  };
  const figures = (query: EngineQuery, ids: readonly string[], floor: BaselineBfs): QueryFigures =>
    measureQuery(adj, ids, (start) => floor.reached(start, options.maxDepth), runs, (id) => entriesOf(adj, query, id, options));
  return {
    subjects: subjects.identities.length,
    humans: subjects.humans,
    scopes: subjects.scopes.length,
    runs,
    reach: figures('reach', subjects.identities, floors.privilegeForward),
    whoCan: figures('whoCan', subjects.scopes, floors.privilegeBackward),
    blastRadius: figures('blastRadius', subjects.identities, floors.compromiseForward),
  };
}

/**
 * Engine reach latency on some subjects alone (the Cypher section compares on its own subset).
 * @example engineReachMs(projection, ids, options, 3).p95
 */
export function engineReachMs(adj: Adjacency, ids: readonly string[], options: QueryOptions, runs: number): Percentiles {
  return timeRuns(ids, runs, (id) => entriesOf(adj, 'reach', id, options));
}

/** Runs one engine query; returns its number of entries and whether maxDepth cut it short. */
function entriesOf(adj: Adjacency, query: EngineQuery, id: string, options: QueryOptions): { entries: number; truncated: boolean } {
  const result = query === 'reach' ? reach(adj, id, options) : query === 'whoCan' ? whoCan(adj, id, options) : blastRadius(adj, id, options);
  return { entries: result.entries.length, truncated: result.stats.truncated };
}

function measureQuery(
  adj: Adjacency,
  ids: readonly string[],
  floor: (start: number) => number,
  runs: number,
  run: (id: string) => { entries: number; truncated: boolean },
): QueryFigures {
  const starts = ids.map((id) => adj.indexOf(id)!);
  for (let i = 0; i < Math.min(WARM_UP, ids.length); i++) {
    run(ids[i]!);
    floor(starts[i]!);
  }
  const engineRuns: Percentiles[] = [];
  const floorRuns: Percentiles[] = [];
  const entries: number[] = [];
  const reached: number[] = [];
  let truncated = 0;
  for (let r = 0; r < runs; r++) {
    const engine: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      let start = performance.now();
      const found = run(ids[i]!);
      engine.push(performance.now() - start);
      start = performance.now();
      const count = floor(starts[i]!);
      base.push(performance.now() - start);
      if (r === 0) {
        entries.push(found.entries);
        reached.push(count);
        if (found.truncated) truncated++;
      }
    }
    engineRuns.push(percentiles(engine));
    floorRuns.push(percentiles(base));
  }
  const ms = medianPercentiles(engineRuns);
  const baselineMs = medianPercentiles(floorRuns);
  return { ms, baselineMs, ratio: ratios(ms, baselineMs), meanEntries: mean(entries), meanBaselineReached: mean(reached), truncated };
}

function timeRuns(ids: readonly string[], runs: number, run: (id: string) => unknown): Percentiles {
  for (let i = 0; i < Math.min(WARM_UP, ids.length); i++) run(ids[i]!);
  const perRun: Percentiles[] = [];
  for (let r = 0; r < runs; r++) {
    const samples = ids.map((id) => {
      const start = performance.now();
      run(id);
      return performance.now() - start;
    });
    perRun.push(percentiles(samples));
  }
  return medianPercentiles(perRun);
}
