/** NHI4 Insecure Authentication: prod non-human identities on passwords or static keys that never expire. */
import { describe, expect, it } from 'vitest';
import { day } from '../../support/estate.js';
import { cleanEstate, findingsOf, freshCredential, ids } from '../fixture.js';

const run = (b: ReturnType<typeof cleanEstate>) => findingsOf(b, 'insecure-authentication');
const add = (b: ReturnType<typeof cleanEstate>, id: string, identity: string, props: Record<string, unknown>) =>
  b.credential(id, props).owns('team:pay', id).authenticates(id, identity);

describe('insecure-authentication (NHI4)', () => {
  it('reports nothing for certificates and OAuth clients', () => {
    expect(run(cleanEstate())).toEqual([]);
  });

  it('reports a prod password as HIGH and revokes it', () => {
    const found = run(add(cleanEstate(), 'cred:db-password', 'sa:pay-deployer', freshCredential('PASSWORD')));
    expect(found).toMatchObject([
      {
        id: 'insecure-authentication:cred:db-password',
        owasp: 'NHI4',
        severity: 'HIGH',
        subject: { id: 'cred:db-password', label: 'Credential' },
        evidence: { path: { nodes: ['cred:db-password', 'sa:pay-deployer'] }, props: { kind: 'PASSWORD', authenticates: ['sa:pay-deployer'] } },
        remediation: { mutation: 'revokeCredential', args: { id: 'cred:db-password' } },
      },
    ]);
  });

  it('reports prod API keys and secrets without expiry as MEDIUM and rotates them with one', () => {
    const b = add(cleanEstate(), 'cred:ci-key', 'sa:pay-deployer', { kind: 'API_KEY', issuedAt: day(-10) });
    add(b, 'cred:hook-secret', 'wl:pay-api', { kind: 'SECRET', issuedAt: day(-10) });
    const found = run(b);
    expect(ids(found)).toEqual(['insecure-authentication:cred:ci-key', 'insecure-authentication:cred:hook-secret']);
    expect(found.map((f) => [f.severity, f.remediation.mutation])).toEqual([['MEDIUM', 'rotateCredential'], ['MEDIUM', 'rotateCredential']]);
  });

  it('does not report a key that expires, a dev password, a revoked password, or a person’s password', () => {
    const b = add(cleanEstate(), 'cred:ci-key', 'sa:pay-deployer', freshCredential('API_KEY'));
    add(b, 'cred:dev-password', 'sa:pay-dev-deployer', freshCredential('PASSWORD'));
    add(b, 'cred:old-password', 'sa:pay-deployer', freshCredential('PASSWORD', { revokedAt: day(-1) }));
    add(b, 'cred:ann-password', 'human:ann', freshCredential('PASSWORD'));
    b.identity('human:ann', { kind: 'HUMAN', environment: 'prod', status: 'ACTIVE' });
    expect(run(b)).toEqual([]);
  });
});
