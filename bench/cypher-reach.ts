/**
 * What a user would otherwise run: `reach` as one recursive Cypher query (`bench/cypher/reach.cypher`) on
 * the same Kuzu store, through the store's own session (prepared statement, sync API: the fastest way this
 * repo knows to ask Kuzu). It is slow, so it runs on a prefix of the subjects, within a time budget per run.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { KuzuSession } from '../src/store/kuzu/kuzu-session.js';
import { mean, medianPercentiles, percentiles, type Percentiles } from './percentiles.js';

export const REACH_CYPHER_FILE = 'bench/cypher/reach.cypher';

export interface CypherFigures {
  /** The file the query was read from. */
  readonly query: string;
  /** Subjects timed in every run (the budget may have cut the list short). */
  readonly subjects: number;
  readonly runs: number;
  /** Each percentile the median over the runs. */
  readonly ms: Percentiles;
  /** Mean rows (distinct scopes) per subject. */
  readonly meanRows: number;
}

export interface CypherOptions {
  readonly runs: number;
  /** Stop taking new subjects in a run after this long; the first run sets the count for the others. */
  readonly budgetMs: number;
  /** At least this many subjects, whatever the budget. */
  readonly minSubjects: number;
}

/**
 * @example const cypher = measureCypherReach(session, subjects.identities.slice(0, 30), { runs: 3, budgetMs: 20_000, minSubjects: 5 })
 */
export function measureCypherReach(session: KuzuSession, ids: readonly string[], options: CypherOptions): CypherFigures {
  const text = readFileSync(new URL('./cypher/reach.cypher', import.meta.url), 'utf8');
  const run = (id: string): number => session.all(text, { id }).length;
  run(ids[0]!);
  let count = ids.length;
  const perRun: Percentiles[] = [];
  const rows: number[] = [];
  for (let r = 0; r < options.runs; r++) {
    const samples: number[] = [];
    const until = performance.now() + options.budgetMs;
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      const found = run(ids[i]!);
      const end = performance.now();
      samples.push(end - start);
      if (r === 0) rows.push(found);
      if (r === 0 && end > until && i + 1 >= options.minSubjects) count = i + 1;
    }
    perRun.push(percentiles(samples));
  }
  return { query: REACH_CYPHER_FILE, subjects: count, runs: options.runs, ms: medianPercentiles(perRun), meanRows: mean(rows) };
}
