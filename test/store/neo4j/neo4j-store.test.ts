/**
 * The Neo4j adapter without a server: opening against a port that refuses or a peer that never speaks
 * (for real, on 127.0.0.1), URI handling, the write plan (what Neo4j cannot store is refused before any
 * transaction), value conversion and error mapping. The adapter against a real server is the
 * conformance suite (test/conformance/neo4j.test.ts, when NEO4J_URI is set).
 */
import { createServer, type Server, type Socket } from 'node:net';
import neo4j, { Neo4jError } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdGraphError } from '../../../src/model/errors.js';
import type { EdgeRecord, NodeRecord } from '../../../src/model/records.js';
import { toStoreError } from '../../../src/store/neo4j/neo4j-errors.js';
import { openNeo4jStore } from '../../../src/store/neo4j/neo4j-store.js';
import { parseNeo4jUri, redactUri } from '../../../src/store/neo4j/neo4j-uri.js';
import { readAuditEvent, readProps, storableProps } from '../../../src/store/neo4j/neo4j-values.js';
import { planWrite } from '../../../src/store/neo4j/neo4j-write-plan.js';

/** The IdGraphError a promise rejects with, and how long it took. */
async function failure(promise: Promise<unknown>): Promise<{ error: IdGraphError; ms: number }> {
  const started = performance.now();
  const error = await promise.then(
    () => expect.fail('expected a rejection'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(IdGraphError);
  return { error: error as IdGraphError, ms: performance.now() - started };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

describe('openNeo4jStore, when Neo4j does not answer', () => {
  let closedPort = 0;
  let silentPort = 0;
  const silent = createServer((socket) => sockets.push(socket));
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const probe = createServer();
    closedPort = await listen(probe);
    await new Promise((resolve) => probe.close(resolve));
    silentPort = await listen(silent);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  for (const scheme of ['bolt', 'neo4j']) {
    it(`fails UNAVAILABLE within 10 s on a closed port (${scheme}://), naming the URI and hiding the password`, async () => {
      const uri = `${scheme}://neo4j:s3cret@127.0.0.1:${closedPort}`;
      const { error, ms } = await failure(openNeo4jStore({ uri, password: 'other-s3cret' }));
      expect(ms).toBeLessThan(10_000);
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.message).toMatch(
        new RegExp(`^Neo4j at ${scheme}://127\\.0\\.0\\.1:${closedPort} did not answer within 5s: .*ECONNREFUSED`),
      );
      expect(error.message).not.toContain('s3cret');
    });
  }

  it('fails UNAVAILABLE within 10 s with the default budget when the peer accepts and never speaks Bolt', async () => {
    const { error, ms } = await failure(openNeo4jStore({ uri: `neo4j://127.0.0.1:${silentPort}`, database: 'graph' }));
    expect(ms).toBeLessThan(10_000);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(new RegExp(`^Neo4j at neo4j://127\\.0\\.0\\.1:${silentPort}/graph did not answer within 5s: `));
  });

  it('keeps to a shorter budget when given one', async () => {
    const { error, ms } = await failure(openNeo4jStore({ uri: `bolt://127.0.0.1:${silentPort}`, connectTimeoutMs: 800 }));
    expect(ms).toBeLessThan(800 + 1500);
    expect(error.message).toContain('did not answer within 0.8s');
  });
});

describe('openNeo4jStore, with bad options', () => {
  it('refuses an unsupported scheme with BAD_USER_INPUT, quoting the URI without its password', async () => {
    const { error } = await failure(openNeo4jStore({ uri: 'http://neo4j:s3cret@localhost:7474' }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe(
      'Unsupported Neo4j URI scheme "http:" in "http://neo4j:***@localhost:7474"; expected one of neo4j://, neo4j+s://, bolt://, bolt+s://',
    );
  });

  it('refuses a malformed URI, a URI without host and a non-positive timeout', async () => {
    expect((await failure(openNeo4jStore({ uri: 'localhost:7687' }))).error.message).toMatch(/^Unsupported Neo4j URI scheme "localhost:"/);
    expect((await failure(openNeo4jStore({ uri: 'not a uri' }))).error.message).toMatch(/^Invalid Neo4j URI "not a uri"/);
    expect((await failure(openNeo4jStore({ uri: 'bolt://' }))).error.message).toMatch(/names no host/);
    const { error } = await failure(openNeo4jStore({ uri: 'bolt://localhost', connectTimeoutMs: 0 }));
    expect(error.message).toBe('connectTimeoutMs must be a positive number of milliseconds, got 0');
  });
});

describe('parseNeo4jUri', () => {
  it('takes credentials out of the URI and keeps the routing context for the driver', () => {
    expect(parseNeo4jUri('neo4j+s://app:p%40ss@db.example.com:7687/?policy=eu', 'graph')).toEqual({
      scheme: 'neo4j+s',
      driverUri: 'neo4j+s://db.example.com:7687?policy=eu',
      location: 'neo4j+s://db.example.com:7687/graph',
      user: 'app',
      password: 'p@ss',
    });
    expect(parseNeo4jUri('bolt://localhost').location).toBe('bolt://localhost');
  });

  it('hides a password holding "@" or ":" whole when quoting a URI', () => {
    expect(redactUri('bolt://u:p@ss:w@host:7687/x')).toBe('bolt://u:***@host:7687/x');
    expect(redactUri('bolt://u@host')).toBe('bolt://u@host');
  });
});

const audit = { actor: 'test', action: 'write' };
const node = (id: string, props: Record<string, unknown>): NodeRecord => ({ label: 'Identity', id, props });
const edge = (from: string, to: string, props: Record<string, unknown> = {}): EdgeRecord => ({
  type: 'MEMBER_OF',
  from,
  to,
  fromLabel: 'Identity',
  toLabel: 'Group',
  key: '',
  props,
});

describe('planWrite', () => {
  it('refuses a nested object with BAD_USER_INPUT naming the property, and reports every problem', () => {
    const batch = {
      nodes: [node('sa:a', { name: 'a', meta: { team: 'x' } }), node('sa:b', { name: 'b', tags: [{ k: 1 }], mixed: ['a', 1], _seq: 3 })],
      edges: [edge('sa:a', 'grp:x', { notes: { a: 1 } }), { ...edge('sa:a', 'role:x'), toLabel: 'Role' as const, type: 'OWNS' as const }],
      audit,
    };
    let error: unknown;
    try {
      planWrite(batch);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IdGraphError);
    const { code, message, issues } = error as IdGraphError;
    expect(code).toBe('BAD_USER_INPUT');
    expect(message).toBe(
      'Cannot write to Neo4j: nodes[0].props.meta: is a nested object; Neo4j properties hold only scalars and lists of one scalar type (node "sa:a") (and 5 more)',
    );
    expect(issues.map((issue) => `${issue.path}: ${issue.message.split(';')[0]}`)).toEqual([
      'nodes[0].props.meta: is a nested object',
      'nodes[1].props.tags: is a list holding an object',
      'nodes[1].props.mixed: is a list mixing number and string',
      'nodes[1].props._seq: "_seq" is reserved by the Neo4j store',
      'edges[0].props.notes: is a nested object',
      'edges[1]: OWNS does not join Identity to Role',
    ]);
  });

  it('groups rows by label and by (type, from, to), nodes first, in chunks, dropping null and undefined', () => {
    const plan = planWrite(
      {
        nodes: [node('sa:a', { name: 'a', lastSeenAt: null, tags: ['x', 'y'] }), node('sa:b', { name: 'b', kind: undefined })],
        edges: [edge('sa:a', 'grp:x', { id: 'k1' }), edge('sa:b', 'grp:x'), edge('sa:a', 'grp:y')],
      },
      2,
    );
    expect(plan.nodes).toEqual([{ label: 'Identity', rows: [{ id: 'sa:a', props: { name: 'a', tags: ['x', 'y'] } }, { id: 'sa:b', props: { name: 'b' } }] }]);
    expect(plan.edges.map((group) => [group.type, group.from, group.to, group.rows.map((row) => row.i)])).toEqual([
      ['MEMBER_OF', 'Identity', 'Group', [0, 1]],
      ['MEMBER_OF', 'Identity', 'Group', [2]],
    ]);
    expect(plan.edges[0]!.rows[0]).toEqual({ i: 0, from: 'sa:a', to: 'grp:x', key: '', props: { id: 'k1' } });
  });
});

describe('values read back from Neo4j', () => {
  it('strip system keys and turn Integers into numbers (strings when unsafe)', () => {
    const raw = { id: 'sa:a', _seq: neo4j.int(7), name: 'a', count: neo4j.int(3), huge: neo4j.int('9007199254740993'), list: [neo4j.int(1)] };
    expect(readProps(raw, ['id', '_seq'])).toEqual({ name: 'a', count: 3, huge: '9007199254740993', list: [1] });
  });

  it('round-trip every storable value unchanged', () => {
    const props = { s: 'x', n: 1.5, i: 3, b: false, strings: ['a'], numbers: [1, 2.5], empty: [] };
    expect(readProps(storableProps(props, 'p', []).props, [])).toEqual(props);
  });

  it('read an audit event with its lists and integer sequence', () => {
    const raw = { sequence: neo4j.int(4), at: 't', actor: 'a', action: 'x', targets: ['sa:a'], decision: 'NONE', policyIds: [], reason: '', requestId: 'r-1', prevHash: 'p', hash: 'h' };
    expect(readAuditEvent(raw)).toEqual({ ...raw, sequence: 4 });
    // Events written before the field existed read back with an empty request id.
    const { requestId: _, ...older } = raw;
    expect(readAuditEvent(older)).toEqual({ ...raw, sequence: 4, requestId: '' });
  });
});

describe('toStoreError', () => {
  const at = 'neo4j://db:7687';
  const driverError = (code: string) => new Neo4jError('first line\nadvice', code, '50N42', 'desc');

  it('maps what the caller can act on', () => {
    const mapped = (code: string) => {
      const error = toStoreError(driverError(code), at) as IdGraphError;
      return `${error.code} ${error.message}`;
    };
    expect(mapped('Neo.ClientError.Security.Unauthorized')).toBe(`UNAVAILABLE Neo4j at ${at} refused the credentials: first line`);
    expect(mapped('ServiceUnavailable')).toBe(`UNAVAILABLE Neo4j at ${at} is unavailable: first line`);
    expect(mapped('Neo.ClientError.Schema.ConstraintValidationFailed')).toBe(`CONFLICT Neo4j at ${at} refused the write: first line`);
    expect(mapped('Neo.ClientError.Statement.SyntaxError')).toMatch(/^INTERNAL /);
  });

  it('passes IdGraphErrors and non-driver errors through', () => {
    const own = new IdGraphError('CONFLICT', 'x');
    const bug = new TypeError('y');
    expect(toStoreError(own, at)).toBe(own);
    expect(toStoreError(bug, at)).toBe(bug);
  });
});
