/** Central lifecycle events through the API: one call that cascades, a dry run that matches it, and the engine's word that nothing survives. */
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/audit/index.js';
import type { Caller } from '../../src/auth/caller.js';
import { blastRadius, reach, whoCan } from '../../src/paths/index.js';
import { resolveQueryOptions } from '../../src/model/query-options.js';
import { demoApi, NOW, type TestApi } from '../graphql/api.js';

const securityTeam: Caller = { subject: 'sam', issuer: 'test', roles: ['central-admin'], services: [] };
const paymentsOwner: Caller = { subject: 'pat', issuer: 'test', roles: ['service-owner'], services: ['svc:payments'] };
const LIFECYCLE = (verb: string) =>
  `mutation($id: ID!, $dryRun: Boolean) { ${verb}(id: $id, reason: "incident INC-7", dryRun: $dryRun) { dryRun sequence decision { outcome } ended { kind id type from to key reason cause } } }`;

let api: TestApi;
beforeAll(async () => {
  api = await demoApi({ governance: true });
});
const now = () => resolveQueryOptions({ at: NOW });

describe('offboardVendor', () => {
  it('dry-runs the same list it then ends, and leaves the vendor nothing to reach', async () => {
    const admin = api.as(securityTeam);
    const before = await api.store.lastSequence();
    const dry = ((await admin.data(LIFECYCLE('offboardVendor'), { id: 'vendor:clearpath', dryRun: true })) as { offboardVendor: any }).offboardVendor;
    expect(dry).toMatchObject({ dryRun: true, sequence: null, decision: { outcome: 'ALLOW' } });
    expect(await api.store.lastSequence()).toBe(before);
    expect(blastRadius(api.projection, 'vendor:clearpath', now()).entries.length).toBeGreaterThan(0);

    const real = ((await admin.data(LIFECYCLE('offboardVendor'), { id: 'vendor:clearpath' })) as { offboardVendor: any }).offboardVendor;
    expect(real.ended).toEqual(dry.ended);
    expect(real.ended.map((e: { id?: string }) => e.id)).toEqual(expect.arrayContaining(['vendor:clearpath', 'sa:clearpath-kyc-sync']));
    expect(real.sequence).toBe(before + 1);
    expect(blastRadius(api.projection, 'vendor:clearpath', now()).entries).toEqual([]);
    expect(reach(api.projection, 'sa:clearpath-kyc-sync', now()).entries).toEqual([]);
  });
});

describe('retireService', () => {
  it('ends the live grant on the retired service’s local role, so no path runs through it', async () => {
    const result = ((await api.as(securityTeam).data(LIFECYCLE('retireService'), { id: 'svc:legacy-reconciler' })) as { retireService: any }).retireService;
    expect(result.ended).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'grant', from: 'sa:recon-batch', to: 'role:legacy-reconciler-operator' })]));
    const entries = reach(api.projection, 'sa:recon-batch', now()).entries;
    expect(entries.every((e) => !e.path.nodes.includes('role:legacy-reconciler-operator'))).toBe(true);
  });
});

describe('retireIdentity and quarantine', () => {
  it('retires an identity: it drops out of who-can of every scope it held', async () => {
    const held = reach(api.projection, 'sa:payments-ci', now()).entries.map((e) => e.target.id);
    expect(held.length).toBeGreaterThan(0);
    await api.as(securityTeam).data(LIFECYCLE('retireIdentity'), { id: 'sa:payments-ci' });
    for (const scope of held) expect(whoCan(api.projection, scope, now()).entries.map((e) => e.target.id)).not.toContain('sa:payments-ci');
  });

  it('quarantines a credential: its blast radius is empty from then on', async () => {
    expect(blastRadius(api.projection, 'cred:ledger-sftp-ssh', now()).entries.length).toBeGreaterThan(0);
    const { quarantine } = (await api.as(securityTeam).data(LIFECYCLE('quarantine'), { id: 'cred:ledger-sftp-ssh' })) as { quarantine: any };
    expect(quarantine.ended).toEqual([expect.objectContaining({ kind: 'credential', id: 'cred:ledger-sftp-ssh' })]);
    expect(blastRadius(api.projection, 'cred:ledger-sftp-ssh', now()).entries).toEqual([]);
  });

  it('is for central admins only, and rejects a node of the wrong label', async () => {
    const [forbidden] = await api.as(paymentsOwner).errors(LIFECYCLE('retireService'), { id: 'svc:payments' });
    expect(forbidden).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const [wrong] = await api.as(securityTeam).errors(LIFECYCLE('retireService'), { id: 'sa:payments-deployer' });
    expect(wrong).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/retireService takes Service, but "sa:payments-deployer" is an Identity/) });
    const [missing] = await api.as(securityTeam).errors(LIFECYCLE('offboardVendor'), { id: 'vendor:nope' });
    expect(missing).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });

  it('leaves an audit log that verifies, each event naming what it ended', async () => {
    expect((await verifyAudit(api.store)).ok).toBe(true);
    const events = await api.store.auditEvents(1, 100);
    const offboarding = events.find((e) => e.action === 'offboardVendor')!;
    expect(offboarding.targets).toEqual(expect.arrayContaining(['vendor:clearpath', 'sa:clearpath-kyc-sync']));
    expect(offboarding.reason).toMatch(/^incident INC-7 \(ends \d+\)$/);
    expect(offboarding.requestId).toMatch(/^test-\d+$/);
  });
});

describe('reassignOwner', () => {
  it('moves every ownership to the new owner in one commit, keeps the old ones as revoked history, and nobody becomes ownerless', async () => {
    const fresh = await demoApi({ governance: true });
    const owned = `{ owner(id: "team:ledger") { owns(first: 500) { totalCount edges { node { id } grant { status live } } } } }`;
    const before = ((await fresh.data(owned)) as { owner: any }).owner.owns.edges.filter((e: any) => e.grant === null || e.grant.live).map((e: any) => e.node.id);
    expect(before.length).toBeGreaterThan(5);
    const ownerless = async () => ((await fresh.data(`{ identities(filter: { ownerless: true }, first: 500) { totalCount } }`)) as { identities: any }).identities.totalCount as number;
    const orphansBefore = await ownerless();
    const { reassignOwner } = (await fresh.as(securityTeam).data(
      `mutation { reassignOwner(from: "team:ledger", to: "team:payments", reason: "team merged") { sequence ended { kind to } } }`,
    )) as { reassignOwner: any };
    expect(reassignOwner.ended.every((e: { kind: string }) => e.kind === 'ownership')).toBe(true);
    expect(reassignOwner.ended.map((e: { to: string }) => e.to).sort()).toEqual([...before].sort());
    const after = ((await fresh.data(owned)) as { owner: any }).owner.owns.edges;
    expect(after.every((e: any) => e.grant.status === 'REVOKED' && e.grant.live === false)).toBe(true);
    const payments = ((await fresh.data(`{ owner(id: "team:payments") { owns(first: 500) { edges { node { id } grant { live } } } } }`)) as { owner: any }).owner.owns.edges;
    expect(payments.filter((e: any) => e.grant.live).map((e: any) => e.node.id)).toEqual(expect.arrayContaining(before));
    expect(await ownerless()).toBe(orphansBefore);
  });
});
