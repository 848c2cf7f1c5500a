/** The projection against a real store: built by a scan, kept current by commits, caught up from the log. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodeRecord } from '../../src/model/records.js';
import { Projection } from '../../src/projection/projection.js';
import { openKuzuStore } from '../../src/store/kuzu/kuzu-store.js';
import { dumpAdjacency } from '../support/adjacency-dump.js';
import { batchesArb, resolveBatch } from '../support/random-changes.js';
import { tempDir } from '../support/temp-store.js';

describe('Projection over a Kuzu store', () => {
  it('equals a projection built from a fresh scan, after any sequence of random writes, whether applied or caught up', async () => {
    await fc.assert(
      fc.asyncProperty(batchesArb(6), async (batches) => {
        const store = await openKuzuStore({ dir: tempDir() });
        try {
          const applied = await Projection.build(store);
          const tailing = await Projection.build(store);
          const known = new Map<string, NodeRecord>();
          for (const batch of batches) {
            const change = resolveBatch(batch, known);
            if (change.nodes.length === 0 && change.edges.length === 0) continue;
            const commit = await store.write({ ...change, audit: { actor: 'test', action: 'random-write' } });
            applied.apply({ sequence: commit.sequence, ...change });
          }
          await tailing.catchUp(store);
          const fresh = await Projection.build(store);
          expect(dumpAdjacency(applied)).toEqual(dumpAdjacency(fresh));
          expect(dumpAdjacency(tailing)).toEqual(dumpAdjacency(fresh));
          expect([applied.sequence, tailing.sequence]).toEqual([fresh.sequence, fresh.sequence]);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});
