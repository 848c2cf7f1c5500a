import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphDataSource, SubgraphDataSource, type AuthorizationContext } from '../../src/gateway/index.js';
import { IdGraphError } from '../../src/model/errors.js';

/** A subgraph stand-in on loopback: answers `{ data: { ok: true } }`, or the status its path names, and records the headers it got. */
let server: Server;
let base: string;
const headers: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    headers.push(req.headers);
    req.resume();
    req.on('end', () => {
      const status = Number(req.url?.slice(1)) || 200;
      if (status === 502) {
        res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway at 10.0.3.7</html>');
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status === 200 ? { data: { ok: true } } : { errors: [{ message: 'no' }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

type ProcessOptions = Parameters<SubgraphDataSource['process']>[0];

/** The options ApolloGateway passes for an operation of a client (only what `process` reads). */
const incoming = (context: AuthorizationContext): ProcessOptions =>
  ({ kind: 'incoming operation', request: { query: '{ ok }' }, context, incomingRequestContext: {} }) as unknown as ProcessOptions;

/** ... and for its own health check or schema loading. */
const internal = (context: AuthorizationContext): ProcessOptions => ({ kind: 'health check', request: { query: '{ __typename }' }, context }) as unknown as ProcessOptions;

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function failure(source: SubgraphDataSource, options: ProcessOptions): Promise<{ message: string; extensions: Record<string, unknown>; json: string }> {
  try {
    await source.process(options);
  } catch (error) {
    const e = error as { message: string; extensions: Record<string, unknown>; toJSON(): unknown };
    return { message: e.message, extensions: e.extensions, json: JSON.stringify(e.toJSON()) };
  }
  throw new Error('expected the call to fail');
}

describe('SubgraphDataSource', () => {
  it('forwards the caller’s Authorization header and the request id to the subgraph', async () => {
    headers.length = 0;
    const response = await new SubgraphDataSource({ name: 'users', url: `${base}/` }).process(incoming({ authorization: 'Bearer alice', requestId: 'req-7' }));
    expect(response.data).toEqual({ ok: true });
    expect(headers[0]?.authorization).toBe('Bearer alice');
    expect(headers[0]?.['x-request-id']).toBe('req-7');
  });

  it('sends no Authorization for an anonymous caller, nor for the gateway’s own requests', async () => {
    headers.length = 0;
    const source = new SubgraphDataSource({ name: 'users', url: `${base}/` });
    await source.process(incoming({}));
    await source.process(internal({ authorization: 'Bearer alice' }));
    expect(headers.map((h) => h.authorization)).toEqual([undefined, undefined]);
  });

  it('keeps the token from a subgraph it is not forwarded to, and still sends the request id', async () => {
    headers.length = 0;
    await new SubgraphDataSource({ name: 'users', url: `${base}/`, forwardAuthorization: false }).process(incoming({ authorization: 'Bearer alice', requestId: 'req-8' }));
    expect(headers.map((h) => [h.authorization, h['x-request-id']])).toEqual([[undefined, 'req-8']]);
  });

  it('answers for a subgraph that cannot be reached with SUBGRAPH_UNAVAILABLE and its name, never its URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/graphql`;
    const { message, extensions, json } = await failure(new SubgraphDataSource({ name: 'orders', url }), incoming({}));
    expect(message).toBe('Subgraph "orders" is unavailable');
    expect(extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'orders' });
    expect(json).not.toContain('127.0.0.1');
  });

  it('treats an answer that is not GraphQL (an HTML 502 of a proxy) the same way', async () => {
    const { message, extensions, json } = await failure(new SubgraphDataSource({ name: 'orders', url: `${base}/502` }), incoming({}));
    expect(message).toBe('Subgraph "orders" is unavailable');
    expect(extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(json).not.toMatch(/127\.0\.0\.1|10\.0\.3\.7/);
  });

  it('keeps the meaning of a 401 or 403 of the subgraph, without its URL or body', async () => {
    const unauthenticated = await failure(new SubgraphDataSource({ name: 'orders', url: `${base}/401` }), incoming({}));
    expect(unauthenticated.message).toBe('Subgraph "orders" refused the request (HTTP 401)');
    expect(unauthenticated.extensions).toEqual({ code: 'UNAUTHENTICATED', serviceName: 'orders' });
    const forbidden = await failure(new SubgraphDataSource({ name: 'orders', url: `${base}/403` }), incoming({}));
    expect(forbidden.extensions).toEqual({ code: 'FORBIDDEN', serviceName: 'orders' });
    expect(forbidden.json).not.toContain('127.0.0.1');
  });

  it('refuses a subgraph without a URL', () => {
    expect(() => new SubgraphDataSource({ name: 'orders' })).toThrow(IdGraphError);
    expect(() => createSubgraphDataSource('orders', '')).toThrow('Subgraph "orders" has no URL');
  });
});

describe('createSubgraphDataSource', () => {
  it('is a buildService for ApolloGateway', async () => {
    headers.length = 0;
    const source = createSubgraphDataSource('users', `${base}/`);
    expect(source).toBeInstanceOf(SubgraphDataSource);
    expect(source.name).toBe('users');
    await source.process(incoming({ authorization: 'Bearer bob' }));
    expect(headers[0]?.authorization).toBe('Bearer bob');
  });
});
