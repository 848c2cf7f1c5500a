/** The projection against a real store: built by a scan, kept current by commits, caught up from the log. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodeRecord } from '../../src/model/records.js';
import { Projection } from '../../src/projection/projection.js';
import { openKuzuStore } from '../../src/store/kuzu/kuzu-store.js';
import { dumpAdjacency } from '../support/adjacency-dump.js';
import { DelegatingStore } from '../support/delegating-store.js';
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

  it('builds while another write commits between its node and edge scans, and catches that write up', async () => {
    const store = await openKuzuStore({ dir: tempDir() });
    try {
      const group: NodeRecord = { label: 'Group', id: 'grp:a', props: { name: 'a' } };
      await store.write({ nodes: [group], edges: [], audit: { actor: 'test', action: 'seed' } });
      const late: NodeRecord = { label: 'Identity', id: 'sa:late', props: { name: 'late', kind: 'BOT' } };
      const edge = { type: 'MEMBER_OF' as const, from: 'sa:late', to: 'grp:a', fromLabel: 'Identity' as const, toLabel: 'Group' as const, key: '', props: {} };
      // The real store, with a commit landing after the node scan and before the edge scan.
      const racing = new (class extends DelegatingStore {
        override async *scanEdges(batchSize?: number) {
          await store.write({ nodes: [late], edges: [edge], audit: { actor: 'test', action: 'race' } });
          yield* store.scanEdges(batchSize);
        }
      })(store);
      const built = await Projection.build(racing);
      expect(built.sequence).toBe(2);
      expect(dumpAdjacency(built)).toEqual(dumpAdjacency(await Projection.build(store)));
      expect(built.indexOf('sa:late')).toBeDefined();
    } finally {
      await store.close();
    }
  });
});
