/** What one request may cost, whatever its shape: path queries, items and time, and cursors that stay honest. */
import { beforeAll, describe, expect, it } from 'vitest';
import { importLines } from '../../src/interchange/import.js';
import { demoApi, type TestApi } from './api.js';
import { edgeLine } from '../support/lines.js';

let api: TestApi;
beforeAll(async () => {
  api = await demoApi();
});

describe('the request budget', () => {
  it('caps the path queries of one request, however they are nested or how first is written', async () => {
    // graphql-armor's cost limit cannot see `first: $n`; the request budget does not care.
    const [error] = await api.errors(
      `query($n: Int) { identities(first: $n) { edges { node { blastRadius(first: $n) { totalCount } } } } }`,
      { n: 500 },
    );
    expect(error).toMatchObject({ message: 'A request may run at most 20 path queries; split it', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('caps the path queries behind federation representations too', async () => {
    const ids = api.projection.nodesOfLabel('Identity').map((n) => api.projection.idOf(n));
    const representations = ids.slice(0, 30).map((id) => ({ __typename: 'Identity', id }));
    const result = await api.run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Identity { blastRadius { totalCount } } } }`, { r: representations });
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(result.errors?.[0]?.message).toMatch(/at most 20 path queries/);
  });

  it('caps the items one request returns in all', async () => {
    const small = await demoApi({ limits: { maxItems: 100 } });
    const [error] = await small.errors(`{ identities(first: 200) { edges { node { id } } } }`);
    expect(error).toMatchObject({ message: 'A request may return at most 100 items in all; ask for smaller pages', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('gives all the path queries of a request one deadline', async () => {
    const hurried = await demoApi({ limits: { queryTimeoutMs: 0 } });
    const [error] = await hurried.errors(`{ a: reach(subject: "sa:payments-ci") { totalCount } }`);
    expect(error).toMatchObject({ message: 'query exceeded its time budget', extensions: { code: 'UNAVAILABLE' } });
  });

  it('refuses a representation without a string id', async () => {
    const result = await api.run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Identity { id } } }`, { r: [{ __typename: 'Identity', id: { x: 1 } }] });
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('paging a path query', () => {
  const page = `query($after: String) { reach(subject: "sa:payments-ci", first: 3, after: $after) { totalCount entries { target { id } } pageInfo { hasNextPage endCursor } } }`;

  it('walks every entry exactly once, page by page', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    type Page = { reach: { totalCount: number; entries: { target: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    do {
      const { reach }: Page = await api.data<Page>(page, { after });
      total = reach.totalCount;
      seen.push(...reach.entries.map((e) => e.target.id));
      after = reach.pageInfo.hasNextPage ? reach.pageInfo.endCursor : null;
    } while (after !== null);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('refuses a cursor whose entry a write removed, instead of skipping or repeating entries', async () => {
    const fresh = await demoApi();
    const first = await fresh.data<{ reach: { entries: { target: { id: string } }[]; pageInfo: { endCursor: string } } }>(page, { after: null });
    const last = first.reach.entries.at(-1)!.target.id;
    // Revoke every grant of sa:payments-ci, then catch the projection up: its third scope is gone.
    const grants = [];
    for (let e = 0; e < fresh.projection.edgeCount; e++) {
      if (fresh.projection.idOf(fresh.projection.edgeFrom(e)) === 'sa:payments-ci' && ['HAS_ROLE', 'MEMBER_OF', 'CAN_ASSUME'].includes(fresh.projection.edgeType(e))) {
        grants.push(edgeLine(fresh.projection.edgeType(e), 'sa:payments-ci', fresh.projection.idOf(fresh.projection.edgeTo(e)), { status: 'REVOKED' }));
      }
    }
    await importLines(fresh.store, grants);
    await fresh.projection.catchUp(fresh.store);
    const [error] = await fresh.errors(page, { after: first.reach.pageInfo.endCursor });
    expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(error!.message).toContain(JSON.stringify(last));
  });
});
