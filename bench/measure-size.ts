/**
 * One estate size, every section in order on one store in a temporary directory: generate the file,
 * import it into a fresh Kuzu store, build the projection (time, RSS, bytes per edge), the engine against
 * its floor, the same reach as one recursive Cypher query on the store, then the API over HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveQueryOptions } from '../src/model/query-options.js';
import type { Projection } from '../src/projection/projection.js';
import { openKuzuStore } from '../src/store/kuzu/kuzu-store.js';
import { openKuzuSession } from '../src/store/kuzu/open-kuzu-session.js';
import type { GraphStore } from '../src/store/port.js';
import type { BenchOptions } from './bench-options.js';
import { measureCypherReach, type CypherFigures } from './cypher-reach.js';
import { engineReachMs, measureEngine, type EngineFigures } from './engine-latency.js';
import { writeEstateFile } from './estate.js';
import { measureHttp, type HttpFigures } from './http-load.js';
import { importEstate, type ImportFigures } from './import-estate.js';
import { ratios, type Percentiles } from './percentiles.js';
import { buildProjection, type ProjectionFigures } from './projection-figures.js';
import { pickSubjects, type Subjects } from './subjects.js';

/** Every estate is anchored here, and every query asks at this instant. */
export const ANCHOR = new Date('2026-11-23T00:00:00Z');

export interface SizeFigures {
  readonly identities: number;
  readonly generateMs: number;
  readonly import: ImportFigures;
  readonly projection: ProjectionFigures;
  readonly engine: EngineFigures;
  readonly cypher: CypherFigures & {
    /** Engine reach on the same subjects as the Cypher query, ms. */
    readonly engineMs: Percentiles;
    /** Cypher / engine per percentile: how many times faster the engine is. */
    readonly ratio: Percentiles;
  };
  readonly http: HttpFigures;
}

/** What the first phase (store open for import, build and engine) hands on. */
interface InMemory {
  readonly imported: ImportFigures;
  readonly built: { readonly projection: Projection; readonly figures: ProjectionFigures };
  readonly subjects: Subjects;
  readonly engine: EngineFigures;
}

/** @example const figures = await measureSize(100_000, options, (line) => console.error(line)) */
export async function measureSize(identities: number, options: BenchOptions, progress: (message: string) => void): Promise<SizeFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'idgraph-bench-'));
  const storeDir = join(dir, 'store');
  const queryOptions = resolveQueryOptions({ at: ANCHOR });
  try {
    progress('generating the estate');
    const estate = writeEstateFile(join(dir, 'estate.ndjson'), identities, ANCHOR);
    progress(`importing ${estate.lines} lines`);
    let inMemory: InMemory | undefined = await withStore(storeDir, async (store): Promise<InMemory> => {
      const imported = await importEstate(store, estate.file);
      progress('building the projection');
      const built = await buildProjection(store, join(dir, 'projection.snapshot'));
      progress('engine and baseline');
      const subjects = await pickSubjects(built.projection, store, options.subjects);
      return { imported, built, subjects, engine: measureEngine(built.projection, subjects, queryOptions, options.runs) };
    });
    const { imported, subjects, engine } = inMemory;

    progress('recursive Cypher');
    // The store's own session (same file, closed above): what the adapter would run the query through.
    const session = openKuzuSession(storeDir);
    let cypher: CypherFigures;
    try {
      const ids = subjects.identities.slice(0, options.cypherSubjects);
      cypher = measureCypherReach(session, ids, { runs: options.runs, budgetMs: options.cypherBudgetMs, minSubjects: Math.min(5, ids.length) });
    } finally {
      session.close();
    }
    const engineMs = engineReachMs(inMemory.built.projection, subjects.identities.slice(0, cypher.subjects), queryOptions, options.runs);
    const projection = inMemory.built.figures;
    // The server builds its own projection from the store: this one is let go first.
    inMemory = undefined;
    global.gc?.();

    progress('HTTP');
    const http = await withStore(storeDir, (store) =>
      measureHttp(store, subjects.identities, {
        keyDir: dir,
        at: ANCHOR.toISOString(),
        runs: options.runs,
        sequentialRequests: options.sequentialRequests,
        sequentialBudgetMs: options.sequentialBudgetMs,
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        timeoutSeconds: options.timeoutSeconds,
      }),
    );
    return {
      identities,
      generateMs: estate.ms,
      import: imported,
      projection,
      engine,
      cypher: { ...cypher, engineMs, ratio: ratios(cypher.ms, engineMs) },
      http,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Opens the Kuzu store in `dir`, runs `work` with it, and closes it however `work` ends. */
async function withStore<T>(dir: string, work: (store: GraphStore) => Promise<T>): Promise<T> {
  const store = await openKuzuStore({ dir });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
