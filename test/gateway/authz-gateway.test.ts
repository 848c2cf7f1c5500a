/**
 * The gateway for real: two subgraphs (@apollo/subgraph over HTTP on loopback), composed with
 * @apollo/composition, served by ApolloGateway behind AuthzGateway behind Apollo Server 5, and asked over
 * HTTP. The Authorizer is a fixed map from the subject of the request's bearer token to what it holds.
 */
import { ApolloGateway, type SupergraphManager } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthzGateway,
  authzSupergraphManager,
  createSubgraphDataSource,
  stripSecurityFeatures,
  type Authorizer,
  type AuthzDecision,
  type AuthzMode,
  type Grants,
  type OperationRequirements,
} from '../../src/gateway/index.js';
import { composeFixture, startSubgraphs, type RunningSubgraphs } from './fixture.js';

// Any process that runs ApolloGateway must set this: otherwise its constructor starts an OpenTelemetry
// metrics exporter to usage-reporting.api.apollographql.com. The gateway command's process sets it too.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

// Node resolves `graphql` to its CommonJS build for everyone; under vitest, files that vite transforms get
// index.mjs instead, a second copy whose classes fail graphql-js's instanceof checks against the schema
// ApolloGateway builds. One copy here too, as in production.

interface Ctx {
  authorization?: string | undefined;
  subject?: string | undefined;
}

/** What each subject holds in "the identity graph". */
const HOLDS: Record<string, { scopes: string[]; policies: string[] }> = {
  alice: { scopes: ['read:email', 'read:roles'], policies: ['pii_reader'] },
  bob: { scopes: ['read:hr', 'read:contact'], policies: ['finance'] },
  carol: { scopes: ['payments:refunds:write'], policies: [] },
};

class FixedAuthorizer implements Authorizer<Ctx> {
  readonly asked: { subject: string | undefined; needed: OperationRequirements }[] = [];
  readonly decisions: AuthzDecision<Ctx>[] = [];

  async grantsFor(context: Ctx, needed: OperationRequirements): Promise<Grants> {
    this.asked.push({ subject: context.subject, needed });
    if (context.subject === 'broken') throw new Error('identity graph at 10.0.0.9 timed out');
    const held = context.subject === undefined ? undefined : HOLDS[context.subject];
    return {
      authenticated: context.subject !== undefined,
      scopes: new Set([...needed.scopes].filter((s) => held?.scopes.includes(s))),
      policies: new Set([...needed.policies].filter((p) => held?.policies.includes(p))),
    };
  }

  decided(event: AuthzDecision<Ctx>): Record<string, unknown> {
    this.decisions.push(event);
    return { authz: { denied: event.denials.map((d) => d.coordinate) } };
  }
}

interface Running {
  readonly url: string;
  readonly gateway: AuthzGateway<Ctx>;
  readonly authorizer: FixedAuthorizer;
  /** What ApolloGateway and Apollo Server (the request's logger) logged as errors. */
  readonly logged: string[];
  stop(): Promise<void>;
}

/** `supergraph` as ApolloGateway gets it: through `authzSupergraphManager` unless `direct`. */
async function startGateway(supergraph: string | SupergraphManager, options: { mode?: AuthzMode; enforce?: boolean; direct?: boolean } = {}): Promise<Running> {
  const logged: string[] = [];
  const inner = new ApolloGateway({
    supergraphSdl: options.direct === true ? (supergraph as string) : authzSupergraphManager(supergraph, () => undefined),
    buildService: ({ name, url }) => createSubgraphDataSource<Ctx>(name, url!),
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message: string) => void logged.push(String(message)) },
  });
  const authorizer = new FixedAuthorizer();
  const gateway = new AuthzGateway<Ctx>(inner, { mode: options.mode ?? 'filter', enforce: options.enforce ?? true, authorizer });
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message: string) => void logged.push(String(message)) };
  const server = new ApolloServer<Ctx>({ gateway, includeStacktraceInErrorResponses: false, logger });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      const authorization = req.headers.authorization;
      return { authorization, subject: authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined };
    },
  });
  return { url, gateway, authorizer, logged, stop: () => server.stop() };
}

interface Response {
  status: number;
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions: Record<string, any> }[];
  extensions?: Record<string, any>;
  text: string;
}

async function ask(gateway: Running, query: string, subject?: string, variables?: Record<string, unknown>, operationName?: string): Promise<Response> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(subject === undefined ? {} : { authorization: `Bearer ${subject}` }) },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const text = await response.text();
  return { status: response.status, ...JSON.parse(text), text };
}

const forbidden = (errors: Response['errors']) => (errors ?? []).map((e) => [e.path, e.extensions.code, e.extensions.coordinate]);

let subgraphs: RunningSubgraphs;
let filtering: Running;
const started: Running[] = [];

beforeAll(async () => {
  subgraphs = await startSubgraphs();
  filtering = await startGateway(composeFixture(subgraphs.urls).supergraphSdl);
  started.push(filtering);
});

afterAll(async () => {
  for (const gateway of started) await gateway.stop();
  await subgraphs.stop();
});

const Q1 = 'query Q1 { publicInfo user(id: "1") { name email role vault { label } ssn } }';

describe('AuthzGateway, filter mode', () => {
  it('withholds what an anonymous caller may not read: nulls and FORBIDDEN errors, and the subgraph never sees those fields', async () => {
    subgraphs.received.length = 0;
    const { status, data, errors } = await ask(filtering, Q1);
    expect(status).toBe(200);
    expect(data).toEqual({ publicInfo: 'hello', user: { name: 'Ann', email: null, role: null, vault: null, ssn: null } });
    expect(forbidden(errors)).toEqual([
      [['user', 'email'], 'FORBIDDEN', 'User.email'],
      [['user', 'role'], 'FORBIDDEN', 'Role'],
      [['user', 'vault'], 'FORBIDDEN', 'Vault'],
      [['user', 'ssn'], 'FORBIDDEN', 'User.ssn'],
    ]);
    expect(errors?.[0]).toMatchObject({ message: 'Unauthorized field or type: User.email (needs scope read:email)', extensions: { missing: { authenticated: false, scopes: [['read:email']], policies: [] } } });
    expect(subgraphs.received.map((r) => r.subgraph)).toEqual(['users']);
    expect(subgraphs.received[0]?.query).not.toMatch(/email|role|vault|ssn/);
  });

  it('serves the same operation in full to a caller who holds everything, from its own query plan, never the filtered one', async () => {
    await ask(filtering, Q1);
    subgraphs.received.length = 0;
    const alice = await ask(filtering, Q1, 'alice');
    expect(alice.data).toEqual({ publicInfo: 'hello', user: { name: 'Ann', email: 'ann@example.com', role: 'ADMIN', vault: { label: 'ann-vault' }, ssn: '111' } });
    expect(alice.errors).toBeUndefined();
    expect(subgraphs.received[0]?.query).toMatch(/email.*role.*vault.*ssn/s);
    subgraphs.received.length = 0;
    expect((await ask(filtering, Q1)).data?.user.email).toBeNull();
    expect(subgraphs.received[0]?.query).not.toMatch(/email/);
  });

  it('serves a field that needs one of two scopes and withholds one that needs two, naming the scope still missing', async () => {
    const { data, errors } = await ask(filtering, '{ user(id: "1") { name phone salary } }', 'bob');
    expect(data).toEqual({ user: { name: 'Ann', phone: '+1-555-0101', salary: null } });
    expect(errors).toEqual([
      {
        message: 'Unauthorized field or type: User.salary (needs scope read:salary)',
        locations: [{ line: 1, column: 30 }],
        path: ['user', 'salary'],
        extensions: { code: 'FORBIDDEN', coordinate: 'User.salary', missing: { authenticated: false, scopes: [['read:salary']], policies: [] } },
      },
    ]);
  });

  it('never sends a withheld mutation field to its subgraph, and runs it for a caller who holds the scope', async () => {
    subgraphs.received.length = 0;
    const bob = await ask(filtering, 'mutation Pay { note(text: "hi") refund(orderId: "o-1") }', 'bob');
    expect(bob.data).toEqual({ note: 'noted: hi', refund: null });
    expect(forbidden(bob.errors)).toEqual([[['refund'], 'FORBIDDEN', 'Mutation.refund']]);
    expect(subgraphs.received.map((r) => r.query).join('\n')).not.toContain('refund');
    expect(subgraphs.refunds()).toBe(0);
    const anonymous = await ask(filtering, 'mutation { refund(orderId: "o-1") }');
    expect(anonymous.data).toEqual({ refund: null });
    expect(subgraphs.refunds()).toBe(0);
    const carol = await ask(filtering, 'mutation Pay { note(text: "hi") refund(orderId: "o-1") }', 'carol');
    expect(carol.data).toEqual({ note: 'noted: hi', refund: true });
    expect(subgraphs.refunds()).toBe(1);
  });

  it('withholds an entity field of the other subgraph without calling that subgraph, and one inside it per item', async () => {
    subgraphs.received.length = 0;
    const anonymous = await ask(filtering, '{ user(id: "1") { name orders { id } } }');
    expect(anonymous.data).toEqual({ user: { name: 'Ann', orders: null } });
    expect(forbidden(anonymous.errors)).toEqual([[['user', 'orders'], 'FORBIDDEN', 'User.orders']]);
    expect(subgraphs.received.map((r) => r.subgraph)).toEqual(['users']);

    subgraphs.received.length = 0;
    const alice = await ask(filtering, '{ user(id: "1") { orders { id total } } }', 'alice');
    expect(alice.data).toEqual({ user: { orders: [{ id: 'o-1', total: null }] } });
    expect(forbidden(alice.errors)).toEqual([[['user', 'orders', 0, 'total'], 'FORBIDDEN', 'Order.total']]);
    expect(subgraphs.received.find((r) => r.subgraph === 'orders')?.query).not.toContain('total');
    expect((await ask(filtering, '{ user(id: "1") { orders { id total } } }', 'bob')).data).toEqual({ user: { orders: [{ id: 'o-1', total: 9.5 }] } });
  });

  it('forwards the caller’s Authorization header to every subgraph it calls', async () => {
    subgraphs.received.length = 0;
    await ask(filtering, '{ user(id: "1") { name orders { id } } }', 'bob');
    expect(subgraphs.received.map((r) => [r.subgraph, r.authorization])).toEqual([
      ['users', 'Bearer bob'],
      ['orders', 'Bearer bob'],
    ]);
  });

  it('asks the authorizer once per operation, for everything it touches, and not at all when it touches nothing protected', async () => {
    filtering.authorizer.asked.length = 0;
    await ask(filtering, '{ publicInfo users { name } __schema { queryType { name } } }', 'bob');
    expect(filtering.authorizer.asked).toEqual([]);
    await ask(filtering, '{ a: user(id: "1") { email ...P } b: users { email salary } } fragment P on User { ssn orders { total } }', 'bob');
    expect(filtering.authorizer.asked).toHaveLength(1);
    const { needed } = filtering.authorizer.asked[0]!;
    expect({ ...needed, scopes: [...needed.scopes].sort(), policies: [...needed.policies].sort() }).toEqual({
      authenticated: true,
      scopes: ['read:email', 'read:hr', 'read:salary'],
      policies: ['finance', 'pii_reader'],
      touched: true,
    });
  });

  it('hands each decision to decided() with its denials, and adds what it returns to the response’s extensions', async () => {
    filtering.authorizer.decisions.length = 0;
    const { extensions } = await ask(filtering, 'query Team { users { name email } }', 'bob');
    expect(extensions).toEqual({ authz: { denied: ['User.email'] } });
    const [decision] = filtering.authorizer.decisions;
    expect(decision).toMatchObject({
      operationName: 'Team',
      mode: 'filter',
      context: { subject: 'bob', authorization: 'Bearer bob' },
      grants: { authenticated: true },
      denials: [{ path: ['users', '@', 'email'], coordinate: 'User.email', missing: { authenticated: false, scopes: [['read:email']], policies: [] } }],
    });
    await ask(filtering, 'query Mine { user(id: "1") { email } }', 'alice');
    expect(filtering.authorizer.decisions[1]).toMatchObject({ operationName: 'Mine', denials: [] });
  });

  it('refuses the operation (503, UNAVAILABLE, nothing executed) when the authorizer fails, without its message', async () => {
    subgraphs.received.length = 0;
    const { status, data, errors, text } = await ask(filtering, '{ user(id: "1") { email } }', 'broken');
    expect(status).toBe(503);
    expect(data).toBeUndefined();
    expect(errors).toEqual([{ message: 'Authorization is unavailable', extensions: { code: 'UNAVAILABLE' } }]);
    expect(text).not.toContain('10.0.0.9');
    expect(subgraphs.received).toEqual([]);
    expect(filtering.logged.at(-1)).toBe('AuthzGateway: the authorizer failed, operation (anonymous) refused: identity graph at 10.0.0.9 timed out');
  });

  it('builds its requirements from the original supergraph although ApolloGateway only ever saw the stripped one', () => {
    expect(filtering.gateway.requirements?.fields.get('User.email')?.scopes).toEqual([['read:email']]);
  });

  it('checks the variables of the whole operation before anything runs, those of withheld fields too (400, as Apollo Server)', async () => {
    subgraphs.received.length = 0;
    filtering.authorizer.asked.length = 0;
    const { status, data, errors } = await ask(filtering, 'mutation M($o: ID!) { note(text: "x") refund(orderId: $o) }');
    expect(status).toBe(400);
    expect(data).toBeUndefined();
    expect(errors).toEqual([{ message: 'Variable "$o" of required type "ID!" was not provided.', locations: [{ line: 1, column: 12 }], extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(subgraphs.received).toEqual([]);
    expect(filtering.authorizer.asked).toEqual([]);
  });

  it('answers 400 and runs nothing when Apollo Server resolved no operation (operationName "")', async () => {
    subgraphs.received.length = 0;
    for (const query of ['mutation { note(text: "x") }', 'query A { publicInfo } query B { user(id: "1") { email } }']) {
      const { status, data, errors } = await ask(filtering, query, undefined, undefined, '');
      expect(status).toBe(400);
      expect(data).toBeUndefined();
      expect(errors).toEqual([{ message: 'Unknown operation named "".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }]);
    }
    expect(subgraphs.received).toEqual([]);
  });

  it('keeps a client’s own alias __idgraph_typename apart from the one it asks for', async () => {
    const { data } = await ask(filtering, '{ search(term: "x") { ... on User { __idgraph_typename: name email } } }');
    expect(data).toEqual({ search: [{ __idgraph_typename: 'Bob', email: null }, {}] });
  });
});

describe('AuthzGateway, reject mode', () => {
  let rejecting: Running;
  beforeAll(async () => {
    rejecting = await startGateway(composeFixture(subgraphs.urls).supergraphSdl, { mode: 'reject' });
    started.push(rejecting);
  });

  it('refuses an operation that selects anything the caller may not read: 403, errors only, nothing executed', async () => {
    subgraphs.received.length = 0;
    const { status, data, errors } = await ask(rejecting, '{ publicInfo users { name email } }');
    expect(status).toBe(403);
    expect(data).toBeUndefined();
    expect(errors).toEqual([
      {
        message: 'Unauthorized field or type: User.email (needs scope read:email)',
        locations: [{ line: 1, column: 27 }],
        path: ['users', '@', 'email'],
        extensions: { code: 'FORBIDDEN', coordinate: 'User.email', missing: { authenticated: false, scopes: [['read:email']], policies: [] } },
      },
    ]);
    expect(subgraphs.received).toEqual([]);
    expect(rejecting.authorizer.decisions.at(-1)).toMatchObject({ mode: 'reject', denials: [{ coordinate: 'User.email' }] });
  });

  it('reads @skip from the variables’ defaults: a skipped field is not refused', async () => {
    const { status, data, errors } = await ask(rejecting, 'query Q($s: Boolean = true) { publicInfo user(id: "1") { name email @skip(if: $s) } }');
    expect(status).toBe(200);
    expect(errors).toBeUndefined();
    expect(data).toEqual({ publicInfo: 'hello', user: { name: 'Ann' } });
    expect((await ask(rejecting, 'query Q($s: Boolean = true) { user(id: "1") { email @skip(if: $s) } }', undefined, { s: false })).status).toBe(403);
  });

  it('runs an operation the caller may read in full', async () => {
    const { status, data, errors } = await ask(rejecting, '{ publicInfo users { name email } }', 'alice');
    expect(status).toBe(200);
    expect(errors).toBeUndefined();
    expect(data).toEqual({ publicInfo: 'hello', users: [{ name: 'Ann', email: 'ann@example.com' }, { name: 'Bob', email: 'bob@example.com' }] });
  });
});

describe('AuthzGateway, not enforcing', () => {
  it('serves everything untouched and asks nobody (the benchmark’s baseline)', async () => {
    const open = await startGateway(composeFixture(subgraphs.urls).supergraphSdl, { enforce: false });
    started.push(open);
    const { data, errors } = await ask(open, Q1);
    expect(errors).toBeUndefined();
    expect(data?.user).toMatchObject({ email: 'ann@example.com', ssn: '111' });
    expect(open.authorizer.asked).toEqual([]);
  });
});

describe('AuthzGateway when something is down', () => {
  it('answers SUBGRAPH_UNAVAILABLE for a subgraph that is down, without its URL, and keeps serving the rest', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/graphql`;
    await new Promise((resolve) => probe.close(resolve));
    const degraded = await startGateway(composeFixture({ users: subgraphs.urls.users, orders: deadUrl }).supergraphSdl);
    started.push(degraded);

    const { status, data, errors, text } = await ask(degraded, '{ publicInfo user(id: "1") { name orders { id } } }', 'bob');
    expect(status).toBe(200);
    expect(data).toEqual({ publicInfo: 'hello', user: { name: 'Ann', orders: null } });
    expect(errors).toEqual([{ message: 'Subgraph "orders" is unavailable', extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'orders' } }]);
    expect(text).not.toContain(deadUrl.slice(0, -'/graphql'.length));
    expect((await ask(degraded, '{ publicInfo }')).data).toEqual({ publicInfo: 'hello' });
  });

  it('refuses every operation (503) when it cannot read the supergraph’s requirements: it fails closed', async () => {
    const malformed = composeFixture(subgraphs.urls).supergraphSdl.replace('@requiresScopes(scopes: [["read:email"]])', '@requiresScopes(scopes: [[1]])');
    const blind = await startGateway(malformed);
    started.push(blind);
    expect(blind.gateway.requirements).toBeUndefined();
    expect(blind.logged.join('\n')).toContain('User.email: @requiresScopes(scopes:) must be a list of lists of strings');
    const { status, errors } = await ask(blind, '{ publicInfo }');
    expect(status).toBe(503);
    expect(errors).toEqual([{ message: 'The gateway cannot authorize operations: no supergraph is loaded', extensions: { code: 'UNAVAILABLE' } }]);
  });

  it('refuses every operation (503) when the supergraph it loaded was stripped elsewhere: its original is unknown, not empty', async () => {
    const sdl = composeFixture(subgraphs.urls).supergraphSdl;
    // Another gateway of the process stripped the very same SDL: its original is that gateway's, not this one's.
    await startGateway(sdl).then((other) => started.push(other));
    const stripped = await startGateway(stripSecurityFeatures(sdl), { direct: true });
    started.push(stripped);
    expect(stripped.gateway.requirements).toBeUndefined();
    expect(stripped.logged.join('\n')).toContain('its original is unknown');
    expect((await ask(stripped, '{ user(id: "1") { email } }')).status).toBe(503);
  });
});

describe('AuthzGateway, supergraphs', () => {
  it('keeps the originals of each gateway apart: several loading at once in one process each read their own', async () => {
    const sdls = [1, 2, 3, 4, 5, 6].map((i) => composeFixture(subgraphs.urls).supergraphSdl.replace('[["read:email"]]', `[["read:email-${i}"]]`));
    const gateways = await Promise.all(sdls.map((sdl) => startGateway(sdl)));
    started.push(...gateways);
    expect(gateways.map((g) => g.gateway.requirements?.fields.get('User.email')?.scopes)).toEqual([1, 2, 3, 4, 5, 6].map((i) => [[`read:email-${i}`]]));
  });

  it('applies an update that changes only a security directive', async () => {
    const v1 = composeFixture(subgraphs.urls).supergraphSdl;
    const v2 = v1.replace(/(\n\s*name: String @join__field\(graph: USERS\))/, '$1 @requiresScopes(scopes: [["read:name"]])');
    expect(v2).not.toBe(v1);
    let push: ((sdl: string) => void) | undefined;
    const updating = await startGateway({
      initialize: async ({ update }) => {
        push = update;
        return { supergraphSdl: v1 };
      },
    });
    started.push(updating);
    expect((await ask(updating, '{ user(id: "1") { name } }')).data).toEqual({ user: { name: 'Ann' } });
    push!(v2);
    expect(updating.gateway.requirements?.fields.get('User.name')?.scopes).toEqual([['read:name']]);
    const { data, errors } = await ask(updating, '{ user(id: "1") { name } }');
    expect(data).toEqual({ user: { name: null } });
    expect(forbidden(errors)).toEqual([[['user', 'name'], 'FORBIDDEN', 'User.name']]);
  });
});
