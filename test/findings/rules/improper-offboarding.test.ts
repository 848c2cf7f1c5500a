/** NHI1 Improper Offboarding: what outlived the service, vendor or owner it served; identities nobody owns. */
import { describe, expect, it } from 'vitest';
import { day } from '../../support/estate.js';
import { cleanEstate, findingsOf, freshCredential, ids, localGrant } from '../fixture.js';

const run = (b: ReturnType<typeof cleanEstate>) => findingsOf(b, 'improper-offboarding');

describe('improper-offboarding (NHI1)', () => {
  it('reports nothing on a well-governed estate', () => {
    expect(run(cleanEstate())).toEqual([]);
  });

  it('reports a live identity that a retired service runs as, the live credential it holds, and the grants in its domain', () => {
    const b = cleanEstate().service('svc:pay-dev', { environment: 'dev', criticality: 'LOW', status: 'RETIRED' });
    const found = run(b);
    expect(ids(found)).toEqual([
      'improper-offboarding:cred:pay-dev-api-cert:held-by:svc:pay-dev',
      'improper-offboarding:sa:pay-dev-deployer:grant:HAS_ROLE:role:pay-dev-deployer',
      'improper-offboarding:wl:pay-dev-api:grant:HAS_ROLE:role:pay-dev-writer',
      'improper-offboarding:wl:pay-dev-api:runs-as:svc:pay-dev',
    ]);
    expect(found.find((f) => f.id === 'improper-offboarding:wl:pay-dev-api:runs-as:svc:pay-dev')?.remediation).toEqual({
      mutation: 'retireIdentity',
      args: { id: 'wl:pay-dev-api', reason: 'svc:pay-dev is retired' },
      dryRunnable: true,
    });
    expect(found.find((f) => f.subject.id === 'cred:pay-dev-api-cert')?.remediation.mutation).toBe('revokeCredential');
  });

  it('reports a live grant of a local role of a retired service, with the grant as evidence and its revocation as the fix', () => {
    const b = cleanEstate()
      .service('svc:old', { environment: 'prod', status: 'RETIRED' })
      .owns('team:pay', 'svc:old')
      .role('role:old-operator', { origin: 'LOCAL', service: 'svc:old' })
      .inherits('role:old-operator', 'role:pay-writer', { origin: 'LOCAL' })
      .hasRole('sa:pay-deployer', 'role:old-operator', localGrant('svc:old'));
    const [finding, ...rest] = run(b);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      id: 'improper-offboarding:sa:pay-deployer:grant:HAS_ROLE:role:old-operator',
      owasp: 'NHI1',
      severity: 'HIGH',
      subject: { id: 'sa:pay-deployer', label: 'Identity' },
      evidence: { path: { nodes: ['sa:pay-deployer', 'role:old-operator'] }, props: { service: 'svc:old', domain: 'svc:old', status: 'ACTIVE' } },
      owner: { id: 'team:pay', via: 'OWNS' },
      remediation: { mutation: 'revoke', args: { grant: { type: 'HAS_ROLE', from: 'sa:pay-deployer', to: 'role:old-operator', id: '' }, reason: 'svc:old is retired' }, dryRunnable: false },
    });
  });

  it('does not report a revoked grant of a retired service', () => {
    const b = cleanEstate()
      .service('svc:old', { environment: 'prod', status: 'RETIRED' })
      .owns('team:pay', 'svc:old')
      .role('role:old-operator', { origin: 'LOCAL', service: 'svc:old' })
      .hasRole('sa:pay-deployer', 'role:old-operator', localGrant('svc:old', { status: 'REVOKED', revokedAt: day(-3) }));
    expect(run(b)).toEqual([]);
  });

  it('reports the live identities of an offboarded vendor, not those of an active one', () => {
    expect(ids(run(cleanEstate().vendor('vendor:acme', { status: 'OFFBOARDED' })))).toEqual(['improper-offboarding:sa:acme-sync:operated-by:vendor:acme']);
  });

  it('reports a subject whose only owner departed, and names the team that stands in', () => {
    const b = cleanEstate()
      .owner('person:bob', { kind: 'PERSON', status: 'DEPARTED' })
      .identity('sa:bob-script', { kind: 'SERVICE_ACCOUNT', environment: 'prod', status: 'ACTIVE', lastSeenAt: day(-1) })
      .owns('person:bob', 'sa:bob-script')
      .runsAs('svc:pay', 'sa:bob-script');
    const found = run(b);
    expect(ids(found)).toEqual(['improper-offboarding:sa:bob-script:inactive-owner']);
    expect(found[0]?.owner).toMatchObject({ id: 'team:pay', via: 'team' });
    expect(found[0]?.remediation).toEqual({ mutation: 'reassignOwner', args: { from: 'person:bob', to: 'team:pay', reason: 'person:bob is DEPARTED' }, dryRunnable: true });
  });

  it('does not report a departed person when an active team owns the same subject', () => {
    const b = cleanEstate().owner('person:bob', { kind: 'PERSON', status: 'DEPARTED' }).owns('person:bob', 'sa:pay-deployer');
    expect(run(b)).toEqual([]);
  });

  it('reports a live non-human identity that nobody owns, with a path to what it reaches, and quarantines it', () => {
    const b = cleanEstate()
      .identity('sa:orphan', { kind: 'SERVICE_ACCOUNT', environment: 'prod', status: 'ACTIVE', lastSeenAt: day(-1) })
      .hasRole('sa:orphan', 'role:pay-writer', localGrant('svc:pay'));
    const [finding, ...rest] = run(b);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      id: 'improper-offboarding:sa:orphan:no-owner',
      severity: 'HIGH',
      owner: { id: '', via: 'none' },
      evidence: { path: { nodes: ['sa:orphan', 'role:pay-writer', 'scope:pay:tx:read'] } },
      remediation: { mutation: 'quarantine', args: { id: 'sa:orphan', reason: 'no accountable owner' }, dryRunnable: true },
    });
  });

  it('does not report an unowned person, a disabled orphan, or an identity owned through the service that runs as it', () => {
    const b = cleanEstate()
      .identity('human:zed', { kind: 'HUMAN', environment: 'corp', status: 'ACTIVE' })
      .identity('sa:gone', { kind: 'SERVICE_ACCOUNT', status: 'DISABLED' })
      .identity('wl:pay-sidecar', { kind: 'WORKLOAD', environment: 'prod', status: 'ACTIVE' })
      .runsAs('svc:pay', 'wl:pay-sidecar');
    expect(run(b)).toEqual([]);
  });

  it('reports a credential past its expiry, never revoked, that a service still holds; not one revoked or held nowhere', () => {
    const b = cleanEstate()
      .credential('cred:old-token', freshCredential('ACCESS_TOKEN', { issuedAt: day(-120), expiresAt: day(-30) }))
      .owns('team:pay', 'cred:old-token')
      .authenticates('cred:old-token', 'sa:pay-deployer')
      .holds('svc:pay-dev', 'cred:old-token')
      .credential('cred:revoked-token', freshCredential('ACCESS_TOKEN', { expiresAt: day(-30), revokedAt: day(-31) }))
      .authenticates('cred:revoked-token', 'sa:pay-deployer')
      .holds('svc:pay-dev', 'cred:revoked-token')
      .credential('cred:expired-unheld', freshCredential('ACCESS_TOKEN', { expiresAt: day(-30) }))
      .authenticates('cred:expired-unheld', 'sa:pay-deployer');
    const found = run(b);
    expect(ids(found)).toEqual(['improper-offboarding:cred:old-token:expired-unrevoked']);
    expect(found[0]).toMatchObject({ severity: 'LOW', evidence: { props: { heldBy: ['svc:pay-dev'], expiresAt: day(-30) } }, remediation: { mutation: 'revokeCredential' } });
  });
});
