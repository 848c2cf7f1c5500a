/** Stale identities: not seen for N days and still holding live grants. */
import { describe, expect, it } from 'vitest';
import { getValidThresholds } from '../../../src/findings/index.js';
import { day } from '../../support/estate.js';
import { cleanEstate, findingsOf, ids, localGrant } from '../fixture.js';

const run = (b: ReturnType<typeof cleanEstate>, thresholds = getValidThresholds()) => findingsOf(b, 'stale-identity', thresholds);

describe('stale-identity', () => {
  it('reports nothing when every identity was seen recently', () => {
    expect(run(cleanEstate())).toEqual([]);
  });

  it('reports an identity not seen for more than staleIdentityDays that still holds a live grant, and retires it', () => {
    const b = cleanEstate().identity('sa:pay-deployer', { kind: 'SERVICE_ACCOUNT', environment: 'prod', status: 'ACTIVE', lastSeenAt: day(-246) });
    expect(run(b)).toMatchObject([
      {
        id: 'stale-identity:sa:pay-deployer',
        owasp: null,
        severity: 'MEDIUM',
        evidence: { props: { idleDays: 246, scopes: 1 }, path: { nodes: ['sa:pay-deployer', 'role:pay-deployer', 'scope:pay:deploy:admin'] } },
        remediation: { mutation: 'retireIdentity', args: { id: 'sa:pay-deployer' }, dryRunnable: true },
      },
    ]);
    expect(run(b, getValidThresholds({ staleIdentityDays: 365 }))).toEqual([]);
  });

  it('does not report a stale identity whose grants have all ended, or one that records no sighting', () => {
    const b = cleanEstate()
      .identity('sa:idle', { kind: 'SERVICE_ACCOUNT', environment: 'prod', status: 'ACTIVE', lastSeenAt: day(-300) })
      .owns('team:pay', 'sa:idle')
      .hasRole('sa:idle', 'role:pay-writer', localGrant('svc:pay', { expiresAt: day(-200) }))
      .identity('sa:unknown', { kind: 'SERVICE_ACCOUNT', environment: 'prod', status: 'ACTIVE' })
      .owns('team:pay', 'sa:unknown')
      .hasRole('sa:unknown', 'role:pay-writer', localGrant('svc:pay'));
    expect(ids(run(b))).toEqual([]);
  });
});
