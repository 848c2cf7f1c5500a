/**
 * A Neo4j write is one managed transaction function, which the driver runs again after a retryable
 * error. When the commit succeeded and only its acknowledgement was lost, the rerun must return that
 * commit, not append a second audit event. Over the recording fake (fake-neo4j.ts), which retries like
 * the driver.
 */
import neo4j, { Neo4jError } from 'neo4j-driver';
import { beforeEach, describe, expect, it } from 'vitest';
import { firstBrokenLink } from '../../../src/model/audit-chain.js';
import type { NodeRecord } from '../../../src/model/records.js';
import { Neo4jStore } from '../../../src/store/neo4j/neo4j-store.js';
import { FakeNeo4j } from './fake-neo4j.js';

const audit = { actor: 'alice', action: 'import' };
const group = (id: string): NodeRecord => ({ label: 'Group', id, props: { name: id } });
const transient = () => new Neo4jError('connection reset', 'ServiceUnavailable', '08000', 'desc');

let fake: FakeNeo4j;
let store: Neo4jStore;

beforeEach(() => {
  fake = new FakeNeo4j();
  store = new Neo4jStore(fake.driver(), 'bolt://fake:7687', 'graph', neo4j.bookmarkManager());
});

const appended = () => fake.runs.filter((run) => run.name === 'append_audit').map((run) => run.params['event'] as Record<string, unknown>);

describe('Neo4jStore.write, retried by the driver', () => {
  it('returns the commit of an attempt whose acknowledgement was lost, and appends one event', async () => {
    const first = await store.write({ nodes: [group('grp:1')], edges: [], audit });
    fake.loseAck = transient();
    const commit = await store.write({ nodes: [group('grp:2')], edges: [], audit: { ...audit, action: 'grant' } });
    expect(commit.sequence).toBe(2);
    expect(commit.event).toMatchObject({ sequence: 2, action: 'grant', prevHash: first.event.hash });
    const events = await store.auditEvents(0, 10);
    expect(events).toEqual([first.event, commit.event]);
    expect(firstBrokenLink(events)).toBeUndefined();
    expect(await store.lastSequence()).toBe(2);
    // Only the rerun looked, after taking the head lock, for the first attempt's writeId.
    const names = fake.runs.map((run) => run.name);
    const lookups = fake.runs.filter((run) => run.name === 'find_audit_by_write_id');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.params['writeId']).toBe(appended()[1]!['writeId']);
    expect(names[names.indexOf('find_audit_by_write_id') - 1]).toBe('lock_audit_head');
  });

  it('gives every write call its own writeId, the same for all its attempts, stored beside the hash', async () => {
    await store.write({ nodes: [], edges: [], audit });
    await store.write({ nodes: [], edges: [], audit });
    const [a, b] = appended();
    expect(a!['writeId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(b!['writeId']).not.toBe(a!['writeId']);
    // The event the store returns and reads back is the model's: writeId is not part of it or its hash.
    expect(Object.keys((await store.auditEvents(0, 1))[0]!)).not.toContain('writeId');
    expect(fake.state.events[0]!['writeId']).toBe(a!['writeId']);
  });

  it('writes the batch on a rerun after an attempt that failed before its commit', async () => {
    let failures = 0;
    fake.beforeRun = (run) => {
      if (run.name === 'append_audit' && failures++ === 0) throw transient();
    };
    const commit = await store.write({ nodes: [group('grp:1')], edges: [], audit });
    expect(commit.sequence).toBe(1);
    expect(fake.runs.filter((run) => run.name === 'find_audit_by_write_id')).toHaveLength(1);
    expect(await store.auditEvents(0, 10)).toEqual([commit.event]);
    expect(await store.getNodes(['grp:1'])).toEqual([group('grp:1')]);
  });

  it('reports UNAVAILABLE when every attempt fails, having written nothing', async () => {
    fake.failOn = { name: 'append_audit', error: transient() };
    await expect(store.write({ nodes: [group('grp:1')], edges: [], audit })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(fake.state.events).toEqual([]);
    expect(await store.getNodes(['grp:1'])).toEqual([undefined]);
  });
});
