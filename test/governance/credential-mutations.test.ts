/** Credentials through the API: a record with a fingerprint (never a secret), rotated and revoked, inside the guardrails. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import { blastRadius } from '../../src/paths/index.js';
import { resolveQueryOptions } from '../../src/model/query-options.js';
import { demoApi, NOW, type TestApi } from '../graphql/api.js';

const notificationsOwner: Caller = { subject: 'nina', issuer: 'test', roles: ['service-owner'], services: ['svc:notifications'] };
const paymentsOwner: Caller = { subject: 'pat', issuer: 'test', roles: ['service-owner'], services: ['svc:payments'] };
const ISSUE = `mutation($input: CredentialInput!) { issueCredential(input: $input) { sequence credential { id kind fingerprint issuedAt expiresAt } decision { outcome } } }`;
const FINGERPRINT = `sha256:${'ab'.repeat(32)}`;

let api: TestApi;
beforeAll(async () => {
  api = await demoApi({ governance: true });
});

describe('issueCredential', () => {
  it('records a credential of an identity of one\u2019s own service, expiring, that authenticates it at once', async () => {
    const input = { identity: 'wl:notifications-api', kind: 'API_KEY', fingerprint: FINGERPRINT, expiresIn: '90d' };
    const { issueCredential } = (await api.as(notificationsOwner).data(ISSUE, { input })) as { issueCredential: any };
    expect(issueCredential.credential).toMatchObject({ kind: 'API_KEY', fingerprint: FINGERPRINT, issuedAt: '2026-11-23T12:00:00.000Z', expiresAt: '2027-02-21T12:00:00.000Z' });
    const reached = blastRadius(api.projection, issueCredential.credential.id, resolveQueryOptions({ at: NOW })).entries.map((e) => e.target.id);
    expect(reached).toContain('wl:notifications-api');
  });

  it.each([
    ['a credential that never expires', notificationsOwner, { expiresIn: undefined }, 'POLICY_DENIED'],
    ['one that expires in more than a year', notificationsOwner, { expiresIn: '400d' }, 'POLICY_DENIED'],
    ['one for an identity of another service', paymentsOwner, {}, 'POLICY_DENIED'],
    ['a secret pasted as the fingerprint', notificationsOwner, { fingerprint: 'hunter2hunter2' }, 'BAD_USER_INPUT'],
  ])('refuses %s', async (_case, caller, fields, code) => {
    const input = { identity: 'wl:notifications-api', kind: 'API_KEY', fingerprint: FINGERPRINT, expiresIn: '90d', ...fields };
    const [error] = await api.as(caller).errors(ISSUE, { input });
    expect(error).toMatchObject({ extensions: { code } });
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });
});

describe('rotateCredential and revokeCredential', () => {
  it('rotates to a new fingerprint and expiry under the same id, then revokes it: nothing falls with it any more', async () => {
    const input = { identity: 'wl:notifications-api', kind: 'SECRET', fingerprint: FINGERPRINT, expiresIn: '30d' };
    const { issueCredential } = (await api.as(notificationsOwner).data(ISSUE, { input })) as { issueCredential: any };
    const id = issueCredential.credential.id as string;
    const next = `sha256:${'cd'.repeat(32)}`;
    const { rotateCredential } = (await api.as(notificationsOwner).data(
      `mutation($id: ID!, $fp: String!) { rotateCredential(id: $id, fingerprint: $fp, expiresIn: "60d") { credential { id fingerprint rotatedAt expiresAt } } }`,
      { id, fp: next },
    )) as { rotateCredential: any };
    expect(rotateCredential.credential).toEqual({ id, fingerprint: next, rotatedAt: '2026-11-23T12:00:00.000Z', expiresAt: '2027-01-22T12:00:00.000Z' });
    await api.as(notificationsOwner).data(`mutation($id: ID!) { revokeCredential(id: $id, reason: "leaked in a log") { credential { revokedAt } } }`, { id });
    expect(blastRadius(api.projection, id, resolveQueryOptions({ at: NOW })).entries).toEqual([]);
    const [again] = await api.as(notificationsOwner).errors(`mutation($id: ID!) { revokeCredential(id: $id, reason: "twice") { sequence } }`, { id });
    expect(again).toMatchObject({ extensions: { code: 'CONFLICT' } });
  });
});
