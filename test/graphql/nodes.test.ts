/** Node lookups, listings with filters, node properties and the grant on a connection edge. */
import { beforeAll, describe, expect, it } from 'vitest';
import { demoApi, NOW, type TestApi } from './api.js';

let api: TestApi;

beforeAll(async () => {
  api = await demoApi();
});

const ids = (connection: { edges: { node: { id: string } }[] }): string[] => connection.edges.map((e) => e.node.id);

describe('node lookups', () => {
  it('resolves any node by id with its label as its type, and null for an unknown id', async () => {
    const data = await api.data(`{
      svc: node(id: "svc:payments") { __typename id label name ... on Service { criticality environment status } }
      grp: node(id: "grp:kyc-partners") { __typename label name description }
      missing: node(id: "svc:nope") { id }
    }`);
    expect(data).toEqual({
      svc: { __typename: 'Service', id: 'svc:payments', label: 'Service', name: 'Payments API', criticality: 'CRITICAL', environment: 'prod', status: 'ACTIVE' },
      grp: { __typename: 'Group', label: 'Group', name: 'kyc-partners', description: 'KYC vendors' },
      missing: null,
    });
  });

  it('gives one entry per id for nodes(ids), in order, null where missing', async () => {
    const { nodes } = await api.data(`{ nodes(ids: ["sa:payments-ci", "sa:nope", "role:payments-deployer", "sa:payments-ci"]) { id label } }`);
    expect(nodes).toEqual([
      { id: 'sa:payments-ci', label: 'Identity' },
      null,
      { id: 'role:payments-deployer', label: 'Role' },
      { id: 'sa:payments-ci', label: 'Identity' },
    ]);
  });

  it('has a typed lookup per label that is null for an id of another label', async () => {
    const data = await api.data(`{
      identity(id: "sa:payments-ci") { kind environment status createdAt lastSeenAt }
      credential(id: "cred:payments-ci-key") { kind fingerprint issuedAt expiresAt }
      group(id: "grp:kyc-partners") { id }
      role(id: "role:payments-deployer") { origin service { id criticality } }
      scope(id: "scope:payments:deploy:admin") { level sensitivity origin service { id } }
      service(id: "svc:payments") { id }
      owner(id: "team:payments") { kind email }
      vendor(id: "vendor:clearpath") { status operates { totalCount } }
      wrongLabel: service(id: "sa:payments-ci") { id }
    }`);
    expect(data.identity).toEqual({
      kind: 'SERVICE_ACCOUNT', environment: 'prod', status: 'ACTIVE', createdAt: '2025-01-27T12:00:00.000Z', lastSeenAt: '2026-11-22T00:00:00.000Z',
    });
    expect(data.credential).toMatchObject({ kind: 'API_KEY', issuedAt: '2026-04-16T12:00:00.000Z', expiresAt: null });
    expect(data.credential.fingerprint).toMatch(/^sha256:/);
    expect(data.group).toEqual({ id: 'grp:kyc-partners' });
    expect(data.role).toEqual({ origin: 'LOCAL', service: { id: 'svc:payments', criticality: 'CRITICAL' } });
    expect(data.scope).toEqual({ level: 'ADMIN', sensitivity: 'CRITICAL', origin: 'LOCAL', service: { id: 'svc:payments' } });
    expect(data.service).toEqual({ id: 'svc:payments' });
    expect(data.owner.kind).toBe('TEAM');
    expect(data.vendor).toEqual({ status: 'ACTIVE', operates: { totalCount: 2 } });
    expect(data.wrongLabel).toBeNull();
  });
});

describe('identities(filter)', () => {
  it('lists every identity by id when unfiltered', async () => {
    const { identities } = await api.data(`{ identities(first: 500) { totalCount edges { node { id } } pageInfo { hasNextPage } } }`);
    expect(identities.totalCount).toBe(131);
    expect(ids(identities)).toEqual([...ids(identities)].sort());
    expect(identities.pageInfo.hasNextPage).toBe(false);
  });

  it('filters on kind, status and environment, every given field', async () => {
    const data = await api.data(`{
      agents: identities(filter: { kind: AI_AGENT }) { totalCount edges { node { id kind } } }
      disabled: identities(filter: { status: DISABLED }) { edges { node { id } } }
      corpHumans: identities(filter: { kind: HUMAN, environment: "corp" }) { totalCount }
    }`);
    expect(data.agents.totalCount).toBe(7);
    expect(data.agents.edges.every((e: any) => e.node.kind === 'AI_AGENT')).toBe(true);
    expect(ids(data.disabled)).toEqual(['human:victor', 'sa:old-jenkins']);
    expect(data.corpHumans.totalCount).toBeGreaterThan(0);
  });

  it('finds the one identity nobody owns', async () => {
    const data = await api.data(`{
      ownerless: identities(filter: { ownerless: true }) { totalCount edges { node { id owners { totalCount } } } }
      owned: identities(filter: { ownerless: false }) { totalCount }
    }`);
    expect(data.ownerless).toEqual({ totalCount: 1, edges: [{ node: { id: 'sa:reporting-export', owners: { totalCount: 0 } } }] });
    expect(data.owned.totalCount).toBe(130);
  });

  it('searches ids and names case-insensitively', async () => {
    const data = await api.data(`{
      byId: identities(filter: { search: "LEDGER-S" }) { edges { node { id } } }
      byName: identities(filter: { search: "lindqvist" }) { edges { node { id name } } }
      none: identities(filter: { search: "no such thing" }) { totalCount edges { node { id } } }
    }`);
    expect(ids(data.byId)).toEqual(['sa:ledger-sftp']);
    expect(data.byName.edges).toEqual([{ node: { id: 'human:sven', name: 'Sven Lindqvist' } }]);
    expect(data.none).toEqual({ totalCount: 0, edges: [] });
  });

  it('pages a filtered listing with cursors, every match exactly once', async () => {
    const all = ids((await api.data(`{ identities(filter: { kind: SERVICE_ACCOUNT }, first: 500) { edges { node { id } } } }`)).identities);
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const { identities }: any = await api.data(
        `query($after: String) { identities(filter: { kind: SERVICE_ACCOUNT }, first: 7, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
        { after },
      );
      seen.push(...ids(identities));
      if (!identities.pageInfo.hasNextPage) break;
      after = identities.pageInfo.endCursor;
    }
    expect(all.length).toBe(49);
    expect(seen).toEqual(all);
  });
});

describe('services(filter)', () => {
  it('filters on environment, criticality and status, and searches', async () => {
    const data = await api.data(`{
      all: services(first: 500) { totalCount }
      critical: services(filter: { criticality: CRITICAL }) { edges { node { id } } }
      highProd: services(filter: { criticality: HIGH, environment: "prod", status: ACTIVE }) { totalCount }
      retired: services(filter: { status: RETIRED }) { edges { node { id } } }
      search: services(filter: { search: "payments api" }) { edges { node { id name } } }
    }`);
    expect(data.all.totalCount).toBe(27);
    expect(ids(data.critical)).toEqual(['svc:identity', 'svc:ledger', 'svc:payments', 'svc:settlements']);
    expect(data.highProd.totalCount).toBe(6);
    expect(ids(data.retired)).toEqual(['svc:legacy-reconciler']);
    expect(data.search.edges).toEqual([
      { node: { id: 'svc:payments', name: 'Payments API' } },
      { node: { id: 'svc:payments-dev', name: 'Payments API (dev)' } },
    ]);
  });
});

describe('the grant on a connection edge', () => {
  it('carries the grant properties and whether the grant is live now or at a given time', async () => {
    const earlier = new Date(NOW.getTime() - 20 * 86_400_000).toISOString();
    const { identity } = await api.data(
      `query($earlier: DateTime) { identity(id: "human:sven") { roles { edges { node { id } grant {
        origin domain status grantedBy grantedAt expiresAt revokedAt revokedBy justification lastUsedAt live liveEarlier: live(at: $earlier) } } } } }`,
      { earlier },
    );
    const ledger = identity.roles.edges.find((e: any) => e.node.id === 'role:ledger-reader');
    expect(ledger.grant).toEqual({
      origin: 'LOCAL',
      domain: 'svc:ledger',
      status: 'ACTIVE',
      grantedBy: 'human:chen',
      grantedAt: new Date(NOW.getTime() - 40 * 86_400_000).toISOString(),
      expiresAt: new Date(NOW.getTime() - 10 * 86_400_000).toISOString(),
      revokedAt: null,
      revokedBy: null,
      justification: 'month-end close',
      lastUsedAt: null,
      live: false,
      liveEarlier: true,
    });
  });

  it('shows revoked and pending grants as not live', async () => {
    const data = await api.data(`{
      bilal: identity(id: "human:bilal") { roles { edges { node { id } grant { status live } } } }
      pagerly: identity(id: "bot:pagerly-responder") { groups { edges { node { id } grant { status live } } } }
    }`);
    expect(data.bilal.roles.edges).toContainEqual({ node: { id: 'role:payments-deployer' }, grant: { status: 'REVOKED', live: false } });
    expect(data.pagerly.groups.edges).toContainEqual({ node: { id: 'grp:oncall' }, grant: { status: 'PENDING', live: false } });
  });

  it('is null on structural edges, and shows an ownership\'s validity (a reassignment ends it)', async () => {
    const { service } = await api.data(`{ service(id: "svc:payments") { owners { edges { node { id } grant { origin live } } } runsAs { edges { grant { live } } } } }`);
    expect(service.owners.edges).toEqual([{ node: { id: 'team:payments' }, grant: { origin: null, live: true } }]);
    expect(service.runsAs.edges).toEqual([{ grant: null }]);
  });
});

describe('after a write', () => {
  it('lists and reaches what the projection has applied, and says which sequence it answered at', async () => {
    const before = await api.data(`{ identities { totalCount } reach(subject: "sa:payments-ci") { sequence } }`);
    const nodes = [{ label: 'Identity' as const, id: 'sa:late-arrival', props: { name: 'Late Arrival', kind: 'BOT', status: 'ACTIVE' } }];
    const edges = [{ type: 'HAS_ROLE' as const, from: 'sa:late-arrival', to: 'role:viewer', fromLabel: 'Identity' as const, toLabel: 'Role' as const, key: '', props: {} }];
    const commit = await api.store.write({ nodes, edges, audit: { actor: 'test', action: 'import' } });
    api.projection.apply({ sequence: commit.sequence, nodes, edges });
    const after = await api.data(`{
      identities { totalCount }
      late: identities(filter: { search: "late arrival" }) { edges { node { id kind roles { edges { node { id } grant { live } } } } } }
      reach(subject: "sa:late-arrival") { sequence totalCount }
    }`);
    expect(after.identities.totalCount).toBe(before.identities.totalCount + 1);
    expect(after.late.edges).toEqual([{ node: { id: 'sa:late-arrival', kind: 'BOT', roles: { edges: [{ node: { id: 'role:viewer' }, grant: { live: true } }] } } }]);
    expect(after.reach.sequence).toBe(commit.sequence);
    expect(after.reach.sequence).toBeGreaterThan(before.reach.sequence);
    expect(after.reach.totalCount).toBeGreaterThan(0);
  });
});
