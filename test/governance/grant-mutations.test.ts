/**
 * Governance of grants through the API: a service team grants inside its service and sees it live at once;
 * the guardrails deny outside it, over the TTL limit and to a vendor on CRITICAL, and hold HIGH grants for
 * central approval; every decision, denials included, lands in a verifiable audit log.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/audit/index.js';
import type { Caller } from '../../src/auth/caller.js';
import { demoApi, type TestApi } from '../graphql/api.js';

const notificationsOwner: Caller = { subject: 'nina', issuer: 'test', roles: ['service-owner'], services: ['svc:notifications'] };
const paymentsOwner: Caller = { subject: 'pat', issuer: 'test', roles: ['service-owner'], services: ['svc:payments'] };
const securityTeam: Caller = { subject: 'sam', issuer: 'test', roles: ['central-admin'], services: [] };
const analyst: Caller = { subject: 'ann', issuer: 'test', roles: ['analyst'], services: [] };

const GRANT = `mutation($input: GrantInput!) { grant(input: $input) {
  type from to id sequence grant { status origin domain grantedBy expiresAt live } decision { outcome policyIds reasons }
} }`;
const REQUEST = GRANT.replace('grant(input', 'requestAccess(input').replace(') { grant(', ') { requestAccess(');
const REVIEW = (verdict: 'approve' | 'reject' | 'revoke') =>
  `mutation($grant: GrantKeyInput!, $reason: String!) { ${verdict}(grant: $grant, reason: $reason) { id sequence grant { status live } decision { outcome policyIds } } }`;
const REACH = `query($id: ID!, $atLeast: Int) { reach(subject: $id, atLeast: $atLeast, first: 500) { sequence entries { target { id } } } }`;

let api: TestApi;
beforeAll(async () => {
  api = await demoApi({ governance: true });
});

const reached = async (id: string, atLeast?: number): Promise<string[]> =>
  ((await api.data(REACH, { id, atLeast })) as { reach: { entries: { target: { id: string } }[] } }).reach.entries.map((e) => e.target.id);

describe('grant', () => {
  it('lets a service team grant a LOCAL role of its own service, live at once and expiring by itself', async () => {
    const input = { from: 'wl:notifications-api', to: 'role:notifications-reader', ttl: '30d', justification: 'reads its own queue' };
    const { grant } = (await api.as(notificationsOwner).data(GRANT, { input })) as { grant: any };
    expect(grant).toMatchObject({
      type: 'HAS_ROLE',
      grant: { status: 'ACTIVE', origin: 'LOCAL', domain: 'svc:notifications', grantedBy: 'nina', expiresAt: '2026-12-23T12:00:00.000Z', live: true },
      decision: { outcome: 'ALLOW' },
    });
    expect(await reached('wl:notifications-api', grant.sequence)).toContain('scope:notifications:messages:read');
  });

  it.each([
    ['outside its own service', paymentsOwner, { from: 'wl:notifications-api', to: 'role:notifications-reader', ttl: '30d' }, /local/],
    ['past the TTL limit of the sensitivity', notificationsOwner, { from: 'wl:notifications-api', to: 'role:notifications-reader', ttl: '120d' }, /ttl/],
    ['without a TTL', notificationsOwner, { from: 'wl:notifications-api', to: 'role:notifications-reader' }, /ttl/],
    ['a CRITICAL scope to a vendor-operated identity', paymentsOwner, { from: 'sa:clearpath-kyc-sync', to: 'role:payments-writer', ttl: '4h' }, /vendor/],
  ])('denies a grant %s, audits the attempt and writes nothing', async (_case, caller, fields, policy) => {
    const before = await api.store.lastSequence();
    const edgesBefore = api.projection.edgeCount;
    const [error] = await api.as(caller).errors(GRANT, { input: { ...fields, justification: 'test' } });
    expect(error).toMatchObject({ extensions: { code: 'POLICY_DENIED' } });
    expect(error!.message).toMatch(policy);
    expect(api.projection.edgeCount).toBe(edgesBefore);
    const [event] = await api.store.auditEvents(before, 10);
    expect(event).toMatchObject({ sequence: before + 1, action: 'grant', decision: 'DENY', actor: caller.subject });
    expect(event!.policyIds.length).toBeGreaterThan(0);
  });

  it('holds a HIGH grant for central approval: PENDING, not live, until a central admin approves it', async () => {
    const input = { from: 'wl:ledger-worker', to: 'role:payments-reader', ttl: '5d', justification: 'reconciliation reads' };
    const { grant } = (await api.as(paymentsOwner).data(GRANT, { input })) as { grant: any };
    expect(grant).toMatchObject({ grant: { status: 'PENDING', live: false }, decision: { outcome: 'NEEDS_APPROVAL' } });
    expect(grant.decision.policyIds).toContain('high-grant-needs-approval');
    expect(await reached('wl:ledger-worker', grant.sequence)).not.toContain('scope:payments:transactions:read');
    const key = { type: 'HAS_ROLE', from: grant.from, to: grant.to, id: grant.id };
    const { approve } = (await api.as(securityTeam).data(REVIEW('approve'), { grant: key, reason: 'ticket SEC-42' })) as { approve: any };
    expect(approve.grant).toEqual({ status: 'ACTIVE', live: true });
    expect(await reached('wl:ledger-worker', approve.sequence)).toContain('scope:payments:transactions:read');
  });

  it('makes access requests PENDING; a central admin can reject them', async () => {
    const input = { from: 'wl:notifications-api', to: 'role:notifications-reader', ttl: '1d', justification: 'on-call' };
    const { requestAccess } = (await api.as(notificationsOwner).data(REQUEST, { input })) as { requestAccess: any };
    expect(requestAccess.grant.status).toBe('PENDING');
    const key = { type: 'HAS_ROLE', from: requestAccess.from, to: requestAccess.to, id: requestAccess.id };
    const { reject } = (await api.as(securityTeam).data(REVIEW('reject'), { grant: key, reason: 'not needed' })) as { reject: any };
    expect(reject.grant).toEqual({ status: 'REVOKED', live: false });
    const [again] = await api.as(securityTeam).errors(REVIEW('approve'), { grant: key, reason: 'changed my mind' });
    expect(again).toMatchObject({ extensions: { code: 'CONFLICT' } });
  });

  it('refuses analysts and service owners the central verbs before any guardrail runs', async () => {
    const input = { from: 'wl:notifications-api', to: 'role:notifications-reader', ttl: '1d', justification: 'x' };
    expect((await api.as(analyst).errors(GRANT, { input }))[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const key = { type: 'HAS_ROLE', from: 'wl:notifications-api', to: 'role:notifications-reader', id: 'x' };
    expect((await api.as(paymentsOwner).errors(REVIEW('approve'), { grant: key, reason: 'x' }))[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});

describe('revoke', () => {
  it('ends a grant now: 1,000 times, a path query at the revocation sequence never sees it', async () => {
    const input = { from: 'wl:checkout-worker', to: 'role:notifications-reader', ttl: '1d', justification: 'smoke test' };
    for (let i = 0; i < 1000; i++) {
      const { grant } = (await api.as(notificationsOwner).data(GRANT, { input })) as { grant: any };
      const key = { type: 'HAS_ROLE', from: grant.from, to: grant.to, id: grant.id };
      const { revoke } = (await api.as(notificationsOwner).data(REVIEW('revoke'), { grant: key, reason: 'done' })) as { revoke: any };
      expect(revoke.grant).toEqual({ status: 'REVOKED', live: false });
      expect(await reached('wl:checkout-worker', revoke.sequence)).not.toContain('scope:notifications:messages:read');
    }
  });

  it('answers UNAVAILABLE for a sequence this instance has not applied', async () => {
    const [error] = await api.errors(REACH, { id: 'wl:notifications-api', atLeast: 10_000_000 });
    expect(error).toMatchObject({ extensions: { code: 'UNAVAILABLE' }, message: expect.stringMatching(/^query needs sequence 10000000; this instance is at \d+: retry$/) });
  });
});

describe('drift', () => {
  it('reports the demo estate\'s planted violations: the vendor on CRITICAL, dev on prod, the ownerless account', async () => {
    const { guardrailViolations } = (await api.data(`{ guardrailViolations { checked violations { type from to policyIds } } }`)) as { guardrailViolations: any };
    const found = guardrailViolations.violations.map((v: { from: string; to: string; policyIds: string[] }) => `${v.from} → ${v.to}: ${v.policyIds.join(',')}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'sa:clearpath-kyc-sync → grp:kyc-partners: vendor-never-critical',
        'wl:checkout-dev-api → role:payments-writer: dev-never-prod',
        'sa:reporting-export → role:payments-reader: owner-required',
      ]),
    );
    expect(guardrailViolations.checked).toBeGreaterThan(100);
  });
});

describe('the audit log of all of it', () => {
  it('is for auditors and central admins, filtered and paged oldest first', async () => {
    expect((await api.as(analyst).errors(`{ auditLog { events { sequence } } }`))[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const auditor: Caller = { subject: 'aud', issuer: 'test', roles: ['auditor'], services: [] };
    const { auditLog } = (await api.as(auditor).data(`{ auditLog(filter: { decision: "DENY" }, first: 2) { events { sequence action decision policyIds reason } endCursor hasNextPage } }`)) as { auditLog: any };
    expect(auditLog.events).toHaveLength(2);
    expect(auditLog.events.every((e: { decision: string }) => e.decision === 'DENY')).toBe(true);
    expect(auditLog.hasNextPage).toBe(true);
    const next = (await api.as(auditor).data(`query($after: Int) { auditLog(filter: { decision: "DENY" }, first: 100, after: $after) { events { sequence } } }`, { after: auditLog.endCursor })) as { auditLog: any };
    expect(next.auditLog.events[0].sequence).toBeGreaterThan(auditLog.events[1].sequence);
  });

  it('holds every decision, denials included, hash-chained and intact', async () => {
    const report = await verifyAudit(api.store);
    expect(report.ok).toBe(true);
    const events = await api.store.auditEvents(1, 10_000);
    expect(new Set(events.map((e) => e.decision))).toEqual(new Set(['ALLOW', 'DENY', 'NEEDS_APPROVAL']));
    expect(events.every((e) => /^test-\d+$/.test(e.requestId))).toBe(true);
  });
});
