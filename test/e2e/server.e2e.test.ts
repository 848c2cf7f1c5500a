/** The API over real HTTP: a server on a random loopback port, a temp Kuzu store, the demo estate. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../support/http-server.js';
import { DelegatingStore } from '../support/delegating-store.js';
import { tempStore } from '../support/temp-store.js';

const BLAST = `query Blast($id: ID!, $at: DateTime) {
  blastRadius(subject: $id, at: $at) {
    summary { total impact byLabel { label count } }
    entries { target { id label } path { nodes steps { type origin } } routes accessEndsAt impact }
    truncated sequence
  }
}`;

describe('the API over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer();
  });

  it('is live and ready once the projection is built', async () => {
    expect((await fetch(server.url.replace('/graphql', '/livez'))).status).toBe(200);
    const ready = await fetch(server.url.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', sequence: 1 });
  });

  it('seeds the empty store with the demo estate and answers a blast-radius query', async () => {
    const { status, body } = await server.post({ query: BLAST, variables: { id: 'cred:payments-ci-key' }, operationName: 'Blast' });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const result = body.data.blastRadius;
    expect(result.summary.total).toBeGreaterThan(40);
    expect(result.entries.map((e: { target: { id: string } }) => e.target.id)).toContain('svc:payments');
    expect(result.sequence).toBe(1);
  });

  it('answers as of an earlier time with at', async () => {
    const { body } = await server.post({ query: BLAST, variables: { id: 'cred:payments-ci-key', at: '2000-01-01T00:00:00Z' } });
    expect(body.data.blastRadius.entries).toEqual([]);
  });

  it('echoes the request id, and logs the operation and duration but never variables', async () => {
    const { headers } = await server.post({ query: BLAST, variables: { id: 'cred:secret-looking-id' }, operationName: 'Blast' }, { 'x-request-id': 'req-123' });
    expect(headers.get('x-request-id')).toBe('req-123');
    const line = server.logs.find((l) => l['requestId'] === 'req-123');
    expect(line).toMatchObject({ operation: 'Blast', errors: ['NOT_FOUND'] });
    expect(typeof line?.['ms']).toBe('number');
    expect(JSON.stringify(server.logs)).not.toContain('secret-looking-id');
  });

  it('returns error codes: NOT_FOUND for an unknown id, BAD_USER_INPUT for a bad argument', async () => {
    const missing = await server.post({ query: BLAST, variables: { id: 'cred:nope' } });
    expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const bad = await server.post({ query: '{ reach(subject: "sa:payments-ci", maxDepth: 99) { truncated } }' });
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors[0].message).toMatch(/maxDepth/);
  });

  it('exposes request counts, latency by operation and the projection size on /metrics', async () => {
    await server.post({ query: BLAST, variables: { id: 'cred:payments-ci-key' }, operationName: 'Blast' });
    const text = await (await fetch(server.url.replace('/graphql', '/metrics'), { headers: { authorization: server.authorization } })).text();
    expect(text).toMatch(/idgraph_graphql_requests_total\{operation="Blast",outcome="ok"\} \d+/);
    expect(text).toMatch(/idgraph_graphql_request_duration_seconds_count\{operation="Blast"\} \d+/);
    expect(text).toMatch(/idgraph_projection_nodes \d{3}/);
    expect(text).toMatch(/idgraph_path_query_visited_nodes_count\{query="blastRadius"\} \d+/);
  });
});

describe('the API under abuse', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer({ production: true });
  });

  const rejected = async (body: unknown): Promise<{ status: number; code: unknown }> => {
    const response = await server.post(body);
    return { status: response.status, code: response.body?.errors?.[0]?.extensions?.code };
  };

  it('rejects a depth bomb', async () => {
    let selection = 'id';
    for (let i = 0; i < 40; i++) selection = `groups { edges { node { ${selection} } } }`;
    expect(await rejected({ query: `{ identity(id: "sa:payments-ci") { ${selection} } }` })).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('rejects an alias flood that fits the token limit', async () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: node(id: "x") { id }`).join(' ');
    expect(await rejected({ query: `{ ${aliases} }` })).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('rejects 10,000 aliases', async () => {
    const aliases = Array.from({ length: 10_000 }, (_, i) => `a${i}: node(id: "sa:payments-ci") { id }`).join(' ');
    expect((await rejected({ query: `{ ${aliases} }` })).status).toBe(400);
  });

  it('rejects a huge token stream while parsing', async () => {
    expect(await rejected({ query: `{ node(id: "x") { ${'id '.repeat(50_000)} } }` })).toEqual({ status: 400, code: 'GRAPHQL_PARSE_FAILED' });
  });

  it('rejects a syntax error as a parse failure, not a server error', async () => {
    expect(await rejected({ query: '{ node(id: "x") { id ' })).toEqual({ status: 400, code: 'GRAPHQL_PARSE_FAILED' });
  });

  it('rejects introspection in production, even in an operation named __schema', async () => {
    expect(await rejected({ query: 'query __schema { __schema { types { name } } }' })).toMatchObject({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('rejects a batched HTTP array and a malformed body, with a 400 and a stable code', async () => {
    const batch = await server.post([{ query: '{ node(id: "x") { id } }' }, { query: '{ node(id: "y") { id } }' }]);
    expect(batch.status).toBe(400);
    const malformed = await server.post('{"query": "{ node(id: \\"x\\") { id } }"');
    expect(malformed).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_REQUEST' } }] } });
  });

  it('stays up after all of it', async () => {
    expect((await fetch(server.url.replace('/graphql', '/livez'))).status).toBe(200);
    const ok = await server.post({ query: '{ node(id: "sa:payments-ci") { id } }' });
    expect(ok.body.data.node.id).toBe('sa:payments-ci');
  });
});

describe('readiness and shutdown', () => {
  it('is not ready (503) while the projection is being built, and refuses GraphQL until then', async () => {
    const store = await tempStore();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The real store, with its first scan held back until the test lets it go.
    const gated = new (class extends DelegatingStore {
      override async *scanNodes(batchSize?: number) {
        await gate;
        yield* store.scanNodes(batchSize);
      }
    })(store);
    const { loadConfig } = await import('../../src/config/config.js');
    const { startServer } = await import('../../src/server/start-server.js');
    const { createLogger } = await import('../../src/server/logger.js');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const starting = startServer({ config: loadConfig({ port }, {}), store: gated, logger: createLogger('silent') });
    let ready: Response | undefined;
    for (let i = 0; i < 100 && ready === undefined; i++) {
      ready = await fetch(`${base}/readyz`).catch(() => undefined);
      if (ready === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(ready?.status).toBe(503);
    expect(await ready?.json()).toMatchObject({ reason: 'starting' });
    const early = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ node(id: \\"x\\") { id } }"}' });
    expect(early.status).toBe(503);
    release();
    const server = await starting;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await server.close();
    await expect(fetch(`${base}/livez`)).rejects.toThrow();
    expect(await store.lastSequence()).toBe(1);
  });
});

/** A loopback port nobody listens on right now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('graceful shutdown', () => {
  it('answers 503 on /readyz while it drains, and finishes a request in flight before it closes', async () => {
    const store = await tempStore();
    let slow = false;
    const delayed = new (class extends DelegatingStore {
      override async getNodes(ids: readonly string[]) {
        if (slow) await new Promise((resolve) => setTimeout(resolve, 600));
        return store.getNodes(ids);
      }
    })(store);
    const server = await testServer({}, delayed);
    const base = server.url.replace('/graphql', '');
    slow = true;
    const inFlight = server.post({ query: '{ identities(first: 200) { edges { node { id name description } } } }' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = server.close();
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ reason: 'shutting down' });
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body.data.identities.edges.length).toBeGreaterThan(100);
    await closing;
    await expect(fetch(`${base}/livez`)).rejects.toThrow();
  });
});

describe('failures an operator must see and a caller must not', () => {
  it('logs a store failure with its detail, and answers the caller without the store location', async () => {
    const store = await tempStore();
    const server = await testServer({}, store);
    await store.close();
    const { body } = await server.post({ query: '{ identity(id: "sa:payments-ci") { id name } }' }, { 'x-request-id': 'req-closed' });
    expect(body.errors[0]).toMatchObject({ message: 'The store is unavailable; try again later', extensions: { code: 'UNAVAILABLE' } });
    expect(JSON.stringify(body)).not.toContain('/tmp');
    const logged = server.logs.find((l) => l['requestId'] === 'req-closed' && l['msg'] === 'resolver failed');
    expect(JSON.stringify(logged)).toMatch(/closed/);
    const ready = await fetch(server.url.replace('/graphql', '/readyz'));
    expect(await ready.json()).toEqual({ status: 'unavailable', reason: 'store unavailable' });
  });

  it('serves no landing page in production', async () => {
    const server = await testServer({ production: true });
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
  });
});

describe('authentication over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer();
  });

  it.each([
    ['no token', {}],
    ['a token that is not a JWT', { authorization: 'Bearer not-a-jwt' }],
    ['a scheme other than Bearer', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
  ])('answers UNAUTHENTICATED (401) to %s, naming no part of it', async (_case, headers) => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query":"{ node(id: \\"sa:payments-ci\\") { id } }"}' });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { extensions: { code: string }; message: string }[] };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors[0]!.message).not.toContain('not-a-jwt');
  });

  it('keeps /livez and /readyz open, and /metrics behind a token', async () => {
    const base = server.url.replace('/graphql', '');
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
  });

  it('refuses to start off loopback without a real issuer', async () => {
    const { startServer } = await import('../../src/server/start-server.js');
    const { loadConfig } = await import('../../src/config/config.js');
    const { createLogger } = await import('../../src/server/logger.js');
    const config = { ...loadConfig({ port: 0 }, {}), host: '0.0.0.0' };
    await expect(startServer({ config, store: await tempStore(), logger: createLogger('silent') })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('IDGRAPH_JWT_ISSUER and IDGRAPH_JWKS_URL must be set to listen on 0.0.0.0'),
    });
  });
});

describe('governance over HTTP, on real clocks', () => {
  it('shows a grant live in the very response that makes it, and after approval', async () => {
    const server = await testServer();
    const owner = { authorization: `Bearer ${await server.token(['service-owner'], ['svc:payments'])}` };
    const admin = { authorization: `Bearer ${await server.token(['central-admin'])}` };
    const asked = await server.post(
      { query: 'mutation { grant(input: { from: "wl:ledger-worker", to: "role:payments-reader", ttl: "5d", justification: "month end" }) { id grant { status live } } }' },
      owner,
    );
    expect(asked.body.data.grant.grant).toEqual({ status: 'PENDING', live: false });
    const id = asked.body.data.grant.id as string;
    const approved = await server.post(
      { query: `mutation { approve(grant: { type: HAS_ROLE, from: "wl:ledger-worker", to: "role:payments-reader", id: "${id}" }) { sequence grant { status live } } }` },
      admin,
    );
    expect(approved.body.data.approve.grant).toEqual({ status: 'ACTIVE', live: true });
    const seen = await server.post({ query: `{ reach(subject: "wl:ledger-worker", atLeast: ${approved.body.data.approve.sequence as number}, first: 500) { entries { target { id } } } }` });
    expect(seen.body.data.reach.entries.map((e: { target: { id: string } }) => e.target.id)).toContain('scope:payments:transactions:read');
  });
});
