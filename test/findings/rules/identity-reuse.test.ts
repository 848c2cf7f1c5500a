/** NHI9 NHI Reuse: one identity that several services run as. */
import { describe, expect, it } from 'vitest';
import { cleanEstate, findingsOf } from '../fixture.js';

const run = (b: ReturnType<typeof cleanEstate>) => findingsOf(b, 'identity-reuse');

describe('identity-reuse (NHI9)', () => {
  it('reports nothing when each service runs as its own identity', () => {
    expect(run(cleanEstate())).toEqual([]);
  });

  it('reports an identity that two live services run as', () => {
    const b = cleanEstate().service('svc:reports', { environment: 'prod' }).owns('team:pay', 'svc:reports').runsAs('svc:reports', 'wl:pay-api');
    expect(run(b)).toMatchObject([
      {
        id: 'identity-reuse:wl:pay-api',
        owasp: 'NHI9',
        severity: 'HIGH',
        evidence: { props: { services: ['svc:pay', 'svc:reports'] } },
        remediation: { mutation: 'retireIdentity', args: { id: 'wl:pay-api' }, dryRunnable: true },
      },
    ]);
  });

  it('does not count a retired service, nor report a retired identity', () => {
    const b = cleanEstate()
      .service('svc:old', { environment: 'prod', status: 'RETIRED' })
      .runsAs('svc:old', 'wl:pay-api')
      .identity('wl:gone', { kind: 'WORKLOAD', status: 'RETIRED' })
      .runsAs('svc:pay', 'wl:gone')
      .runsAs('svc:pay-dev', 'wl:gone');
    expect(run(b)).toEqual([]);
  });
});
