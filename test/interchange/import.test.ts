import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enterpriseLines } from '../../seed/enterprise.js';
import { csvSource } from '../../src/interchange/csv-source.js';
import { exportLines } from '../../src/interchange/export.js';
import { arraySource } from '../../src/interchange/file-source.js';
import { importLines, importSource } from '../../src/interchange/import.js';
import { formatIssue } from '../../src/model/errors.js';
import { formatLine, type InterchangeLine } from '../../src/model/interchange.js';
import { failureOf } from '../support/failure.js';
import neo4j from 'neo4j-driver';
import { Neo4jStore } from '../../src/store/neo4j/neo4j-store.js';
import { FakeNeo4j } from '../store/neo4j/fake-neo4j.js';
import { firstBrokenLink } from '../../src/model/audit-chain.js';
import { edgeLine, nodeLine, smallEstate } from '../support/lines.js';
import { tempDir, tempStore } from '../support/temp-store.js';

describe('importLines', () => {
  it('writes every node and edge of a valid file in one commit with its audit event', async () => {
    const store = await tempStore();
    const summary = await importLines(store, smallEstate(), { source: 'small.ndjson', actor: 'alice' });
    expect(summary.nodes).toEqual({ created: 5, updated: 0, unchanged: 0 });
    expect(summary.edges).toEqual({ created: 4, updated: 0, unchanged: 0 });
    expect(summary.commit?.sequence).toBe(1);
    const [event] = await store.auditEvents(0, 10);
    expect(event).toMatchObject({ sequence: 1, actor: 'alice', action: 'import' });
    expect(event?.reason).toContain('small.ndjson');
    const [sa, missing] = await store.getNodes(['sa:ci', 'sa:none']);
    expect(sa).toEqual({ label: 'Identity', id: 'sa:ci', props: { name: 'sa:ci', kind: 'SERVICE_ACCOUNT', environment: 'prod', status: 'ACTIVE' } });
    expect(missing).toBeUndefined();
  });

  it('changes nothing and writes no audit event when the same file is imported twice', async () => {
    const store = await tempStore();
    await importLines(store, smallEstate());
    const again = await importLines(store, smallEstate());
    expect(again).toMatchObject({ commit: null, nodes: { created: 0, updated: 0, unchanged: 5 }, edges: { unchanged: 4 } });
    expect(await store.lastSequence()).toBe(1);
  });

  it('writes only what changed, and replaces a node or edge props whole', async () => {
    const store = await tempStore();
    await importLines(store, smallEstate());
    const changed = [
      nodeLine('Identity', 'sa:ci', { environment: 'prod', status: 'DISABLED' }),
      edgeLine('HAS_ROLE', 'sa:ci', 'role:deploy', { origin: 'CENTRAL', status: 'REVOKED', revokedAt: '2026-02-01T00:00:00Z' }),
    ];
    const summary = await importLines(store, changed);
    expect(summary).toMatchObject({ nodes: { updated: 1 }, edges: { updated: 1 }, commit: { sequence: 2 } });
    const [edge] = await store.getEdges([{ type: 'HAS_ROLE', from: 'sa:ci', to: 'role:deploy', key: '' }]);
    expect(edge?.props).toEqual({ origin: 'CENTRAL', status: 'REVOKED', revokedAt: '2026-02-01T00:00:00Z' });
    expect(firstBrokenLink(await store.auditEvents(0, 10))).toBeUndefined();
  });

  it('resolves edge endpoints that are already in the graph', async () => {
    const store = await tempStore();
    await importLines(store, smallEstate());
    const summary = await importLines(store, [nodeLine('Group', 'grp:sre'), edgeLine('MEMBER_OF', 'sa:ci', 'grp:sre')]);
    expect(summary.edges.created).toBe(1);
  });

  it('keeps parallel edges apart by props.id', async () => {
    const store = await tempStore();
    const lines = [
      ...smallEstate(),
      edgeLine('HAS_ROLE', 'sa:ci', 'role:deploy', { id: 'jit-1', origin: 'LOCAL', domain: 'svc:payments', expiresAt: '2026-03-01T00:00:00Z' }),
    ];
    expect((await importLines(store, lines)).edges.created).toBe(5);
  });

  it('skips blank lines and counts every line', async () => {
    const store = await tempStore();
    const summary = await importLines(store, ['', ...smallEstate(), '   ']);
    expect(summary.lines).toBe(11);
    expect(summary.nodes.created).toBe(5);
  });
});

describe('importSource at scale', () => {
  it('round-trips 50,000 lines of an enterprise estate: import, export, import elsewhere, export the same bytes', async () => {
    const lines = [...enterpriseLines({ identities: 6_800 })];
    expect(lines.length).toBeGreaterThanOrEqual(50_000);
    const first = await tempStore();
    const summary = await importSource(first, arraySource(lines), { source: 'estate.ndjson' });
    expect(summary.nodes.created + summary.edges.created).toBe(lines.length);
    const exported = await exportLines(first);
    expect([...exported].sort()).toEqual(lines.map((line) => formatLine(JSON.parse(line) as InterchangeLine)).sort());
    const second = await tempStore();
    await importSource(second, arraySource(exported));
    expect(await exportLines(second)).toEqual(exported);
    const again = await importSource(first, arraySource(exported));
    expect(again.commit).toBeNull();
    expect(again.nodes.unchanged + again.edges.unchanged).toBe(lines.length);
  });

  it('imports edges that come before their nodes, into an empty store and into one that has data', async () => {
    const estate = smallEstate();
    const edgesFirst = [...estate.filter((line) => line.includes('"edge"')), ...estate.filter((line) => line.includes('"node"'))];
    const empty = await tempStore();
    expect((await importLines(empty, edgesFirst)).edges.created).toBe(4);
    const used = await tempStore();
    await importLines(used, [nodeLine('Group', 'grp:other')]);
    expect((await importLines(used, edgesFirst)).edges.created).toBe(4);
    const other = formatLine(JSON.parse(nodeLine('Group', 'grp:other')) as InterchangeLine);
    expect(new Set(await exportLines(used))).toEqual(new Set([...(await exportLines(empty)), other]));
  });

  it('writes nothing when a bad line comes after batches were already streamed to the store', async () => {
    const lines = [...enterpriseLines({ identities: 3_000 })];
    const store = await tempStore();
    const error = await failureOf(importSource(store, arraySource([...lines, edgeLine('MEMBER_OF', 'sa:nobody', 'grp:nowhere')])), 'BAD_USER_INPUT');
    expect(error.issues).toEqual([
      { line: lines.length + 1, path: 'from', message: 'no node "sa:nobody" in the file or the graph' },
      { line: lines.length + 1, path: 'to', message: 'no node "grp:nowhere" in the file or the graph' },
    ]);
    expect(await store.lastSequence()).toBe(0);
    expect(await exportLines(store)).toEqual([]);
    expect((await importSource(store, arraySource(lines))).commit?.sequence).toBe(1);
  });

  it('reports the phases as it goes: validate, then commit (one pass into an empty store), each ending done', async () => {
    const phases: string[] = [];
    const store = await tempStore();
    await importSource(store, arraySource(smallEstate()), { onProgress: (p) => phases.push(`${p.phase}${p.done ? ' done' : ''}`) });
    expect(phases).toEqual(['validate done', 'commit', 'commit done']);
    phases.length = 0;
    await importSource(store, arraySource(smallEstate()), { onProgress: (p) => phases.push(`${p.phase}${p.done ? ' done' : ''}`) });
    expect(phases).toEqual(['validate done', 'write done', 'commit', 'commit done']);
  });

  it('names the file of a bad CSV row, as it names the line', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'groups.csv'), 'id,name\ngrp:a,a\n');
    writeFileSync(join(dir, 'memberships.csv'), 'identity_or_group,group\ngrp:a,grp:missing\n');
    const store = await tempStore();
    const error = await failureOf(importSource(store, csvSource([join(dir, 'groups.csv'), join(dir, 'memberships.csv')])), 'BAD_USER_INPUT');
    expect(error.issues.map(formatIssue)).toEqual([`${join(dir, 'memberships.csv')} line 2: to: no node "grp:missing" in the file or the graph`]);
  });
});

describe('importSource into Neo4j with a transaction size', () => {
  it('validates everything first, then commits one audited part per transactionSize records', async () => {
    const store = new Neo4jStore(new FakeNeo4j().driver(), 'bolt://fake:7687', undefined, neo4j.bookmarkManager());
    const bad = await failureOf(importSource(store, arraySource([...smallEstate(), edgeLine('GRANTS', 'role:deploy', 'scope:none')]), { transactionSize: 4 }), 'BAD_USER_INPUT');
    expect(bad.issues).toHaveLength(1);
    expect(await store.lastSequence()).toBe(0);
    const summary = await importSource(store, arraySource(smallEstate()), { transactionSize: 4, source: 'small.ndjson' });
    expect(summary.commit?.sequence).toBe(3);
    const events = await store.auditEvents(0, 10);
    expect(events.map((event) => event.reason)).toEqual([
      expect.stringMatching(/^small\.ndjson: .* \(part 1\)$/),
      expect.stringMatching(/\(part 2\)$/),
      expect.stringMatching(/^small\.ndjson: 5 created, 0 updated, 0 unchanged nodes, 4 created, 0 updated, 0 unchanged edges \(part 3\)$/),
    ]);
    expect((await exportLines(store)).length).toBe(9);
    await store.close();
  });
});

describe('importSource refuses what it cannot store faithfully', () => {
  it('writes nothing when the input changes between the check and the write (CONFLICT)', async () => {
    const store = await tempStore();
    await importLines(store, [nodeLine('Group', 'grp:other')]);
    let reads = 0;
    const lines = smallEstate();
    const changing = async function* () {
      reads++;
      const now = reads === 1 ? lines : [...lines, lines[lines.length - 1]!];
      for (let i = 0; i < now.length; i++) yield { line: i + 1, text: now[i]! };
    };
    const error = await failureOf(importSource(store, changing), 'CONFLICT');
    expect(error.message).toBe('The input changed while it was imported (the input line 10 is not what was checked); nothing was written');
    expect(await store.lastSequence()).toBe(1);
  });

  it('refuses an id with a lone surrogate, which no store can keep as it is', async () => {
    const store = await tempStore();
    const error = await failureOf(importLines(store, [nodeLine('Group', 'grp:a\ud800')]), 'BAD_USER_INPUT');
    expect(error.issues).toEqual([{ line: 1, path: 'id', message: 'must be well-formed Unicode (a lone surrogate cannot be stored), got "grp:a\\ud800"' }]);
  });

  it('reports a bad node line once, not again on every edge that names it', async () => {
    const store = await tempStore();
    const error = await failureOf(importLines(store, [nodeLine('Role', 'role:x', { origin: 'SIDEWAYS' }), nodeLine('Group', 'grp:g'), edgeLine('HAS_ROLE', 'grp:g', 'role:x')]), 'BAD_USER_INPUT');
    expect(error.issues.map((issue) => issue.line)).toEqual([1]);
  });
});
