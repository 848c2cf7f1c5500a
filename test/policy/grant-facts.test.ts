/** The facts the guardrails decide on, read off the projection: pure, live at `at`, deterministic. */
import { describe, expect, it } from 'vitest';
import { Projection } from '../../src/projection/projection.js';
import { grantFacts, graphPropsOf, identityFacts } from '../../src/policy/index.js';
import { T0, day, estate } from '../support/estate.js';
import { AT, centralRole, localRole, projection, props, shopEstate, subject } from './fixture.js';

const facts = (s: Parameters<typeof grantFacts>[2], at = AT) => grantFacts(projection, props.node, s, at);

describe('grantFacts', () => {
  it('walks INHERITS then GRANTS from a role: its scopes, the highest sensitivity and level, their environments', () => {
    expect(facts(localRole('sa:shop-ci', 'role:shop-deployer'))).toMatchObject({
      edge: { type: 'HAS_ROLE', from: 'sa:shop-ci', to: 'role:shop-deployer', key: '', origin: 'LOCAL', domain: 'svc:shop' },
      role: { id: 'role:shop-deployer', origin: 'LOCAL', service: 'svc:shop' },
      conferredRoles: ['role:shop-deployer'],
      conferredServices: ['svc:shop'],
      confersCentral: false,
      scopes: ['scope:shop:deploy:admin', 'scope:shop:items:read', 'scope:shop:items:write'],
      maxSensitivity: 'CRITICAL',
      maxLevel: 'ADMIN',
      scopeEnvironments: ['prod'],
    });
  });

  it('reads the grantee: environment, vendors, live owners and services', () => {
    const [recipient] = facts(centralRole('sa:acme-sync', 'role:shop-reader')).recipients;
    expect(recipient).toEqual({ id: 'sa:acme-sync', environment: 'prod', operatedBy: ['vendor:acme'], ownedBy: ['team:shop'], services: ['svc:shop', 'svc:shop-dev'] });
    expect(identityFacts(projection, props.node, 'sa:left-behind', AT).ownedBy).toEqual([]);
    expect(identityFacts(projection, props.node, 'sa:orphan', AT)).toMatchObject({ ownedBy: [], services: [] });
  });

  it('counts as recipients the live members of a group grantee, not the pending ones', () => {
    expect(facts(centralRole('grp:partners', 'role:shop-reader')).recipients.map((r) => r.id)).toEqual(['sa:acme-sync']);
    expect(facts(centralRole('grp:builders', 'role:shop-reader')).recipients).toEqual([]);
  });

  it('confers the roles a group holds, or an assumed identity holds, and says when one is central', () => {
    const { nodes, edges } = estate()
      .identity('sa:a').identity('sa:b').group('grp:g').service('svc:x', { environment: 'prod' })
      .role('role:local', { origin: 'LOCAL', service: 'svc:x' }).role('role:central', { origin: 'CENTRAL' })
      .hasRole('grp:g', 'role:local').hasRole('grp:g', 'role:central').memberOf('sa:b', 'grp:g').runsAs('svc:x', 'sa:b')
      .build();
    const adj = Projection.fromRecords(nodes, edges);
    const p = graphPropsOf(nodes, edges).node;
    const membership = grantFacts(adj, p, subject('MEMBER_OF', 'sa:a', 'grp:g'), T0);
    expect(membership).toMatchObject({ conferredRoles: ['role:central', 'role:local'], conferredServices: ['svc:x'], confersCentral: true, maxSensitivity: undefined, role: undefined });
    const assume = grantFacts(adj, p, subject('CAN_ASSUME', 'sa:a', 'sa:b', { domain: 'svc:x' }), T0);
    expect(assume).toMatchObject({ edge: { origin: 'LOCAL' }, conferredRoles: ['role:central', 'role:local'], assumedIdentityServices: ['svc:x'] });
  });

  it('follows only what is live at `at`, and counts a scope without a sensitivity as LOW', () => {
    const { nodes, edges } = estate()
      .identity('sa:a').role('role:r').role('role:old')
      .scope('scope:plain').scope('scope:secret', { sensitivity: 'CRITICAL' })
      .grants('role:r', 'scope:plain').inherits('role:r', 'role:old', { expiresAt: day(10) }).grants('role:old', 'scope:secret')
      .build();
    const adj = Projection.fromRecords(nodes, edges);
    const p = graphPropsOf(nodes, edges).node;
    expect(grantFacts(adj, p, centralRole('sa:a', 'role:r'), T0)).toMatchObject({ maxSensitivity: 'CRITICAL', scopes: ['scope:plain', 'scope:secret'] });
    expect(grantFacts(adj, p, centralRole('sa:a', 'role:r'), Date.parse(day(10)))).toMatchObject({ maxSensitivity: 'LOW', scopes: ['scope:plain'] });
  });

  it('is the same for the same graph, whatever order the records came in', () => {
    const { nodes, edges } = shopEstate();
    const reversed = Projection.fromRecords([...nodes].reverse(), [...edges].reverse());
    const s = centralRole('grp:partners', 'role:shop-deployer');
    expect(grantFacts(reversed, props.node, s, AT)).toEqual(facts(s));
  });

  it('rejects unknown nodes, a label pair the edge type does not allow and a domain that is not a service', () => {
    expect(() => facts(centralRole('sa:nope', 'role:shop-reader'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: 'No node with id "sa:nope"' }));
    expect(() => facts(subject('HAS_ROLE', 'sa:shop-ci', 'grp:partners'))).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', issues: [{ path: 'type', message: 'HAS_ROLE cannot join Identity "sa:shop-ci" to Group "grp:partners"' }] }),
    );
    expect(() => facts(localRole('sa:shop-ci', 'role:shop-reader', 'role:shop-reader'))).toThrow(
      expect.objectContaining({ issues: [{ path: 'domain', message: 'must be a Service id, got "role:shop-reader"' }] }),
    );
    expect(() => identityFacts(projection, props.node, 'svc:shop', AT)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
