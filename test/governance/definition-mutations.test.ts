/** Role and scope definitions through the API: local for a service's owners, central for the central team. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import { demoApi, type TestApi } from '../graphql/api.js';

const notificationsOwner: Caller = { subject: 'nina', issuer: 'test', roles: ['service-owner'], services: ['svc:notifications'] };
const securityTeam: Caller = { subject: 'sam', issuer: 'test', roles: ['central-admin'], services: [] };
const SCOPE = `mutation($input: ScopeInput!) { defineScope(input: $input) { sequence node { id ... on Scope { level sensitivity service { id } } } decision { outcome } } }`;
const ROLE = `mutation($input: RoleInput!) { defineRole(input: $input) { sequence node { id ... on Role { origin grants { totalCount } inherits { totalCount } } } decision { outcome policyIds } } }`;

let api: TestApi;
beforeAll(async () => {
  api = await demoApi({ governance: true });
});

describe('defineScope and defineRole', () => {
  it('lets a service team define a LOCAL scope and a role over it, which a grant then hands out', async () => {
    const team = api.as(notificationsOwner);
    const scope = { id: 'scope:notifications:templates:write', name: 'templates write', origin: 'LOCAL', service: 'svc:notifications', level: 'WRITE', sensitivity: 'LOW' };
    const { defineScope } = (await team.data(SCOPE, { input: scope })) as { defineScope: any };
    expect(defineScope.node).toEqual({ id: scope.id, level: 'WRITE', sensitivity: 'LOW', service: { id: 'svc:notifications' } });
    const role = { id: 'role:notifications-template-editor', name: 'template editor', origin: 'LOCAL', service: 'svc:notifications', inherits: ['role:notifications-reader'], grants: [scope.id] };
    const { defineRole } = (await team.data(ROLE, { input: role })) as { defineRole: any };
    expect(defineRole.node).toEqual({ id: role.id, origin: 'LOCAL', grants: { totalCount: 1 }, inherits: { totalCount: 1 } });
    const { grant } = (await team.data(`mutation { grant(input: { from: "wl:checkout-worker", to: "${role.id}", ttl: "7d", justification: "edits templates" }) { sequence grant { status } } }`)) as { grant: any };
    expect(grant.grant.status).toBe('ACTIVE');
    const { reach } = (await api.data(`query($s: Int) { reach(subject: "wl:checkout-worker", atLeast: $s, first: 500) { entries { target { id } } } }`, { s: grant.sequence })) as { reach: any };
    expect(reach.entries.map((e: { target: { id: string } }) => e.target.id)).toEqual(expect.arrayContaining([scope.id, 'scope:notifications:messages:read']));
  });

  it('keeps CENTRAL definitions and other services\u2019 roles for the central team', async () => {
    const team = api.as(notificationsOwner);
    const central = { id: 'role:everything-reader', name: 'reads everything', origin: 'CENTRAL' };
    expect((await team.errors(ROLE, { input: central }))[0]).toMatchObject({ extensions: { code: 'POLICY_DENIED' } });
    const foreign = { id: 'role:payments-helper', name: 'payments helper', origin: 'LOCAL', service: 'svc:payments' };
    expect((await team.errors(ROLE, { input: foreign }))[0]).toMatchObject({ extensions: { code: 'POLICY_DENIED' } });
    const { defineRole } = (await api.as(securityTeam).data(ROLE, { input: central })) as { defineRole: any };
    expect(defineRole.decision.outcome).toBe('ALLOW');
  });

  it('reports every problem of a definition at once', async () => {
    const bad = { id: 'svc:payments', name: '', origin: 'LOCAL', inherits: ['role:nope'], grants: ['role:payments-reader'] };
    const [error] = await api.as(securityTeam).errors(ROLE, { input: bad });
    expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const paths = (error!.extensions!['issues'] as { path: string }[]).map((i) => i.path).sort();
    expect(paths).toEqual(['grants', 'id', 'inherits', 'name', 'service']);
  });
});
