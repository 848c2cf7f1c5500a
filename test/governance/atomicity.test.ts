/** A mutation that fails half-way, at the store boundary, leaves no change and no audit event. */
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import type { WriteBatch } from '../../src/store/port.js';
import { GraphWriter } from '../../src/governance/graph-writer.js';
import { demoApi } from '../graphql/api.js';
import { DelegatingStore } from '../support/delegating-store.js';
import { dumpAdjacency } from '../support/adjacency-dump.js';

const securityTeam: Caller = { subject: 'sam', issuer: 'test', roles: ['central-admin'], services: [] };

describe('a mutation failing half-way', () => {
  it('rolls the whole cascade back: the store, the projection and the audit log are as before', async () => {
    const api = await demoApi({ governance: true });
    // The real store, handed one more edge than the cascade planned, to a node that does not exist: the
    // store fails the batch after it has written part of it, inside its transaction.
    const failing = new (class extends DelegatingStore {
      override write(batch: WriteBatch) {
        return this.delegate.write({
          ...batch,
          edges: [...batch.edges, { type: 'MEMBER_OF', from: 'sa:clearpath-kyc-sync', to: 'grp:does-not-exist', fromLabel: 'Identity', toLabel: 'Group', key: '', props: {} }],
        });
      }
    })(api.store);
    const writer = new GraphWriter(failing, api.projection);
    const sequence = await api.store.lastSequence();
    const before = dumpAdjacency(api.projection);
    const [vendor] = await api.store.getNodes(['vendor:clearpath']);
    const { runLifecycle } = await import('../../src/governance/lifecycle-mutations.js');
    const { loadGuardrails } = await import('../../src/policy/index.js');
    const deps = { store: failing, projection: api.projection, writer, guardrails: loadGuardrails() };
    await expect(runLifecycle(deps, { caller: securityTeam, requestId: 'r1', now: Date.parse('2026-11-23T12:00:00Z') }, 'offboardVendor', 'vendor:clearpath', 'x', false)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await api.store.lastSequence()).toBe(sequence);
    expect(await api.store.getNodes(['vendor:clearpath'])).toEqual([vendor]);
    expect(dumpAdjacency(api.projection)).toEqual(before);
  });
});
