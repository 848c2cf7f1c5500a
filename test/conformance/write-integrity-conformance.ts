/**
 * Conformance, part of the suite in store-conformance.ts: a write that would break the graph's
 * integrity (an edge whose endpoint does not exist, a node id under a second label) fails whole, with
 * CONFLICT, and leaves no trace; the store stays writable and its audit chain unbroken.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { firstBrokenLink } from '../../src/model/audit-chain.js';
import type { GraphStore } from '../../src/store/port.js';
import { failureOf } from '../support/failure.js';
import {
  admins,
  batch,
  ci,
  collect,
  edge,
  expectUnchangedSince,
  group,
  identity,
  key,
  node,
  payments,
  range,
  sre,
} from './conformance-fixtures.js';

/** Declares the specs; `current` is the store the enclosing suite opened for the running test. */
export function describeWriteIntegrity(current: () => GraphStore): void {
  describe('write integrity', () => {
    let store: GraphStore;
    beforeEach(() => {
      store = current();
    });

    describe('an edge whose endpoint does not exist', () => {
      it('fails the whole batch with CONFLICT and leaves nothing of it visible', async () => {
        const kept = await store.write(batch([ci, sre], [edge('MEMBER_OF', ci, sre)]));
        const ghost = identity('sa:ghost');
        const failing = batch(
          [admins, { ...ci, props: { ...ci.props, environment: 'changed' } }],
          [edge('MEMBER_OF', sre, admins), edge('MEMBER_OF', ghost, admins)],
        );
        const error = await failureOf(store.write(failing), 'CONFLICT');
        expect(error.message).toContain('sa:ghost');
        await expectUnchangedSince(store, kept.event);
        expect(await store.getNodes([admins.id, ci.id])).toEqual([undefined, ci]);
        expect(await store.getEdges([key('MEMBER_OF', sre.id, admins.id)])).toEqual([undefined]);
      });

      it('fails a batch larger than one statement, wherever the bad edge is', async () => {
        const members = range(4500).map((i) => identity(`sa:bulk-${i}`));
        const edges = members.map((member) => edge('MEMBER_OF', member, sre));
        edges.push(edge('MEMBER_OF', identity('sa:ghost'), sre));
        await failureOf(store.write(batch([sre, ...members], edges)), 'CONFLICT');
        expect(await store.lastSequence()).toBe(0);
        expect(await collect(store.scanNodes())).toEqual([]);
        expect(await collect(store.scanEdges())).toEqual([]);
      });

      it('leaves the store writable, the next commit chaining on the last good one', async () => {
        const kept = await store.write(batch([ci]));
        await failureOf(store.write(batch([], [edge('MEMBER_OF', ci, sre)])), 'CONFLICT');
        const next = await store.write(batch([sre], [edge('MEMBER_OF', ci, sre)]));
        expect(next.sequence).toBe(2);
        expect(next.event.prevHash).toBe(kept.event.hash);
        expect(firstBrokenLink(await store.auditEvents(0, 10))).toBeUndefined();
      });
    });

    describe('a node id under a second label', () => {
      it('fails the batch with CONFLICT when the store has the id under another label, writing nothing', async () => {
        const kept = await store.write(batch([ci, sre]));
        const clash = node('Service', ci.id);
        const error = await failureOf(store.write(batch([payments, clash])), 'CONFLICT');
        expect(error.message).toBe('node "sa:ci" is an Identity in the store; it cannot also be a Service');
        await expectUnchangedSince(store, kept.event);
        expect(await store.getNodes([ci.id, payments.id])).toEqual([ci, undefined]);
        const other = await failureOf(store.write(batch([identity(sre.id)])), 'CONFLICT');
        expect(other.message).toBe('node "grp:sre" is a Group in the store; it cannot also be an Identity');
      });

      it('fails a batch that names one id under two labels, writing nothing', async () => {
        const error = await failureOf(store.write(batch([ci, sre, group(ci.id)])), 'CONFLICT');
        expect(error.message).toBe('node "sa:ci" is an Identity in the batch; it cannot also be a Group');
        expect(await store.lastSequence()).toBe(0);
        expect(await collect(store.scanNodes())).toEqual([]);
      });

      it('still upserts an id under the label it has', async () => {
        await store.write(batch([ci, sre]));
        const disabled = identity(ci.id, { status: 'DISABLED' });
        expect((await store.write(batch([disabled, sre]))).sequence).toBe(2);
        expect(await store.getNodes([ci.id, sre.id])).toEqual([disabled, sre]);
      });
    });
  });
}
