/**
 * DataLoader batching, proven with a `CountingStore` around the real store: resolvers that touch hundreds
 * of nodes make a bounded number of store calls, and federation references resolve a batch at a time.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { edgeLine, nodeLine } from '../support/lines.js';
import { demoApi, type TestApi } from './api.js';

/** 100 more service accounts, each owned by one of three teams: with the demo's 131, 231 identities. */
const EXTRA = Array.from({ length: 100 }, (_, i) => `sa:extra-${String(i).padStart(3, '0')}`);
const TEAMS = ['team:payments', 'team:ledger', 'team:data'];
const extraLines = [
  ...EXTRA.map((id) => nodeLine('Identity', id, { environment: 'prod', status: 'ACTIVE' })),
  ...EXTRA.map((id, i) => edgeLine('OWNS', TEAMS[i % TEAMS.length]!, id)),
  ...EXTRA.map((id) => edgeLine('HAS_ROLE', id, 'role:viewer', { origin: 'CENTRAL', status: 'ACTIVE', grantedAt: '2026-01-05T10:00:00Z' })),
];

let api: TestApi;

beforeAll(async () => {
  api = await demoApi({ extraLines });
});

beforeEach(() => api.store.reset());

describe('CountingStore', () => {
  it('counts calls per method and records the keys of each batched read', async () => {
    await api.store.getNodes(['sa:payments-ci', 'svc:payments']);
    await api.store.getEdges([{ type: 'OWNS', from: 'team:payments', to: 'svc:payments', key: '' }]);
    await api.store.lastSequence();
    expect([api.store.count('getNodes'), api.store.count('getEdges'), api.store.count('lastSequence'), api.store.count('write')]).toEqual([1, 1, 1, 0]);
    expect(api.store.nodeBatches).toEqual([['sa:payments-ci', 'svc:payments']]);
    expect(api.store.edgeBatches).toEqual([[{ type: 'OWNS', from: 'team:payments', to: 'svc:payments', key: '' }]]);
  });
});

describe('node properties', () => {
  it('are not loaded for a query that asks only for ids and labels', async () => {
    const { identities } = await api.data(`{ identities(first: 200) { edges { node { id label owners { edges { node { id } } } } } } }`);
    expect(identities.edges).toHaveLength(200);
    expect(api.store.count('getNodes')).toBe(0);
  });

  it('of 200 identities\' owners load in a bounded number of store calls, not one per identity', async () => {
    const { identities } = await api.data(`{ identities(first: 200) { edges { node { id name owners { edges { node { id name } } } } } } }`);
    expect(identities.edges).toHaveLength(200);
    const withOwners = identities.edges.filter((e: any) => e.node.owners.edges.length > 0);
    expect(withOwners.length).toBeGreaterThan(190);
    expect(withOwners[0].node.owners.edges[0].node.name).toEqual(expect.any(String));
    expect(api.store.count('getNodes')).toBeLessThanOrEqual(3);
    // Each owner is loaded once, however many identities it owns.
    const loaded = api.store.nodeBatches.flat();
    expect(new Set(loaded).size).toBe(loaded.length);
    console.info(`200 identities with owners: ${api.store.count('getNodes')} getNodes calls, batches of ${api.store.nodeBatches.map((b) => b.length).join(', ')} ids`);
  });

  it('of a filtered listing load in one call per chunk, and totalCount reuses them', async () => {
    const { identities } = await api.data(`{ identities(filter: { kind: HUMAN }, first: 5) { totalCount edges { node { id name } } } }`);
    expect(identities.totalCount).toBe(22);
    expect(identities.edges).toHaveLength(5);
    expect(api.store.count('getNodes')).toBe(1);
  });

  it('of every target of a large blast radius load in one call', async () => {
    const { blastRadius } = await api.data(`{ blastRadius(subject: "svc:ci-platform", first: 500) { entries { target { name } } } }`);
    expect(blastRadius.entries.length).toBeGreaterThan(300);
    expect(api.store.count('getNodes')).toBe(1);
  });
});

describe('grants', () => {
  it('of 200 identities\' roles load in a bounded number of store calls', async () => {
    const { identities } = await api.data(`{ identities(first: 200) { edges { node { roles { edges { grant { origin live } } } } } } }`);
    const grants = identities.edges.flatMap((e: any) => e.node.roles.edges.map((r: any) => r.grant));
    expect(grants.length).toBeGreaterThan(150);
    expect(api.store.count('getEdges')).toBeLessThanOrEqual(2);
    expect(api.store.count('getNodes')).toBe(0);
  });

  it('are not loaded for structural edges', async () => {
    await api.data(`{ service(id: "svc:payments") { scopes(first: 60) { edges { grant { live } } } runsAs { edges { grant { live } } } } }`);
    expect(api.store.count('getEdges')).toBe(0);
  });
});

describe('_entities', () => {
  it('resolves 1,000 representations in at most two store calls, a known: false stub where the id is missing or of another type', async () => {
    const identities = api.projection.nodesOfLabel('Identity').map((n) => api.projection.idOf(n));
    const representations = Array.from({ length: 1000 }, (_, i) => {
      if (i % 10 === 9) return { __typename: 'Identity', id: `sa:missing-${i}` };
      if (i % 10 === 8) return { __typename: 'Identity', id: 'svc:payments' };
      return { __typename: 'Identity', id: identities[i % identities.length]! };
    });
    const { _entities } = await api.data(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Identity { id known name kind owners { totalCount } } } }`,
      { representations },
    );
    expect(_entities).toHaveLength(1000);
    _entities.forEach((entity: any, i: number) => {
      if (i % 10 >= 8) expect(entity).toEqual({ id: representations[i]!.id, known: false, name: null, kind: null, owners: { totalCount: 0 } });
      else expect(entity).toMatchObject({ id: representations[i]!.id, known: true, name: expect.any(String), kind: expect.any(String) });
    });
    expect(api.store.count('getNodes')).toBeLessThanOrEqual(2);
    console.info(`_entities × 1000: ${api.store.count('getNodes')} getNodes calls, batches of ${api.store.nodeBatches.map((b) => b.length).join(', ')} ids`);
  });

  it('resolves Service, Owner and Credential references with what this subgraph knows of them', async () => {
    const { _entities } = await api.data(
      `query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Service { id criticality blastRadius { summary { total } } }
        ... on Owner { id ownerKind: kind owns { totalCount } }
        ... on Credential { id credentialKind: kind identities { edges { node { id } } } }
      } }`,
      { r: [{ __typename: 'Service', id: 'svc:payments' }, { __typename: 'Owner', id: 'team:platform' }, { __typename: 'Credential', id: 'cred:payments-ci-key' }] },
    );
    expect(_entities[0]).toMatchObject({ id: 'svc:payments', criticality: 'CRITICAL', blastRadius: { summary: { total: expect.any(Number) } } });
    expect(_entities[1]).toEqual({ id: 'team:platform', ownerKind: 'TEAM', owns: { totalCount: 52 } });
    expect(_entities[2]).toEqual({ id: 'cred:payments-ci-key', credentialKind: 'API_KEY', identities: { edges: [{ node: { id: 'sa:payments-ci' } }] } });
    expect(api.store.count('getNodes')).toBe(1);
  });
});
