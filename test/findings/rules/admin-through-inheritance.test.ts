/** NHI5 Overprivileged NHI: ADMIN that a non-human identity holds only through inheritance. */
import { describe, expect, it } from 'vitest';
import { cleanEstate, findingsOf, ids, localGrant } from '../fixture.js';

const run = (b: ReturnType<typeof cleanEstate>) => findingsOf(b, 'admin-through-inheritance');

describe('admin-through-inheritance (NHI5)', () => {
  it('does not report ADMIN granted directly (identity —HAS_ROLE→ role —GRANTS→ scope)', () => {
    expect(run(cleanEstate())).toEqual([]);
  });

  it('reports ADMIN at the end of an INHERITS chain from a read-only role, with the path and its grant revoked', () => {
    const b = cleanEstate()
      .role('role:pay-readonly', { origin: 'LOCAL', service: 'svc:pay' })
      .role('role:pay-lead', { origin: 'LOCAL', service: 'svc:pay' })
      .inherits('role:pay-readonly', 'role:pay-lead', { origin: 'LOCAL' })
      .inherits('role:pay-lead', 'role:pay-deployer', { origin: 'CENTRAL' })
      .hasRole('wl:pay-api', 'role:pay-readonly', localGrant('svc:pay'));
    expect(run(b)).toMatchObject([
      {
        id: 'admin-through-inheritance:wl:pay-api:grant:HAS_ROLE:role:pay-readonly',
        owasp: 'NHI5',
        severity: 'HIGH',
        evidence: {
          path: { nodes: ['wl:pay-api', 'role:pay-readonly', 'role:pay-lead', 'role:pay-deployer', 'scope:pay:deploy:admin'] },
          props: { scope: 'scope:pay:deploy:admin', level: 'ADMIN', sensitivity: 'CRITICAL', distance: 4, via: ['HAS_ROLE', 'INHERITS', 'INHERITS'] },
        },
        remediation: { mutation: 'revoke', args: { grant: { type: 'HAS_ROLE', from: 'wl:pay-api', to: 'role:pay-readonly', id: '' } } },
      },
    ]);
  });

  it('reports ADMIN reached by assuming another identity (delegation is inherited privilege too)', () => {
    const b = cleanEstate()
      .identity('agent:copilot', { kind: 'AI_AGENT', environment: 'prod', status: 'ACTIVE' })
      .owns('team:pay', 'agent:copilot')
      .canAssume('agent:copilot', 'sa:pay-deployer', localGrant('svc:pay'));
    expect(ids(run(b))).toEqual(['admin-through-inheritance:agent:copilot:grant:CAN_ASSUME:sa:pay-deployer']);
    expect(run(b)[0]?.remediation.args).toMatchObject({ grant: { type: 'CAN_ASSUME', from: 'agent:copilot', to: 'sa:pay-deployer' } });
  });

  it('does not report an inherited ADMIN that the identity also holds directly, nor a person’s', () => {
    const b = cleanEstate()
      .role('role:pay-lead', { origin: 'LOCAL', service: 'svc:pay' })
      .inherits('role:pay-lead', 'role:pay-deployer', { origin: 'LOCAL' })
      .hasRole('sa:pay-deployer', 'role:pay-lead', localGrant('svc:pay'))
      .hasRole('human:ann', 'role:pay-lead', localGrant('svc:pay'));
    expect(run(b)).toEqual([]);
  });
});
