/** NHI10 Human Use of NHI: a person who can assume a non-human identity or holds its credential. */
import { describe, expect, it } from 'vitest';
import { cleanEstate, findingsOf, freshCredential, ids, localGrant } from '../fixture.js';

const run = (b: ReturnType<typeof cleanEstate>) => findingsOf(b, 'human-use-of-nhi');

describe('human-use-of-nhi (NHI10)', () => {
  it('reports nothing when people act as themselves', () => {
    expect(run(cleanEstate())).toEqual([]);
  });

  it('reports a person who can assume a service account, and revokes the grant', () => {
    const found = run(cleanEstate().canAssume('human:ann', 'sa:pay-deployer', localGrant('svc:pay')));
    expect(found).toMatchObject([
      {
        id: 'human-use-of-nhi:human:ann:grant:CAN_ASSUME:sa:pay-deployer',
        owasp: 'NHI10',
        subject: { id: 'human:ann', label: 'Identity' },
        owner: { id: 'team:pay', via: 'OWNS' },
        remediation: { mutation: 'revoke', args: { grant: { type: 'CAN_ASSUME', from: 'human:ann', to: 'sa:pay-deployer', id: '' } } },
      },
    ]);
  });

  it('reports a credential shared by a person and a service account', () => {
    const b = cleanEstate().authenticates('cred:pay-deployer-oauth', 'human:ann');
    expect(ids(run(b))).toEqual(['human-use-of-nhi:cred:pay-deployer-oauth']);
  });

  it('does not report a non-human assuming another, a revoked delegation, or a shared credential that is revoked', () => {
    const b = cleanEstate()
      .canAssume('sa:acme-sync', 'sa:pay-deployer', localGrant('svc:pay'))
      .canAssume('human:ann', 'sa:pay-dev-deployer', localGrant('svc:pay-dev', { status: 'REVOKED' }))
      .credential('cred:shared', freshCredential('SECRET', { revokedAt: '2025-12-01T00:00:00.000Z' }))
      .authenticates('cred:shared', 'human:ann')
      .authenticates('cred:shared', 'wl:pay-api');
    expect(run(b)).toEqual([]);
  });
});
