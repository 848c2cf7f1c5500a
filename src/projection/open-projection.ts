/**
 * How a composition root gets its projection: from the snapshot next to the store when there is a good
 * one (then caught up with later commits), else by a full scan. The root picks the file (the server:
 * `<kuzu dir>/projection.snapshot`) and logs the reason when the snapshot was not used.
 */
import type { GraphStore } from '../store/port.js';
import { Projection } from './projection.js';
import { loadSnapshot } from './snapshot.js';

/** The snapshot's file name in a Kuzu store's directory. */
export const SNAPSHOT_FILE = 'projection.snapshot';

export interface OpenProjectionOptions {
  /** The snapshot to try first; none tried when absent. */
  readonly snapshotPath?: string | undefined;
}

export interface OpenedProjection {
  readonly projection: Projection;
  /** `snapshot`: loaded from the file and caught up; `scan`: built by a full scan of the store. */
  readonly source: 'snapshot' | 'scan';
  /** Why the snapshot was not used (no file yet, another format, corrupt, another store), when one was tried. */
  readonly reason?: string;
  /** The sequence of the snapshot loaded, before catching up: the file need not be written again while it holds. */
  readonly snapshotSequence?: number;
}

/**
 * The projection of `store`, from `options.snapshotPath` when that holds a snapshot of this store's
 * history, else by `Projection.build`. It does not write the snapshot: see `saveSnapshot`.
 * @throws IdGraphError UNAVAILABLE when the store cannot be read; a bad snapshot is a reason, not an error.
 * @example const { projection, source, reason } = await openProjection(store, { snapshotPath })
 */
export async function openProjection(store: GraphStore, options: OpenProjectionOptions = {}): Promise<OpenedProjection> {
  if (options.snapshotPath === undefined) return { projection: await Projection.build(store), source: 'scan' };
  const loaded = await loadSnapshot(store, options.snapshotPath);
  if (loaded.projection !== undefined) return { projection: loaded.projection, source: 'snapshot', snapshotSequence: loaded.sequence };
  return { projection: await Projection.build(store), source: 'scan', reason: loaded.reason };
}
