/** NHI5 Overprivileged NHI: grants and credentials not used for N days. */
import { describe, expect, it } from 'vitest';
import { getValidThresholds } from '../../../src/findings/index.js';
import { day } from '../../support/estate.js';
import { cleanEstate, findingsOf, freshCredential, ids, localGrant } from '../fixture.js';

const run = (b: ReturnType<typeof cleanEstate>, thresholds = getValidThresholds()) => findingsOf(b, 'unused-access', thresholds);

describe('unused-access (NHI5)', () => {
  it('reports nothing when every recorded use is recent', () => {
    expect(run(cleanEstate())).toEqual([]);
  });

  it('reports a grant last used more than unusedGrantDays ago, and revokes it', () => {
    const b = cleanEstate().hasRole('sa:pay-deployer', 'role:pay-writer', localGrant('svc:pay', { lastUsedAt: day(-120) }));
    expect(run(b)).toMatchObject([
      {
        id: 'unused-access:sa:pay-deployer:grant:HAS_ROLE:role:pay-writer',
        owasp: 'NHI5',
        evidence: { props: { idleDays: 120, lastUsedAt: day(-120) } },
        remediation: { mutation: 'revoke', args: { grant: { type: 'HAS_ROLE', from: 'sa:pay-deployer', to: 'role:pay-writer', id: '' } } },
      },
    ]);
    expect(run(b, getValidThresholds({ unusedGrantDays: 180 }))).toEqual([]);
  });

  it('reports a credential last used more than staleCredentialDays ago', () => {
    const b = cleanEstate().credential('cred:pay-deployer-oauth', freshCredential('OAUTH_CLIENT', { lastUsedAt: day(-246) }));
    expect(ids(run(b))).toEqual(['unused-access:cred:pay-deployer-oauth']);
    expect(run(b, getValidThresholds({ staleCredentialDays: 300 }))).toEqual([]);
  });

  it('does not report what records no use, expired grants, or a person’s grants', () => {
    const b = cleanEstate()
      .hasRole('sa:pay-deployer', 'role:pay-writer', localGrant('svc:pay'))
      .hasRole('sa:acme-sync', 'role:pay-writer', localGrant('svc:pay', { lastUsedAt: day(-200), expiresAt: day(-100) }))
      .hasRole('human:ann', 'role:pay-deployer', localGrant('svc:pay', { lastUsedAt: day(-200) }));
    expect(run(b)).toEqual([]);
  });
});
