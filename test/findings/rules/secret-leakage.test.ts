/** NHI2 Secret Leakage: one live credential stored in several services, or across environments. */
import { describe, expect, it } from 'vitest';
import { day } from '../../support/estate.js';
import { cleanEstate, findingsOf, ids } from '../fixture.js';

const run = (b: ReturnType<typeof cleanEstate>) => findingsOf(b, 'secret-leakage');

describe('secret-leakage (NHI2)', () => {
  it('reports nothing when each credential is held by one service of its own environment', () => {
    expect(run(cleanEstate())).toEqual([]);
  });

  it('reports a credential held by two services of one environment', () => {
    const b = cleanEstate().service('svc:reports', { environment: 'prod' }).owns('team:pay', 'svc:reports').holds('svc:reports', 'cred:pay-api-cert');
    const found = run(b);
    expect(ids(found)).toEqual(['secret-leakage:cred:pay-api-cert:several-services']);
    expect(found[0]).toMatchObject({
      owasp: 'NHI2',
      severity: 'MEDIUM',
      evidence: { props: { heldBy: ['svc:pay', 'svc:reports'], authenticates: ['wl:pay-api'] } },
      remediation: { mutation: 'rotateCredential', args: { id: 'cred:pay-api-cert', expiresIn: '90d' } },
    });
  });

  it('reports a prod credential stored in a dev service as HIGH, both ways', () => {
    const found = run(cleanEstate().holds('svc:pay-dev', 'cred:pay-api-cert'));
    expect(ids(found)).toEqual(['secret-leakage:cred:pay-api-cert:across-environments', 'secret-leakage:cred:pay-api-cert:several-services']);
    expect(found[0]).toMatchObject({ severity: 'HIGH', evidence: { props: { environments: { dev: ['svc:pay-dev'], prod: ['wl:pay-api', 'svc:pay'] } } } });
  });

  it('reports a prod identity’s credential held only by a dev service', () => {
    const found = run(cleanEstate().holds('svc:pay-dev', 'cred:pay-deployer-oauth'));
    expect(ids(found)).toEqual(['secret-leakage:cred:pay-deployer-oauth:across-environments']);
  });

  it('ignores credentials that are no longer live, and services that are retired', () => {
    const b = cleanEstate()
      .credential('cred:pay-api-cert', { kind: 'CERTIFICATE', issuedAt: day(-30), expiresAt: day(-1) })
      .holds('svc:pay-dev', 'cred:pay-api-cert')
      .service('svc:old', { environment: 'prod', status: 'RETIRED' })
      .holds('svc:old', 'cred:pay-deployer-oauth')
      .holds('svc:pay', 'cred:pay-deployer-oauth');
    expect(run(b)).toEqual([]);
  });
});
