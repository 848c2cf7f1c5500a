/**
 * Neo4jStore's own logic over a recording stand-in for the server (fake-neo4j.ts): what it sends, in
 * which order and session, and what it makes of the answers. The Cypher's behaviour on a real server is
 * the conformance suite's (test/conformance/neo4j.test.ts).
 */
import neo4j, { Neo4jError } from 'neo4j-driver';
import { beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, firstBrokenLink } from '../../../src/model/audit-chain.js';
import { IdGraphError } from '../../../src/model/errors.js';
import type { EdgeRecord, NodeRecord } from '../../../src/model/records.js';
import { NODE_LABELS } from '../../../src/model/vocabulary.js';
import type { WriteBatch } from '../../../src/store/port.js';
import { Neo4jStore } from '../../../src/store/neo4j/neo4j-store.js';
import { FakeNeo4j } from './fake-neo4j.js';

const audit = { actor: 'alice', action: 'import' };
const identity = (id: string, props: Record<string, unknown> = {}): NodeRecord => ({ label: 'Identity', id, props: { name: id, kind: 'BOT', ...props } });
const group = (id: string): NodeRecord => ({ label: 'Group', id, props: { name: id } });
const memberOf = (from: string, to: string, props: Record<string, unknown> = {}, fromLabel: 'Identity' | 'Group' = 'Identity'): EdgeRecord => ({
  type: 'MEMBER_OF',
  from,
  to,
  fromLabel,
  toLabel: 'Group',
  key: typeof props['id'] === 'string' ? props['id'] : '',
  props,
});

let fake: FakeNeo4j;
let store: Neo4jStore;
const bookmarks = neo4j.bookmarkManager();

beforeEach(() => {
  fake = new FakeNeo4j();
  store = new Neo4jStore(fake.driver(), 'bolt://fake:7687', 'graph', bookmarks);
});

async function all<T>(batches: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

const estate: WriteBatch = {
  nodes: [identity('sa:a', { tags: ['x', 'y'], score: 1.5 }), identity('sa:b'), group('grp:1'), group('grp:2')],
  edges: [
    memberOf('sa:a', 'grp:1', { status: 'ACTIVE', grantedAt: '2026-01-05T10:00:00Z' }),
    memberOf('sa:a', 'grp:1', { id: 'second' }),
    memberOf('sa:b', 'grp:2'),
    memberOf('grp:1', 'grp:2', {}, 'Group'),
  ],
  audit,
};

describe('Neo4jStore.write', () => {
  it('locks the audit head first, checks labels, writes nodes before edges, then appends the event, in one write session', async () => {
    await store.write(estate);
    expect(fake.runs.map((run) => `${run.name}${run.vars.label ? `:${run.vars.label}` : ''}${run.vars.from ? `:${run.vars.from}` : ''}`)).toEqual([
      'lock_audit_head',
      // The batch has Identity and Group ids, so every label table is asked for the ids of the others.
      ...NODE_LABELS.map((label) => `get_nodes:${label}`),
      'upsert_nodes:Identity',
      'upsert_nodes:Group',
      'upsert_edges:Identity',
      'upsert_edges:Group',
      'append_audit',
    ]);
    expect(fake.sessions).toEqual([{ bookmarkManager: bookmarks, defaultAccessMode: neo4j.session.WRITE, database: 'graph' }]);
    expect(fake.runs.find((run) => run.name === 'upsert_nodes')!.params['seq']).toEqual(neo4j.int(1));
    expect(fake.runs.find((run) => run.vars.label === 'Identity')!.params['ids']).toEqual(['grp:1', 'grp:2']);
  });

  it('numbers commits from 1 and chains their events from the genesis hash', async () => {
    const first = await store.write({ nodes: [group('grp:1')], edges: [], audit: { ...audit, at: '2026-01-01T00:00:00Z' } });
    const second = await store.write({ nodes: [], edges: [], audit: { actor: 'bob', action: 'noop', targets: ['grp:1'], reason: 'why' } });
    expect([first.sequence, second.sequence]).toEqual([1, 2]);
    expect(first.event).toMatchObject({ at: '2026-01-01T00:00:00Z', decision: 'NONE', targets: [], policyIds: [], reason: '', prevHash: GENESIS_HASH });
    expect(second.event.prevHash).toBe(first.event.hash);
    const events = await store.auditEvents(0, 10);
    expect(events).toEqual([first.event, second.event]);
    expect(firstBrokenLink(events)).toBeUndefined();
    expect(await store.lastSequence()).toBe(2);
  });

  it('fails CONFLICT naming an edge whose endpoint is missing, and writes nothing of the batch', async () => {
    await store.write({ nodes: [group('grp:1')], edges: [], audit });
    const attempt = store.write({ nodes: [identity('sa:new')], edges: [memberOf('sa:new', 'grp:1'), memberOf('sa:ghost', 'grp:1')], audit });
    await expect(attempt).rejects.toMatchObject({
      code: 'CONFLICT',
      message: '1 edge(s) name an endpoint that is not in the store: MEMBER_OF sa:ghost -> grp:1; nothing was written',
    });
    expect(await store.getNodes(['sa:new'])).toEqual([undefined]);
    expect(await store.lastSequence()).toBe(1);
  });

  it('refuses a nested prop before running any statement', async () => {
    await expect(store.write({ nodes: [identity('sa:a', { meta: { a: 1 } })], edges: [], audit })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [{ path: 'nodes[0].props.meta' }],
    });
    expect(fake.runs).toEqual([]);
  });

  it('sends at most 2000 rows per statement', async () => {
    const nodes = Array.from({ length: 2500 }, (_, i) => group(`grp:${String(i).padStart(4, '0')}`));
    await store.write({ nodes, edges: [], audit });
    const upserts = fake.runs.filter((run) => run.name === 'upsert_nodes');
    expect(upserts.map((run) => (run.params['rows'] as unknown[]).length)).toEqual([2000, 500]);
  });
});

describe('Neo4jStore reads', () => {
  beforeEach(async () => {
    await store.write(estate);
    fake.runs.length = 0;
    fake.sessions.length = 0;
  });

  it('getNodes returns one entry per id, in order, props exactly as written', async () => {
    expect(await store.getNodes(['grp:2', 'sa:nope', 'sa:a', 'grp:2'])).toEqual([
      estate.nodes[3],
      undefined,
      estate.nodes[0],
      estate.nodes[3],
    ]);
    expect(fake.sessions.every((config) => config.defaultAccessMode === neo4j.session.READ && config.bookmarkManager === bookmarks)).toBe(true);
  });

  it('getEdges returns one entry per key, in order, across the label pairs a type allows', async () => {
    const keys = [estate.edges[3]!, { type: 'MEMBER_OF' as const, from: 'sa:a', to: 'grp:2', key: '' }, estate.edges[1]!, estate.edges[0]!];
    expect(await store.getEdges(keys)).toEqual([estate.edges[3], undefined, estate.edges[1], estate.edges[0]]);
  });

  it('scanNodes and scanEdges yield everything once, in batches of at most batchSize', async () => {
    const nodeBatches = await all(store.scanNodes(1));
    expect(nodeBatches.every((batch) => batch.length === 1)).toBe(true);
    expect(nodeBatches.flat().map((node) => node.id).sort()).toEqual(['grp:1', 'grp:2', 'sa:a', 'sa:b']);
    const edgeBatches = await all(store.scanEdges(1));
    expect(edgeBatches.every((batch) => batch.length === 1)).toBe(true);
    expect(edgeBatches.flat()).toHaveLength(4);
    const byKey = (a: EdgeRecord, b: EdgeRecord) => JSON.stringify(a).localeCompare(JSON.stringify(b));
    expect(edgeBatches.flat().sort(byKey)).toEqual([...estate.edges].sort(byKey));
    // sa:a has two edges: one page (one source node), yielded in two slices.
    const scanned = fake.runs.filter((run) => run.name === 'scan_edges' && run.vars.type === 'MEMBER_OF' && run.vars.from === 'Identity');
    expect(scanned.map((run) => run.params['after'])).toEqual(['', 'sa:a', 'sa:b']);
  });

  it('changesSince returns what later commits wrote, their events, and the last sequence', async () => {
    await store.write({ nodes: [identity('sa:c')], edges: [memberOf('sa:c', 'grp:1')], audit });
    const changes = await store.changesSince(1);
    expect(changes.sequence).toBe(2);
    expect(changes.nodes.map((node) => node.id)).toEqual(['sa:c']);
    expect(changes.edges.map((edge) => `${edge.from}->${edge.to}`)).toEqual(['sa:c->grp:1']);
    expect(changes.events.map((event) => event.sequence)).toEqual([2]);
    expect(await store.changesSince(2)).toEqual({ sequence: 2, nodes: [], edges: [], events: [] });
    expect((await store.changesSince(0)).nodes).toHaveLength(5);
  });

  it('maps a driver failure to UNAVAILABLE and refuses work once closed', async () => {
    fake.failOn = { name: 'get_nodes', error: new Neo4jError('gone', 'ServiceUnavailable', '08000', 'desc') };
    await expect(store.getNodes(['sa:a'])).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'Neo4j at bolt://fake:7687 is unavailable: gone' });
    await store.close();
    await expect(store.lastSequence()).rejects.toBeInstanceOf(IdGraphError);
    await expect(store.auditEvents(-1, 1)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
