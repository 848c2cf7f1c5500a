/** NHI7 Long-Lived Secrets: live credentials that never expire, or are older than the rotation period. */
import { describe, expect, it } from 'vitest';
import { getValidThresholds } from '../../../src/findings/index.js';
import { day } from '../../support/estate.js';
import { cleanEstate, findingsOf, freshCredential, ids } from '../fixture.js';

const run = (b: ReturnType<typeof cleanEstate>, thresholds = getValidThresholds()) => findingsOf(b, 'long-lived-secret', thresholds);

describe('long-lived-secret (NHI7)', () => {
  it('reports nothing when every credential expires within the rotation period', () => {
    expect(run(cleanEstate())).toEqual([]);
  });

  it('reports a credential without expiry', () => {
    const found = run(cleanEstate().credential('cred:pay-deployer-oauth', { kind: 'OAUTH_CLIENT', issuedAt: day(-10) }));
    expect(found).toMatchObject([
      { id: 'long-lived-secret:cred:pay-deployer-oauth:no-expiry', owasp: 'NHI7', owner: { id: 'team:pay' }, remediation: { mutation: 'rotateCredential', args: { id: 'cred:pay-deployer-oauth', expiresIn: '90d' } } },
    ]);
  });

  it('reports a credential issued, or last rotated, before the rotation period, and both ways when it never expires either', () => {
    const b = cleanEstate()
      .credential('cred:pay-api-cert', freshCredential('CERTIFICATE', { issuedAt: day(-400) }))
      .credential('cred:pay-deployer-oauth', { kind: 'OAUTH_CLIENT', issuedAt: day(-900), rotatedAt: day(-366) });
    const found = run(b);
    expect(ids(found)).toEqual([
      'long-lived-secret:cred:pay-api-cert:past-rotation',
      'long-lived-secret:cred:pay-deployer-oauth:no-expiry',
      'long-lived-secret:cred:pay-deployer-oauth:past-rotation',
    ]);
    expect(found[0]?.evidence.props).toMatchObject({ ageDays: 400, rotationPeriodDays: 365 });
  });

  it('counts from the last rotation and follows the threshold', () => {
    const b = cleanEstate().credential('cred:pay-api-cert', freshCredential('CERTIFICATE', { issuedAt: day(-900), rotatedAt: day(-200) }));
    expect(run(b)).toEqual([]);
    expect(ids(run(b, getValidThresholds({ rotationPeriodDays: 180 })))).toEqual(['long-lived-secret:cred:pay-api-cert:past-rotation']);
  });

  it('ignores revoked and expired credentials', () => {
    const b = cleanEstate()
      .credential('cred:pay-api-cert', { kind: 'CERTIFICATE', issuedAt: day(-900), revokedAt: day(-1) })
      .credential('cred:pay-deployer-oauth', { kind: 'OAUTH_CLIENT', issuedAt: day(-900), expiresAt: day(-1) });
    expect(run(b)).toEqual([]);
  });
});
