/** NHI5 Overprivileged NHI: the same scope through several routes that start with different grants. */
import { describe, expect, it } from 'vitest';
import { cleanEstate, findingsOf, ids, localGrant } from '../fixture.js';

const run = (b: ReturnType<typeof cleanEstate>) => findingsOf(b, 'overlapping-entitlements');

describe('overlapping-entitlements (NHI5)', () => {
  it('reports nothing when each scope comes by one route', () => {
    expect(run(cleanEstate())).toEqual([]);
  });

  it('reports a scope held through two grants and revokes the one that brings nothing else', () => {
    const b = cleanEstate()
      .role('role:pay-auditor', { origin: 'LOCAL', service: 'svc:pay' })
      .grants('role:pay-auditor', 'scope:pay:tx:read', { origin: 'LOCAL' })
      .hasRole('wl:pay-api', 'role:pay-auditor', localGrant('svc:pay'));
    const found = run(b);
    expect(ids(found)).toEqual(['overlapping-entitlements:wl:pay-api:scope:pay:tx:read']);
    expect(found[0]).toMatchObject({
      severity: 'LOW',
      evidence: {
        path: { nodes: ['wl:pay-api', 'role:pay-auditor', 'scope:pay:tx:read'] },
        props: { routes: 2, grants: [{ to: 'role:pay-auditor' }, { to: 'role:pay-writer' }] },
      },
      remediation: { mutation: 'revoke', args: { grant: { type: 'HAS_ROLE', from: 'wl:pay-api', to: 'role:pay-auditor', id: '' } } },
    });
  });

  it('does not report routes that share the identity’s grant and part inside role definitions', () => {
    const b = cleanEstate()
      .role('role:pay-base', { origin: 'LOCAL', service: 'svc:pay' })
      .role('role:pay-extra', { origin: 'LOCAL', service: 'svc:pay' })
      .inherits('role:pay-writer', 'role:pay-base', { origin: 'LOCAL' })
      .inherits('role:pay-writer', 'role:pay-extra', { origin: 'LOCAL' })
      .grants('role:pay-base', 'scope:pay:reports:read', { origin: 'LOCAL' })
      .grants('role:pay-extra', 'scope:pay:reports:read', { origin: 'LOCAL' });
    expect(run(b)).toEqual([]);
  });

  it('does not report a longer second route (routes counts shortest ones)', () => {
    const b = cleanEstate()
      .role('role:pay-wrapper', { origin: 'LOCAL', service: 'svc:pay' })
      .inherits('role:pay-wrapper', 'role:pay-writer', { origin: 'LOCAL' })
      .hasRole('wl:pay-api', 'role:pay-wrapper', localGrant('svc:pay'));
    expect(run(b)).toEqual([]);
  });
});
