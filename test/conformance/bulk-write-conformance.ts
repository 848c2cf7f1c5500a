/**
 * Conformance, part of the suite in store-conformance.ts: `bulkWrite` writes streamed batches (created
 * and upserted) as one commit with one audit event, stamps every record with that commit's sequence,
 * writes nothing for an empty stream, and fails whole.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { firstBrokenLink } from '../../src/model/audit-chain.js';
import type { BulkBatch, GraphStore } from '../../src/store/port.js';
import { failureOf } from '../support/failure.js';
import { batch, byId, ci, collect, edge, expectUnchangedSince, group, identity, range, sortEdges, sre } from './conformance-fixtures.js';

/** Declares the specs; `current` is the store the enclosing suite opened for the running test. */
export function describeBulkWrite(current: () => GraphStore): void {
  describe('bulkWrite', () => {
    let store: GraphStore;
    beforeEach(() => {
      store = current();
    });

    it('writes created and upserted batches as one commit, every record stamped with its sequence', async () => {
      await store.write(batch([ci, sre], [edge('MEMBER_OF', ci, sre, { status: 'ACTIVE' })]));
      const members = range(30).map((i) => identity(`sa:m${i}`));
      const changedCi = identity('sa:ci', { environment: 'prod' });
      const commit = await store.bulkWrite(load([
        { created: true, nodes: members.slice(0, 20), edges: [] },
        { created: true, nodes: members.slice(20), edges: members.map((m) => edge('MEMBER_OF', m, sre)) },
        { created: false, nodes: [changedCi], edges: [edge('MEMBER_OF', ci, sre, { status: 'REVOKED' })] },
      ]));
      expect(commit?.sequence).toBe(2);
      expect(commit?.event.action).toBe('import');
      expect(commit?.event.reason).toBe('62 records');
      const nodes = (await collect(store.scanNodes())).flat().sort(byId);
      expect(nodes).toEqual([changedCi, ...members, sre].sort(byId));
      const edges = sortEdges((await collect(store.scanEdges())).flat());
      expect(edges).toEqual(sortEdges([edge('MEMBER_OF', ci, sre, { status: 'REVOKED' }), ...members.map((m) => edge('MEMBER_OF', m, sre))]));
      const changes = await store.changesSince(1);
      expect(changes.nodes).toHaveLength(31);
      expect(changes.edges).toHaveLength(31);
      expect(changes.events.map((event) => event.sequence)).toEqual([2]);
      expect(firstBrokenLink(await store.auditEvents(0, 10))).toBeUndefined();
    });

    it('writes nothing, not even an audit event, when the batches hold no record', async () => {
      expect(await store.bulkWrite(load([{ created: true, nodes: [], edges: [] }]))).toBeNull();
      expect(await store.lastSequence()).toBe(0);
    });

    it('fails whole with CONFLICT when an edge names a node that is nowhere, leaving nothing', async () => {
      const kept = await store.write(batch([sre]));
      const ghost = identity('sa:ghost');
      const error = await failureOf(
        store.bulkWrite(load([{ created: true, nodes: [group('grp:new')], edges: [edge('MEMBER_OF', ghost, sre)] }])),
        'CONFLICT',
      );
      expect(error.message).toMatch(/not in the store|does not exist/);
      await expectUnchangedSince(store, kept.event);
      expect(await store.bulkWrite(load([{ created: true, nodes: [ci], edges: [edge('MEMBER_OF', ci, sre)] }]))).not.toBeNull();
    });
  });
}

/** A bulk load of fixed batches, with an audit reason that counts what was streamed. */
function load(batches: BulkBatch[]) {
  let records = 0;
  return {
    batches: async function* () {
      records = 0;
      for (const one of batches) {
        records += one.nodes.length + one.edges.length;
        yield one;
      }
    },
    audit: () => ({ actor: 'test', action: 'import', reason: `${records} records` }),
  };
}
