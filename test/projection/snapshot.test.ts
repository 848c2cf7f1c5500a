/** The projection snapshot: a file that a server on a large store starts from, checked against the store. */
import { existsSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveQueryOptions } from '../../src/model/query-options.js';
import type { EdgeRecord, NodeRecord } from '../../src/model/records.js';
import { blastRadius, reach, whoCan } from '../../src/paths/index.js';
import { openProjection, SNAPSHOT_FILE } from '../../src/projection/open-projection.js';
import { Projection } from '../../src/projection/projection.js';
import { loadSnapshot, saveSnapshot } from '../../src/projection/snapshot.js';
import { openKuzuStore } from '../../src/store/kuzu/kuzu-store.js';
import type { GraphStore } from '../../src/store/port.js';
import { syntheticEstate } from '../../seed/synthetic.js';
import { dumpAdjacency } from '../support/adjacency-dump.js';
import { tempDir } from '../support/temp-store.js';

const ANCHOR = new Date('2026-11-23T00:00:00Z');
const AT = resolveQueryOptions({ at: ANCHOR.getTime() });

/** A Kuzu store holding a synthetic estate of `identities`, written in two commits; closed after `use`. */
async function withEstate<T>(identities: number, use: (store: GraphStore, dir: string) => Promise<T>, seed = 7): Promise<T> {
  const dir = tempDir();
  const store = await openKuzuStore({ dir });
  try {
    const { nodes, edges } = syntheticEstate({ identities, seed, anchor: ANCHOR });
    await store.write({ nodes, edges: [], audit: { actor: 'test', action: 'seed' } });
    await store.write({ nodes: [], edges, audit: { actor: 'test', action: 'seed' } });
    return await use(store, dir);
  } finally {
    await store.close();
  }
}

/** What the engine answers for a few subjects: the same projection must give the same answers. */
function answers(projection: Projection): unknown {
  const identities = ['id:0', 'id:1', 'id:17', 'cred:3'];
  return {
    reach: identities.map((id) => reach(projection, id, AT).entries),
    whoCan: ['scope:s0:x3', 'scope:s1:x0'].map((id) => whoCan(projection, id, AT).entries),
    blast: ['svc:s0', 'id:5'].map((id) => blastRadius(projection, id, AT).entries),
  };
}

const identity = (id: string): NodeRecord => ({ label: 'Identity', id, props: { name: id, kind: 'BOT' } });
const member = (from: string, to: string): EdgeRecord => ({ type: 'MEMBER_OF', from, to, fromLabel: 'Identity', toLabel: 'Group', key: '', props: { status: 'ACTIVE' } });

describe('saveSnapshot and loadSnapshot', () => {
  it('round-trip a built projection: the same adjacency, sequence and engine answers', async () => {
    await withEstate(120, async (store, dir) => {
      const built = await Projection.build(store);
      const path = join(dir, SNAPSHOT_FILE);
      const saved = await saveSnapshot(built, store, path);
      expect(saved).toMatchObject({ path, sequence: 2 });
      expect(saved!.bytes).toBe(readFileSync(path).length);
      const loaded = await loadSnapshot(store, path);
      expect(loaded.reason).toBeUndefined();
      expect(loaded.projection!.sequence).toBe(2);
      expect(dumpAdjacency(loaded.projection!)).toEqual(dumpAdjacency(built));
      expect(answers(loaded.projection!)).toEqual(answers(built));
      expect(loaded.projection!.stats()).toEqual(built.stats());
    });
  });

  it('keeps edge keys and ids of any characters', async () => {
    await withEstate(3, async (store, dir) => {
      const odd = ['sa:comma,"quote"', 'sa:line\nbreak', 'sa:ünïcødé 🚀', 'sa:tab\tand\\backslash'];
      await store.write({
        nodes: odd.map(identity),
        edges: odd.map((id, i) => ({ ...member(id, 'grp:g0'), key: `k${i}`, props: { id: `k${i}`, origin: 'LOCAL' } })),
        audit: { actor: 'test', action: 'odd' },
      });
      const built = await Projection.build(store);
      const path = join(dir, SNAPSHOT_FILE);
      await saveSnapshot(built, store, path);
      const { projection } = await loadSnapshot(store, path);
      expect(dumpAdjacency(projection!)).toEqual(dumpAdjacency(built));
      for (const id of odd) expect(projection!.idOf(projection!.indexOf(id)!)).toBe(id);
    });
  });

  it('loads a stale snapshot and catches up with what the store committed after it', async () => {
    await withEstate(60, async (store, dir) => {
      const path = join(dir, SNAPSHOT_FILE);
      await saveSnapshot(await Projection.build(store), store, path);
      await store.write({ nodes: [identity('sa:late')], edges: [member('sa:late', 'grp:g1')], audit: { actor: 'test', action: 'late' } });
      await store.write({ nodes: [], edges: [{ ...member('id:3', 'grp:g1'), props: { status: 'REVOKED' } }], audit: { actor: 'test', action: 'revoke' } });
      const loaded = await loadSnapshot(store, path);
      expect(loaded.projection!.sequence).toBe(4);
      expect(loaded.projection!.indexOf('sa:late')).toBeDefined();
      expect(dumpAdjacency(loaded.projection!)).toEqual(dumpAdjacency(await Projection.build(store)));
    });
  });

  it('rejects the snapshot of another store, whose audit event at that sequence has another hash', async () => {
    const path = join(tempDir(), SNAPSHOT_FILE);
    await withEstate(40, async (store) => void (await saveSnapshot(await Projection.build(store), store, path)), 1);
    await withEstate(40, async (store) => {
      const loaded = await loadSnapshot(store, path);
      expect(loaded.projection).toBeUndefined();
      expect(loaded.reason).toMatch(/is of another history: the audit event 2 of kuzu:.* has another hash/);
      const opened = await openProjection(store, { snapshotPath: path });
      expect(opened).toMatchObject({ source: 'scan', reason: loaded.reason });
      expect(dumpAdjacency(opened.projection)).toEqual(dumpAdjacency(await Projection.build(store)));
    }, 2);
  });

  it('rejects a snapshot of a sequence the store does not have (a store replaced by an older one)', async () => {
    await withEstate(10, async (store, dir) => {
      await store.write({ nodes: [identity('sa:x')], edges: [], audit: { actor: 'test', action: 'x' } });
      const path = join(dir, SNAPSHOT_FILE);
      await saveSnapshot(await Projection.build(store), store, path);
      const other = tempDir();
      const older = await openKuzuStore({ dir: other });
      try {
        await older.write({ nodes: [identity('sa:y')], edges: [], audit: { actor: 'test', action: 'y' } });
        expect((await loadSnapshot(older, path)).reason).toMatch(/is of sequence 3, which the store kuzu:.* does not have/);
      } finally {
        await older.close();
      }
    });
  });

  it('rejects a truncated, corrupt, foreign or other-format file, each with its reason, and then scans', async () => {
    await withEstate(30, async (store, dir) => {
      const path = join(dir, SNAPSHOT_FILE);
      const saved = await saveSnapshot(await Projection.build(store), store, path);
      const good = readFileSync(path);
      const reasonFor = async (bytes: Uint8Array): Promise<string | undefined> => {
        writeFileSync(path, bytes);
        return (await loadSnapshot(store, path)).reason;
      };
      expect(await reasonFor(good.subarray(0, saved!.bytes - 100))).toMatch(/cannot be used: it is truncated/);
      expect(await reasonFor(good.subarray(0, 10))).toMatch(/cannot be used: it is truncated/);
      const flipped = Buffer.from(good);
      flipped[flipped.length - 50]! ^= 0xff;
      expect(await reasonFor(flipped)).toMatch(/cannot be used: its checksum does not match: it is corrupt/);
      expect(await reasonFor(Buffer.concat([good, Buffer.from('x')]))).toMatch(/cannot be used: its length .* is not what its header describes/);
      expect(await reasonFor(Buffer.from('not a snapshot at all, just some text'))).toMatch(/cannot be used: it is not a projection snapshot/);
      const newer = Buffer.from(good);
      newer.writeUInt32LE(99, 8);
      expect(await reasonFor(newer)).toMatch(/cannot be used: it has format 99; this version reads format 1/);
      truncateSync(path, 0);
      const opened = await openProjection(store, { snapshotPath: path });
      expect(opened.source).toBe('scan');
      expect(opened.reason).toMatch(/it is truncated/);
    });
  });

  it('says there is no snapshot yet when the file is missing', async () => {
    await withEstate(5, async (store, dir) => {
      const path = join(dir, SNAPSHOT_FILE);
      expect((await loadSnapshot(store, path)).reason).toBe(`there is no snapshot at ${path}`);
      expect(await openProjection(store, { snapshotPath: path })).toMatchObject({ source: 'scan', reason: `there is no snapshot at ${path}` });
      const opened = await openProjection(store);
      expect([opened.source, opened.reason]).toEqual(['scan', undefined]);
    });
  });

  it('replaces the file atomically and leaves no temporary file; writes nothing for an empty store', async () => {
    await withEstate(20, async (store, dir) => {
      const path = join(dir, SNAPSHOT_FILE);
      const projection = await Projection.build(store);
      await saveSnapshot(projection, store, path);
      const commit = await store.write({ nodes: [identity('sa:new')], edges: [], audit: { actor: 'test', action: 'new' } });
      projection.apply({ sequence: commit.sequence, nodes: [identity('sa:new')], edges: [] });
      await saveSnapshot(projection, store, path);
      expect(readdirSync(dir).filter((name) => name.startsWith(SNAPSHOT_FILE))).toEqual([SNAPSHOT_FILE]);
      const loaded = await loadSnapshot(store, path);
      expect([loaded.projection!.sequence, loaded.projection!.indexOf('sa:new') !== undefined]).toEqual([3, true]);
    });
    const empty = await openKuzuStore({ dir: tempDir() });
    try {
      const path = join(tempDir(), SNAPSHOT_FILE);
      expect(await saveSnapshot(await Projection.build(empty), empty, path)).toBeUndefined();
      expect(existsSync(path)).toBe(false);
    } finally {
      await empty.close();
    }
  });
});
