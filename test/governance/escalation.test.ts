/**
 * Escalations a service owner might try, each refused and audited: taking over another service's (or a
 * central) definition by naming its id, a local role that reaches another service, lowering a scope's
 * sensitivity, undoing a central block, approving one's own request, rewriting a revocation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import { demoApi, type TestApi } from '../graphql/api.js';

const checkoutOwner: Caller = { subject: 'cole', issuer: 'test', roles: ['service-owner'], services: ['svc:checkout'] };
const securityTeam: Caller = { subject: 'sam', issuer: 'test', roles: ['central-admin'], services: [] };
const otherAdmin: Caller = { subject: 'sasha', issuer: 'test', roles: ['central-admin'], services: [] };
const ROLE = `mutation($input: RoleInput!) { defineRole(input: $input) { sequence } }`;
const SCOPE = `mutation($input: ScopeInput!) { defineScope(input: $input) { sequence } }`;
const GRANT = `mutation($input: GrantInput!) { grant(input: $input) { from to id grant { status } } }`;

let api: TestApi;
beforeAll(async () => {
  api = await demoApi({ governance: true });
});

async function refusedAndAudited(caller: Caller, query: string, variables: Record<string, unknown>, code = 'POLICY_DENIED') {
  const sequence = await api.store.lastSequence();
  const [error] = await api.as(caller).errors(query, variables);
  expect(error).toMatchObject({ extensions: { code } });
  const events = await api.store.auditEvents(sequence, 10);
  if (code === 'POLICY_DENIED') expect(events.map((e) => e.decision)).toEqual(['DENY']);
  return error!;
}

describe('a service owner cannot', () => {
  it('take over another service\u2019s role, or a central one, by defining it under its own service', async () => {
    await refusedAndAudited(checkoutOwner, ROLE, { input: { id: 'role:payments-writer', name: 'mine now', origin: 'LOCAL', service: 'svc:checkout' } });
    await refusedAndAudited(checkoutOwner, ROLE, { input: { id: 'role:sre', name: 'mine now', origin: 'LOCAL', service: 'svc:checkout' } });
    const [stored] = await api.store.getNodes(['role:payments-writer']);
    expect(stored?.props['service']).toBe('svc:payments');
  });

  it('define a local role that grants another service\u2019s scope or inherits another service\u2019s role', async () => {
    await refusedAndAudited(checkoutOwner, ROLE, { input: { id: 'role:checkout-y', name: 'y', origin: 'LOCAL', service: 'svc:checkout', grants: ['scope:payments-dev:deploy:admin'] } });
    await refusedAndAudited(checkoutOwner, ROLE, { input: { id: 'role:checkout-z', name: 'z', origin: 'LOCAL', service: 'svc:checkout', inherits: ['role:payments-writer'] } });
  });

  it('lower the sensitivity of a scope, even of its own service', async () => {
    const error = await refusedAndAudited(checkoutOwner, SCOPE, {
      input: { id: 'scope:payments:transactions:write', name: 'x', origin: 'LOCAL', service: 'svc:checkout', level: 'WRITE', sensitivity: 'LOW' },
    });
    expect(error.message).toMatch(/sensitivity|local-definition-own-service/);
    const [scope] = await api.store.getNodes(['scope:payments:transactions:write']);
    expect(scope?.props['sensitivity']).toBe('CRITICAL');
  });

  it('undo a central block: no new grant or credential for a quarantined identity', async () => {
    await api.as(securityTeam).data(`mutation { quarantine(id: "wl:checkout-worker", reason: "incident") { sequence } }`);
    const error = await refusedAndAudited(checkoutOwner, GRANT, { input: { from: 'wl:checkout-worker', to: 'role:checkout-reader', ttl: '1d', justification: 'x' } });
    expect(error.message).toMatch(/not ACTIVE/);
    await refusedAndAudited(checkoutOwner, `mutation { issueCredential(input: { identity: "wl:checkout-worker", kind: API_KEY, fingerprint: "sha256:${'ab'.repeat(32)}", expiresIn: "30d" }) { sequence } }`, {});
  });
});

describe('the central team', () => {
  it('cannot approve its own request: four eyes', async () => {
    const { requestAccess } = (await api.as(securityTeam).data(`mutation { requestAccess(input: { from: "wl:ledger-worker", to: "role:ledger-reader", ttl: "1d", justification: "x" }) { from to id } }`)) as { requestAccess: any };
    const key = { type: 'HAS_ROLE', from: requestAccess.from, to: requestAccess.to, id: requestAccess.id };
    const APPROVE = `mutation($k: GrantKeyInput!) { approve(grant: $k, reason: "ok") { grant { status } } }`;
    await refusedAndAudited(securityTeam, APPROVE, { k: key });
    expect((await api.as(otherAdmin).data(APPROVE, { k: key })) as unknown).toEqual({ approve: { grant: { status: 'ACTIVE' } } });
  });

  it('cannot rewrite a revocation: revoking twice is a CONFLICT', async () => {
    const { grant } = (await api.as(securityTeam).data(GRANT, { input: { from: 'wl:ledger-worker', to: 'role:ledger-reader', ttl: '1d', justification: 'x' } })) as { grant: any };
    const REVOKE = `mutation($k: GrantKeyInput!) { revoke(grant: $k, reason: "done") { grant { status } } }`;
    const key = { type: 'HAS_ROLE', from: grant.from, to: grant.to, id: grant.id };
    await api.as(securityTeam).data(REVOKE, { k: key });
    const [again] = await api.as(otherAdmin).errors(REVOKE, { k: key });
    expect(again).toMatchObject({ extensions: { code: 'CONFLICT' } });
  });
});
