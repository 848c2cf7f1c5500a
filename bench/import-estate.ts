/**
 * The import section: the estate file into a fresh Kuzu store through the interchange importer, as
 * `idgraph import` runs it (stream and validate the whole file, then stream it again to the store's bulk
 * path).
 */
import { performance } from 'node:perf_hooks';
import { ndjsonFileSource } from '../src/interchange/file-source.js';
import { importSource } from '../src/interchange/import.js';
import type { GraphStore } from '../src/store/port.js';

export interface ImportFigures {
  /** Which importer ran. */
  readonly method: string;
  readonly lines: number;
  readonly ms: number;
  readonly linesPerSecond: number;
}

/** @example const figures = await importEstate(store, '/tmp/estate.ndjson') */
export async function importEstate(store: GraphStore, file: string): Promise<ImportFigures> {
  const start = performance.now();
  const summary = await importSource(store, ndjsonFileSource(file), { source: file, actor: 'bench' });
  const ms = performance.now() - start;
  return { method: 'importSource', lines: summary.lines, ms, linesPerSecond: (summary.lines * 1000) / ms };
}
