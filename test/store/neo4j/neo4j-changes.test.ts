/**
 * `changesSince` on Neo4j is a consistent cut although Neo4j reads are read committed: over the
 * recording fake (fake-neo4j.ts), another writer's commit lands between two statements of the read,
 * which is what a read-committed server allows, and the change set must still be whole: no edge without
 * its endpoint, nothing from a commit after the sequence it reports.
 */
import neo4j from 'neo4j-driver';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EdgeRecord, NodeRecord } from '../../../src/model/records.js';
import type { ChangeSet, WriteBatch } from '../../../src/store/port.js';
import { MAX_CHANGE_READS } from '../../../src/store/neo4j/neo4j-changes.js';
import { Neo4jStore } from '../../../src/store/neo4j/neo4j-store.js';
import { FakeNeo4j } from './fake-neo4j.js';

const audit = { actor: 'alice', action: 'import' };
const identity = (id: string, props: Record<string, unknown> = {}): NodeRecord => ({ label: 'Identity', id, props: { name: id, kind: 'BOT', ...props } });
const group = (id: string): NodeRecord => ({ label: 'Group', id, props: { name: id } });
const memberOf = (from: string, to: string): EdgeRecord => ({ type: 'MEMBER_OF', from, to, fromLabel: 'Identity', toLabel: 'Group', key: '', props: {} });

let fake: FakeNeo4j;
let store: Neo4jStore;

beforeEach(async () => {
  fake = new FakeNeo4j();
  store = new Neo4jStore(fake.driver(), 'bolt://fake:7687', 'graph', neo4j.bookmarkManager());
  await store.write({ nodes: [identity('sa:a'), group('grp:1')], edges: [memberOf('sa:a', 'grp:1')], audit });
});

/**
 * Commits `batch` as another writer would, landing just before the first run of `statement` in the
 * next read (the fake's data is swapped for the data with the commit).
 */
async function landBefore(statement: string, batch: WriteBatch): Promise<void> {
  const before = fake.copyState();
  await store.write(batch);
  const after = fake.copyState();
  fake.state = before;
  fake.runs.length = 0;
  let landed = false;
  fake.beforeRun = (run) => {
    if (!landed && run.name === statement) {
      landed = true;
      fake.state = after;
    }
  };
}

/** Whole: every edge's endpoints are in the change set or were there at `since`; events since+1..sequence. */
function expectWhole(changes: ChangeSet, since: number, thereAtSince: readonly string[]): void {
  const present = new Set([...thereAtSince, ...changes.nodes.map((node) => node.id)]);
  const dangling = changes.edges.filter((edge) => !present.has(edge.from) || !present.has(edge.to));
  expect(dangling, 'edges without an endpoint').toEqual([]);
  expect(changes.events.map((event) => event.sequence)).toEqual(Array.from({ length: changes.sequence - since }, (_, i) => since + 1 + i));
}

const lastParams = (name: string) => fake.runs.filter((run) => run.name === name).map((run) => (run.params['last'] as neo4j.Integer).toNumber());

describe('Neo4jStore.changesSince, with a commit landing mid-read', () => {
  it('leaves out an edge of a later commit whose new endpoint an earlier statement missed, then reads the cut again', async () => {
    await landBefore('edges_since', { nodes: [identity('sa:new')], edges: [memberOf('sa:new', 'grp:1')], audit });
    const changes = await store.changesSince(0);
    expectWhole(changes, 0, []);
    // The first read was bounded by sequence 1 and so held nothing of commit 2; the last sequence moved
    // meanwhile, so the cut was read again up to 2, with the node and its edge.
    expect(new Set(lastParams('edges_since'))).toEqual(new Set([1, 2]));
    expect(changes.sequence).toBe(2);
    expect(changes.nodes.map((node) => node.id).sort()).toEqual(['grp:1', 'sa:a', 'sa:new']);
    expect(changes.edges).toEqual([memberOf('sa:a', 'grp:1'), memberOf('sa:new', 'grp:1')]);
  });

  it('reads the cut again when a later commit overwrites a node of the range while it is read', async () => {
    await store.write({ nodes: [identity('sa:b')], edges: [memberOf('sa:b', 'grp:1')], audit });
    const renamed = identity('sa:b', { environment: 'prod' });
    await landBefore('nodes_since', { nodes: [renamed], edges: [], audit });
    const changes = await store.changesSince(1);
    // Bounded by 2 alone, sa:b (now of commit 3) would be missing while its edge (commit 2) came through.
    expectWhole(changes, 1, ['sa:a', 'grp:1']);
    expect(changes.sequence).toBe(3);
    expect(changes.nodes).toEqual([renamed]);
    expect(changes.edges).toEqual([memberOf('sa:b', 'grp:1')]);
  });

  it('returns a bounded cut after a few reads when commits keep landing', async () => {
    let next = 2;
    fake.runs.length = 0;
    fake.beforeRun = (run) => {
      // An empty commit (an event only) lands during every read of the range.
      if (run.name === 'audit_events') fake.state.events.push({ sequence: neo4j.int(next++), actor: 'bob', action: 'noop', hash: `h${next}` });
    };
    const changes = await store.changesSince(0);
    expect(fake.runs.filter((run) => run.name === 'last_audit')).toHaveLength(MAX_CHANGE_READS + 1);
    expect(changes.sequence).toBe(MAX_CHANGE_READS);
    expectWhole(changes, 0, []);
    expect(changes.nodes.map((node) => node.id).sort()).toEqual(['grp:1', 'sa:a']);
  });

  it('passes the last sequence it read first to every range statement', async () => {
    await store.write({ nodes: [identity('sa:b')], edges: [], audit });
    fake.runs.length = 0;
    await store.changesSince(0);
    expect(new Set([...lastParams('nodes_since'), ...lastParams('edges_since')])).toEqual(new Set([2]));
  });
});
