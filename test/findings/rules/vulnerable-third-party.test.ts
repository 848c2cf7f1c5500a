/** NHI3 Vulnerable Third-Party NHI: a vendor identity whose blast radius reaches HIGH or CRITICAL scopes. */
import { describe, expect, it } from 'vitest';
import { getValidThresholds } from '../../../src/findings/index.js';
import { cleanEstate, findingsOf, ids, localGrant } from '../fixture.js';

const run = (b: ReturnType<typeof cleanEstate>, thresholds = getValidThresholds()) => findingsOf(b, 'vulnerable-third-party', thresholds);

describe('vulnerable-third-party (NHI3)', () => {
  it('reports nothing for a vendor identity that reaches only LOW scopes', () => {
    expect(run(cleanEstate())).toEqual([]);
  });

  it('reports a vendor identity that reaches a CRITICAL scope through a group and an inherited role, with the worst path and its first grant revoked', () => {
    const b = cleanEstate()
      .group('grp:partners')
      .memberOf('sa:acme-sync', 'grp:partners', localGrant('svc:pay'))
      .role('role:partner', { origin: 'LOCAL', service: 'svc:pay' })
      .hasRole('grp:partners', 'role:partner', localGrant('svc:pay'))
      .inherits('role:partner', 'role:pay-writer', { origin: 'LOCAL' });
    const [finding, ...rest] = run(b);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      id: 'vulnerable-third-party:sa:acme-sync',
      owasp: 'NHI3',
      severity: 'CRITICAL',
      evidence: {
        path: { nodes: ['sa:acme-sync', 'grp:partners', 'role:partner', 'role:pay-writer', 'scope:pay:tx:write'] },
        props: { vendors: ['vendor:acme'], scopes: [{ id: 'scope:pay:tx:write', sensitivity: 'CRITICAL', impact: 20 }, { id: 'scope:pay:tx:read', sensitivity: 'CRITICAL', impact: 10 }] },
      },
      remediation: { mutation: 'revoke', args: { grant: { type: 'MEMBER_OF', from: 'sa:acme-sync', to: 'grp:partners', id: '' } } },
    });
  });

  it('grades by the most sensitive scope reached, and follows the threshold', () => {
    const b = cleanEstate()
      .scope('scope:pay:refunds:read', { level: 'READ', sensitivity: 'HIGH' })
      .on('scope:pay:refunds:read', 'svc:pay')
      .grants('role:pay-reports', 'scope:pay:refunds:read', { origin: 'LOCAL' });
    expect(run(b).map((f) => [f.id, f.severity])).toEqual([['vulnerable-third-party:sa:acme-sync', 'HIGH']]);
    expect(run(b, getValidThresholds({ thirdPartyMinSensitivity: 'CRITICAL' }))).toEqual([]);
  });

  it('does not report identities no vendor operates, however much they reach', () => {
    expect(ids(run(cleanEstate().hasRole('sa:pay-deployer', 'role:pay-writer', localGrant('svc:pay'))))).toEqual([]);
  });
});
