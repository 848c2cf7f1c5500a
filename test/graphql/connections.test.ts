/** The walkable fields of the node types: Relay connections over the adjacency, paged by opaque cursors. */
import { beforeAll, describe, expect, it } from 'vitest';
import { demoApi, type TestApi } from './api.js';

let api: TestApi;

beforeAll(async () => {
  api = await demoApi({ limits: { maxFirst: 60 } });
});

const ids = (connection: { edges: { node: { id: string } }[] }): string[] => connection.edges.map((e) => e.node.id);

/** Every node of a connection, by paging `first` at a time from the start. */
async function pageThrough(query: string, first: number): Promise<{ ids: string[]; pages: number; totalCounts: number[] }> {
  const seen: string[] = [];
  const totalCounts: number[] = [];
  let after: string | null = null;
  let pages = 0;
  for (; pages < 100; ) {
    const data: any = await api.data(query, { first, after });
    const connection = Object.values(data)[0] as any;
    const page = connection.owns ?? connection.members ?? connection;
    pages++;
    seen.push(...ids(page));
    totalCounts.push(page.totalCount);
    expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
    if (!page.pageInfo.hasNextPage) break;
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
    after = page.pageInfo.endCursor;
  }
  return { ids: seen, pages, totalCounts };
}

describe('connections', () => {
  it('walk every relation of an identity, in neighbour-id order', async () => {
    const { identity } = await api.data(`{ identity(id: "sa:payments-ci") {
      credentials { edges { node { id } } } groups { edges { node { id } } } roles { edges { node { id } } }
      owners { edges { node { id } } } canAssume { edges { node { id } } } operatedBy { totalCount }
    } }`);
    expect(ids(identity.credentials)).toEqual(['cred:payments-ci-key', 'cred:payments-ci-key-old']);
    expect(ids(identity.groups)).toEqual(['grp:ci-runners']);
    expect(ids(identity.roles)).toEqual(['role:ledger-writer', 'role:payments-release']);
    expect(ids(identity.owners)).toEqual(['team:payments']);
    expect(ids(identity.canAssume)).toEqual(['sa:payments-deployer', 'sa:payments-dev-deployer']);
    expect(identity.operatedBy.totalCount).toBe(0);
  });

  it('walk the other way: who assumes, who operates, which services run as an identity', async () => {
    const data = await api.data(`{
      deployer: identity(id: "sa:payments-deployer") { assumableBy { edges { node { id } } } }
      kyc: identity(id: "sa:clearpath-kyc-sync") { operatedBy { edges { node { id name } } } }
      api: identity(id: "wl:payments-api") { services { edges { node { id } } } }
    }`);
    expect(ids(data.deployer.assumableBy)).toContain('agent:deploy-copilot');
    expect(ids(data.deployer.assumableBy)).toContain('sa:payments-ci');
    expect(ids(data.kyc.operatedBy)).toEqual(['vendor:clearpath']);
    expect(ids(data.api.services)).toEqual(['svc:payments']);
  });

  it('walk credentials, roles, scopes and services', async () => {
    const data = await api.data(`{
      credential(id: "cred:payments-ci-key") { identities { edges { node { id } } } heldBy { edges { node { id } } } owners { edges { node { id } } } }
      role(id: "role:payments-deployer") {
        inherits { edges { node { id } } } inheritedBy { edges { node { id } } }
        grants { edges { node { id } } } holders { edges { node { __typename id } } }
      }
      scope(id: "scope:payments:deploy:admin") { roles { edges { node { id } } } service { id } }
      service(id: "svc:payments") {
        runsAs { edges { node { id } } } credentials { totalCount } scopes { edges { node { id } } } owners { edges { node { id } } }
      }
      group(id: "grp:kyc-partners") { members { edges { node { __typename id } } } roles { edges { node { id } } } groups { totalCount } }
    }`);
    expect(data.credential).toEqual({
      identities: { edges: [{ node: { id: 'sa:payments-ci' } }] },
      heldBy: { edges: [{ node: { id: 'svc:ci-platform' } }] },
      owners: { edges: [{ node: { id: 'team:payments' } }] },
    });
    expect(ids(data.role.inherits)).toEqual(['role:payments-writer']);
    expect(ids(data.role.inheritedBy)).toEqual(['role:payments-release']);
    expect(ids(data.role.grants)).toEqual(['scope:payments:deploy:admin']);
    expect(data.role.holders.edges.map((e: any) => e.node)).toEqual([
      { __typename: 'Identity', id: 'human:bilal' },
      { __typename: 'Identity', id: 'sa:payments-deployer' },
    ]);
    expect(data.scope).toEqual({ roles: { edges: [{ node: { id: 'role:payments-deployer' } }] }, service: { id: 'svc:payments' } });
    expect(ids(data.service.runsAs)).toEqual(['wl:payments-api']);
    expect(data.service.credentials.totalCount).toBe(5);
    expect(ids(data.service.scopes)).toHaveLength(4);
    expect(ids(data.service.owners)).toEqual(['team:payments']);
    expect(data.group).toEqual({
      members: { edges: [{ node: { __typename: 'Identity', id: 'sa:clearpath-kyc-sync' } }] },
      roles: { edges: [{ node: { id: 'role:kyc-partner' } }] },
      groups: { totalCount: 0 },
    });
  });

  it('give a service the identities that act for it: what it runs as and whom its credentials authenticate', async () => {
    const { service } = await api.data(`{ service(id: "svc:payments") { identities { totalCount edges { node { id } grant { origin } } } } }`);
    expect(ids(service.identities)).toEqual([
      'bot:chargeback-sync', 'sa:notifications-webhook', 'sa:payments-db', 'sa:payments-settlements-client', 'wl:payments-api',
    ]);
    expect(service.identities.totalCount).toBe(5);
    expect(service.identities.edges.every((e: any) => e.grant === null)).toBe(true);
  });

  it('page forward through an owner\'s whole `owns` with a small first: every edge exactly once, no gaps', async () => {
    const query = `query($first: Int, $after: String) { owner(id: "team:platform") {
      owns(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id label } } } } }`;
    const whole = await api.data(`{ owner(id: "team:platform") { owns(first: 60) { edges { node { id } } } } }`);
    const paged = await pageThrough(query, 5);
    expect(whole.owner.owns.edges).toHaveLength(52);
    expect(paged.ids).toEqual(ids(whole.owner.owns));
    expect(new Set(paged.ids).size).toBe(52);
    expect(paged.pages).toBe(11);
    expect(new Set(paged.totalCounts)).toEqual(new Set([52]));
  });

  it('page through group members one at a time', async () => {
    const query = `query($first: Int, $after: String) { group(id: "grp:ci-runners") {
      members(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } } } }`;
    const whole = await api.data(`{ group(id: "grp:ci-runners") { members { edges { node { id } } } } }`);
    const paged = await pageThrough(query, 1);
    expect(paged.ids).toHaveLength(13);
    expect(paged.ids).toEqual(ids(whole.group.members));
    expect(paged.ids).toEqual([...paged.ids].sort());
  });

  it('give only totalCount and pageInfo for first: 0', async () => {
    const { owner } = await api.data(`{ owner(id: "team:platform") { owns(first: 0) { totalCount edges { cursor } pageInfo { hasNextPage endCursor } } } }`);
    expect(owner.owns).toEqual({ totalCount: 52, edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
  });
});

describe('connection limits', () => {
  it('refuse a first over the cap, naming the argument', async () => {
    const [error] = await api.errors(`{ owner(id: "team:platform") { owns(first: 61) { totalCount } } }`);
    expect(error).toMatchObject({
      message: 'first must be a whole number from 0 to 60, got 61',
      path: ['owner', 'owns'],
      extensions: { code: 'BAD_USER_INPUT', issues: [{ path: 'first', message: 'must be a whole number from 0 to 60, got 61' }] },
    });
  });

  it('refuse a negative first, on listings and path queries too', async () => {
    for (const query of [
      `{ identities(first: -1) { totalCount } }`,
      `{ reach(subject: "sa:payments-ci", first: 1000) { totalCount } }`,
      `{ identity(id: "sa:payments-ci") { groups(first: -5) { totalCount } } }`,
    ]) {
      const [error] = await api.errors(query);
      expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'first' }] });
    }
  });

  it('refuse a cursor that is not from the list it is given to', async () => {
    const { owner } = await api.data(`{ owner(id: "team:platform") { owns(first: 1) { pageInfo { endCursor } } } }`);
    const { identities } = await api.data(`{ identities(first: 1) { pageInfo { endCursor } } }`);
    for (const [query, after] of [
      [`query($after: String) { identities(after: $after) { totalCount } }`, owner.owns.pageInfo.endCursor],
      [`query($after: String) { owner(id: "team:platform") { owns(after: $after) { totalCount } } }`, identities.pageInfo.endCursor],
      [`query($after: String) { reach(subject: "sa:payments-ci", after: $after) { totalCount } }`, 'not-a-cursor'],
    ]) {
      const [error] = await api.errors(query!, { after });
      expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'after' }] });
    }
  });

  it('refuse more ids than the cap in nodes(ids)', async () => {
    const [error] = await api.errors(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 61 }, (_, i) => `x:${i}`) });
    expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: 'ids' }] });
  });
});
