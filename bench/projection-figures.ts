/**
 * The projection section: the build by scan of the store (time, the process's RSS after it, the bytes the
 * projection retains per edge), and the snapshot that lets a server start without the scan (save, load).
 */
import { performance } from 'node:perf_hooks';
import { Projection } from '../src/projection/projection.js';
import { loadSnapshot, saveSnapshot } from '../src/projection/snapshot.js';
import type { GraphStore } from '../src/store/port.js';

export interface ProjectionFigures {
  readonly nodes: number;
  readonly edges: number;
  /** `Projection.build(store)`, ms. */
  readonly buildMs: number;
  /** Resident set of the whole process right after the build (Kuzu's buffer pool included). */
  readonly rssBytes: number;
  /** Heap + array buffers the projection retains (measured across `global.gc()`), per edge. */
  readonly bytesPerEdge: number;
  /** The typed arrays alone, as the projection counts them. */
  readonly typedArrayBytes: number;
  readonly snapshotBytes: number;
  readonly snapshotSaveMs: number;
  /** `loadSnapshot`: read, checked against the store's audit chain, caught up. */
  readonly snapshotLoadMs: number;
}

/** @example const { projection, figures } = await buildProjection(store, '/tmp/bench/projection.snapshot') */
export async function buildProjection(store: GraphStore, snapshotPath: string): Promise<{ projection: Projection; figures: ProjectionFigures }> {
  const before = await retainedBytes();
  let start = performance.now();
  const projection = await Projection.build(store);
  const buildMs = performance.now() - start;
  const bytes = (await retainedBytes()) - before;
  const rssBytes = process.memoryUsage().rss;
  const stats = projection.stats();

  start = performance.now();
  const saved = await saveSnapshot(projection, store, snapshotPath);
  const snapshotSaveMs = performance.now() - start;
  if (saved === undefined) throw new Error('the projection of the imported store has sequence 0: nothing was imported');
  start = performance.now();
  const loaded = await loadSnapshot(store, snapshotPath);
  const snapshotLoadMs = performance.now() - start;
  if (loaded.projection === undefined) throw new Error(`the snapshot just saved does not load: ${loaded.reason}`);
  if (loaded.projection.edgeCount !== stats.edges) throw new Error(`the snapshot holds ${loaded.projection.edgeCount} edges, the projection ${stats.edges}`);

  return {
    projection,
    figures: {
      nodes: stats.nodes,
      edges: stats.edges,
      buildMs,
      rssBytes,
      bytesPerEdge: bytes / stats.edges,
      typedArrayBytes: stats.typedArrayBytes,
      snapshotBytes: saved.bytes,
      snapshotSaveMs,
      snapshotLoadMs,
    },
  };
}

/** Heap + array buffers in use once garbage is collected. */
async function retainedBytes(): Promise<number> {
  // Streams and native query results are released on a later turn of the event loop: let them, then collect.
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    global.gc?.();
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
