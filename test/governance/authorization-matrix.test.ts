/**
 * Who may change what: every mutation × every API role × own or other service, with the exact outcome,
 * and nothing written when refused but the audit event of the denied attempt (FORBIDDEN by API role,
 * POLICY_DENIED by the guardrails).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import { demoApi, type TestApi } from '../graphql/api.js';

const ROLES: Record<string, Caller> = {
  analyst: { subject: 'ann', issuer: 'test', roles: ['analyst'], services: [] },
  auditor: { subject: 'aud', issuer: 'test', roles: ['auditor'], services: [] },
  'owner of the service': { subject: 'nina', issuer: 'test', roles: ['service-owner'], services: ['svc:notifications'] },
  'owner of another service': { subject: 'pat', issuer: 'test', roles: ['service-owner'], services: ['svc:payments'] },
  'central admin': { subject: 'sam', issuer: 'test', roles: ['central-admin'], services: [] },
};
const ADMIN = ROLES['central admin']!;
const GRANT_INPUT = { from: 'wl:checkout-worker', to: 'role:notifications-reader', ttl: '1d', justification: 'matrix' };
const KEYED = 'id sequence';

type Setup = (api: TestApi) => Promise<Record<string, unknown>>;
/** A grant made by the central admin (ACTIVE) or asked for by the service's owner (PENDING), to act on. */
const existing = (verb: 'grant' | 'requestAccess'): Setup => async (api) => {
  const caller = verb === 'grant' ? ADMIN : ROLES['owner of the service']!;
  const made = (await api.as(caller).data(`mutation($i: GrantInput!) { ${verb}(input: $i) { type from to id } }`, { i: GRANT_INPUT })) as Record<string, { type: string; from: string; to: string; id: string }>;
  const { type, from, to, id } = made[verb]!;
  return { grant: { type, from, to, id } };
};

const MUTATIONS: { name: string; query: string; setup?: Setup; variables?: Record<string, unknown>; expect: Record<string, string> }[] = [
  {
    name: 'grant',
    query: `mutation($i: GrantInput!) { grant(input: $i) { ${KEYED} } }`,
    variables: { i: GRANT_INPUT },
    expect: { analyst: 'FORBIDDEN', auditor: 'FORBIDDEN', 'owner of the service': 'OK', 'owner of another service': 'POLICY_DENIED', 'central admin': 'OK' },
  },
  {
    // Asking is open to any service owner: the answer is a PENDING request that only central approval makes live.
    name: 'requestAccess',
    query: `mutation($i: GrantInput!) { requestAccess(input: $i) { ${KEYED} } }`,
    variables: { i: GRANT_INPUT },
    expect: { analyst: 'FORBIDDEN', auditor: 'FORBIDDEN', 'owner of the service': 'OK', 'owner of another service': 'OK', 'central admin': 'OK' },
  },
  {
    name: 'revoke',
    query: `mutation($grant: GrantKeyInput!) { revoke(grant: $grant, reason: "matrix") { ${KEYED} } }`,
    setup: existing('grant'),
    expect: { analyst: 'FORBIDDEN', auditor: 'FORBIDDEN', 'owner of the service': 'OK', 'owner of another service': 'POLICY_DENIED', 'central admin': 'OK' },
  },
  {
    name: 'approve',
    query: `mutation($grant: GrantKeyInput!) { approve(grant: $grant, reason: "matrix") { ${KEYED} } }`,
    setup: existing('requestAccess'),
    expect: { analyst: 'FORBIDDEN', auditor: 'FORBIDDEN', 'owner of the service': 'FORBIDDEN', 'owner of another service': 'FORBIDDEN', 'central admin': 'OK' },
  },
  {
    name: 'reject',
    query: `mutation($grant: GrantKeyInput!) { reject(grant: $grant, reason: "matrix") { ${KEYED} } }`,
    setup: existing('requestAccess'),
    expect: { analyst: 'FORBIDDEN', auditor: 'FORBIDDEN', 'owner of the service': 'FORBIDDEN', 'owner of another service': 'FORBIDDEN', 'central admin': 'OK' },
  },
  {
    name: 'issueCredential',
    query: `mutation($c: CredentialInput!) { issueCredential(input: $c) { sequence } }`,
    variables: { c: { identity: 'wl:notifications-api', kind: 'API_KEY', fingerprint: `sha256:${'ef'.repeat(32)}`, expiresIn: '90d' } },
    expect: { analyst: 'FORBIDDEN', auditor: 'FORBIDDEN', 'owner of the service': 'OK', 'owner of another service': 'POLICY_DENIED', 'central admin': 'OK' },
  },
  {
    name: 'rotateCredential',
    query: `mutation { rotateCredential(id: "cred:notifications-api-cert", fingerprint: "sha256:${'12'.repeat(32)}", expiresIn: "30d") { sequence } }`,
    expect: { analyst: 'FORBIDDEN', auditor: 'FORBIDDEN', 'owner of the service': 'OK', 'owner of another service': 'POLICY_DENIED', 'central admin': 'OK' },
  },
  {
    name: 'revokeCredential',
    query: `mutation($id: ID!) { revokeCredential(id: $id, reason: "matrix") { sequence } }`,
    setup: async (api) => {
      const made = (await api.as(ADMIN).data(`mutation($c: CredentialInput!) { issueCredential(input: $c) { credential { id } } }`, {
        c: { identity: 'wl:notifications-api', kind: 'SECRET', fingerprint: `sha256:${'34'.repeat(32)}`, expiresIn: '30d' },
      })) as { issueCredential: { credential: { id: string } } };
      return { id: made.issueCredential.credential.id };
    },
    expect: { analyst: 'FORBIDDEN', auditor: 'FORBIDDEN', 'owner of the service': 'OK', 'owner of another service': 'POLICY_DENIED', 'central admin': 'OK' },
  },
  {
    name: 'defineRole',
    query: `mutation { defineRole(input: { id: "role:notifications-matrix", name: "matrix", origin: LOCAL, service: "svc:notifications" }) { sequence } }`,
    expect: { analyst: 'FORBIDDEN', auditor: 'FORBIDDEN', 'owner of the service': 'OK', 'owner of another service': 'POLICY_DENIED', 'central admin': 'OK' },
  },
  {
    name: 'defineScope',
    query: `mutation { defineScope(input: { id: "scope:notifications:matrix:read", name: "matrix", origin: LOCAL, service: "svc:notifications", level: READ }) { sequence } }`,
    expect: { analyst: 'FORBIDDEN', auditor: 'FORBIDDEN', 'owner of the service': 'OK', 'owner of another service': 'POLICY_DENIED', 'central admin': 'OK' },
  },
  {
    name: 'reassignOwner',
    query: `mutation { reassignOwner(from: "team:ledger", to: "team:payments", reason: "matrix", dryRun: true) { dryRun } }`,
    expect: { analyst: 'FORBIDDEN', auditor: 'FORBIDDEN', 'owner of the service': 'FORBIDDEN', 'owner of another service': 'FORBIDDEN', 'central admin': 'OK' },
  },
  ...(['retireIdentity', 'quarantine'] as const).map((verb) => ({
    name: verb,
    query: `mutation { ${verb}(id: "wl:checkout-worker", reason: "matrix", dryRun: true) { dryRun } }`,
    expect: { analyst: 'FORBIDDEN', auditor: 'FORBIDDEN', 'owner of the service': 'FORBIDDEN', 'owner of another service': 'FORBIDDEN', 'central admin': 'OK' },
  })),
  ...([['retireService', 'svc:notifications'], ['offboardVendor', 'vendor:pagerly']] as const).map(([verb, id]) => ({
    name: verb,
    query: `mutation { ${verb}(id: "${id}", reason: "matrix", dryRun: true) { dryRun } }`,
    expect: { analyst: 'FORBIDDEN', auditor: 'FORBIDDEN', 'owner of the service': 'FORBIDDEN', 'owner of another service': 'FORBIDDEN', 'central admin': 'OK' },
  })),
];

let api: TestApi;
beforeAll(async () => {
  api = await demoApi({ governance: true });
});

describe.each(MUTATIONS)('$name', (mutation) => {
  it.each(Object.keys(ROLES))('by %s', async (role) => {
    const variables = { ...mutation.variables, ...(mutation.setup ? await mutation.setup(api) : {}) };
    const sequence = await api.store.lastSequence();
    const edges = api.projection.edgeCount;
    const result = await api.as(ROLES[role]!).run(mutation.query, variables);
    const outcome = result.errors === undefined ? 'OK' : String(result.errors[0]!.extensions!['code']);
    expect(outcome).toBe(mutation.expect[role]);
    if (outcome === 'FORBIDDEN' || outcome === 'POLICY_DENIED') {
      const events = await api.store.auditEvents(sequence, 10);
      expect(events.map((e) => [e.action, e.decision])).toEqual([[mutation.name, 'DENY']]);
    }
    if (outcome !== 'OK') expect(api.projection.edgeCount).toBe(edges);
  });
});
