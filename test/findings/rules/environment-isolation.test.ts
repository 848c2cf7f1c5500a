/** NHI8 Environment Isolation: a dev or test identity that reaches a scope on a prod service. */
import { describe, expect, it } from 'vitest';
import { cleanEstate, findingsOf, ids, localGrant } from '../fixture.js';

const run = (b: ReturnType<typeof cleanEstate>) => findingsOf(b, 'environment-isolation');

describe('environment-isolation (NHI8)', () => {
  it('reports nothing when dev identities reach only dev scopes', () => {
    expect(run(cleanEstate())).toEqual([]);
  });

  it('reports the prod scopes a dev workload reaches once per grant, with the path to the worst (the nearest of equals), and revokes that grant', () => {
    const found = run(cleanEstate().hasRole('wl:pay-dev-api', 'role:pay-writer', localGrant('svc:pay')));
    expect(ids(found)).toEqual(['environment-isolation:wl:pay-dev-api:grant:HAS_ROLE:role:pay-writer']);
    expect(found[0]).toMatchObject({
      owasp: 'NHI8',
      severity: 'CRITICAL',
      evidence: {
        path: { nodes: ['wl:pay-dev-api', 'role:pay-writer', 'scope:pay:tx:read'], steps: [{ type: 'HAS_ROLE', origin: 'LOCAL' }, { type: 'GRANTS' }] },
        props: {
          environment: 'dev',
          scope: 'scope:pay:tx:read',
          service: 'svc:pay',
          serviceEnvironment: 'prod',
          scopes: [
            { id: 'scope:pay:tx:read', service: 'svc:pay', sensitivity: 'CRITICAL' },
            { id: 'scope:pay:tx:write', service: 'svc:pay', sensitivity: 'CRITICAL' },
          ],
        },
      },
      remediation: { mutation: 'revoke', args: { grant: { type: 'HAS_ROLE', from: 'wl:pay-dev-api', to: 'role:pay-writer', id: '' } } },
    });
  });

  it('reports each grant that opens production on its own, so that each fix removes its finding', () => {
    const b = cleanEstate()
      .hasRole('wl:pay-dev-api', 'role:pay-writer', localGrant('svc:pay'))
      .canAssume('wl:pay-dev-api', 'sa:acme-sync', localGrant('svc:pay'));
    expect(run(b).map((f) => [f.id, f.severity])).toEqual([
      ['environment-isolation:wl:pay-dev-api:grant:HAS_ROLE:role:pay-writer', 'CRITICAL'],
      ['environment-isolation:wl:pay-dev-api:grant:CAN_ASSUME:sa:acme-sync', 'HIGH'],
    ]);
  });

  it('follows a test identity through an identity it can assume', () => {
    const b = cleanEstate()
      .identity('bot:test-runner', { kind: 'BOT', environment: 'test', status: 'ACTIVE' })
      .owns('team:pay', 'bot:test-runner')
      .canAssume('bot:test-runner', 'sa:acme-sync', localGrant('svc:pay'));
    expect(run(b).map((f) => [f.id, f.severity, f.evidence.path?.nodes])).toEqual([
      ['environment-isolation:bot:test-runner:grant:CAN_ASSUME:sa:acme-sync', 'HIGH', ['bot:test-runner', 'sa:acme-sync', 'role:pay-reports', 'scope:pay:reports:read']],
    ]);
  });

  it('does not report prod identities, unlabelled environments, or revoked routes', () => {
    const b = cleanEstate()
      .identity('sa:somewhere', { kind: 'SERVICE_ACCOUNT', status: 'ACTIVE' })
      .owns('team:pay', 'sa:somewhere')
      .hasRole('sa:somewhere', 'role:pay-writer', localGrant('svc:pay'))
      .hasRole('wl:pay-dev-api', 'role:pay-deployer', localGrant('svc:pay', { status: 'REVOKED' }));
    expect(run(b)).toEqual([]);
  });
});
