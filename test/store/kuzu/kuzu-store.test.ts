/**
 * What the Kuzu adapter does beyond the conformance suite: its directory, lock and errors, its schema
 * against the vocabulary, its statements against its schema, and byte-exact props.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Connection, Database } from 'kuzu';
import { afterAll, describe, expect, it } from 'vitest';
import type { Props } from '../../../src/model/properties.js';
import type { EdgeRecord, NodeRecord } from '../../../src/model/records.js';
import { EDGE_ENDPOINTS, EDGE_TYPES, NODE_LABELS } from '../../../src/model/vocabulary.js';
import { openKuzuStore } from '../../../src/store/kuzu/kuzu-store.js';
import { DATABASE_FILE, schemaStatements } from '../../../src/store/kuzu/open-kuzu-session.js';
import type { WriteBatch } from '../../../src/store/port.js';
import { rawStatement, statement, statementNames, type StatementVars } from '../../../src/store/statements.js';
import { failureOf } from '../../support/failure.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const root = mkdtempSync(join(tmpdir(), 'idgraph-kuzu-'));
let dirs = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('openKuzuStore', () => {
  it('creates a missing directory, nested, with the database in it, and names itself kuzu:<dir>', async () => {
    const dir = join(freshDir(), 'a', 'b');
    const store = await openKuzuStore({ dir });
    expect(store).toMatchObject({ kind: 'kuzu', location: `kuzu:${dir}` });
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(true);
    await store.close();
  });

  it('reports a directory that cannot be created as UNAVAILABLE, naming the path and the OS error', async () => {
    const parent = freshDir();
    mkdirSync(parent);
    const file = join(parent, 'a-file');
    writeFileSync(file, 'not a directory');
    const error = await failureOf(openKuzuStore({ dir: join(file, 'data') }), 'UNAVAILABLE');
    expect(error.message).toContain(join(file, 'data'));
    expect(error.message).toMatch(/ENOTDIR|EEXIST/);
  });

  it('reports a database file Kuzu cannot open as UNAVAILABLE, naming the file and Kuzu’s reason', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, DATABASE_FILE), 'not a database');
    const error = await failureOf(openKuzuStore({ dir }), 'UNAVAILABLE');
    expect(error.message).toBe(
      `Cannot open the store kuzu:${dir} (${join(dir, DATABASE_FILE)}): Runtime exception: Unable to open database. The file is not a valid Kuzu database file!`,
    );
  });

  it('rejects an empty directory name', async () => {
    await failureOf(openKuzuStore({ dir: '' }), 'BAD_USER_INPUT');
  });

  it('refuses a store another process holds open, and opens it once that process is gone', async () => {
    const dir = freshDir();
    const holder = await holdOpen(dir);
    try {
      const error = await failureOf(openKuzuStore({ dir }), 'UNAVAILABLE');
      expect(error.message).toMatch(new RegExp(`^The store kuzu:${escape(dir)} is in use by another process \\(.+\\); stop it or use another --store$`));
    } finally {
      holder.stdin.end();
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    const store = await openKuzuStore({ dir });
    expect(await store.lastSequence()).toBe(1);
    await store.close();
  });

  it('opens a dozen stores side by side in one process', async () => {
    const stores = [];
    for (let i = 0; i < 12; i++) stores.push(await openKuzuStore({ dir: freshDir() }));
    for (const store of stores) await store.close();
  });

  it('refuses to open a store twice in one process, and opens it again after close', async () => {
    const dir = freshDir();
    const store = await openKuzuStore({ dir });
    const error = await failureOf(openKuzuStore({ dir: `${dir}/.` }), 'UNAVAILABLE');
    expect(error.message).toContain('already open in this process');
    await store.close();
    const again = await openKuzuStore({ dir });
    await again.close();
  });
});

describe('the Kuzu schema', () => {
  const ddl = schemaStatements();

  it('has one node table per label, plus AuditEvent', () => {
    const tables = ddl.flatMap((text) => [...text.matchAll(/^CREATE NODE TABLE IF NOT EXISTS `(\w+)`/g)].map((m) => m[1]));
    expect(tables).toEqual([...NODE_LABELS, 'AuditEvent']);
  });

  it('has one rel table per edge type with exactly the label pairs of EDGE_ENDPOINTS', () => {
    const rels = Object.fromEntries(
      ddl.flatMap((text) => {
        const rel = /^CREATE REL TABLE IF NOT EXISTS `(\w+)`\((.*)\)$/s.exec(text);
        if (rel === null) return [];
        const pairs = [...rel[2]!.matchAll(/FROM `(\w+)` TO `(\w+)`/g)].map((m) => `${m[1]}→${m[2]}`);
        return [[rel[1]!, pairs.sort()]];
      }),
    );
    const expected = Object.fromEntries(
      EDGE_TYPES.map((type) => [type, EDGE_ENDPOINTS[type].from.flatMap((from) => EDGE_ENDPOINTS[type].to.map((to) => `${from}→${to}`)).sort()]),
    );
    expect(rels).toEqual(expected);
  });

  it('names the statements the adapter and the Neo4j dialect share', () => {
    expect(statementNames('kuzu')).toEqual([
      'append_audit',
      'audit_events',
      'copy_edges',
      'copy_nodes',
      'copy_topology_edges',
      'copy_topology_nodes',
      'count_edges',
      'count_nodes',
      'edges_since',
      'get_edge',
      'get_edges',
      'get_node',
      'get_nodes',
      'last_audit',
      'load_create_edges',
      'load_create_nodes',
      'load_merge_edges',
      'load_merge_nodes',
      'nodes_since',
      'scan_edges',
      'scan_nodes',
      'schema',
      'upsert_edges',
      'upsert_nodes',
    ]);
  });

  it('lets every statement prepare against a real database, for every placeholder value', async () => {
    const dir = freshDir();
    await (await openKuzuStore({ dir })).close();
    const db = new Database(join(dir, DATABASE_FILE));
    const conn = new Connection(db);
    const failures: string[] = [];
    for (const name of statementNames('kuzu').filter((n) => n !== 'schema')) {
      for (const vars of placeholderValues(rawStatement('kuzu', name))) {
        const prepared = conn.prepareSync(statement('kuzu', name, vars));
        if (!prepared.isSuccess()) failures.push(`${name} ${JSON.stringify(vars)}: ${prepared.getErrorMessage()}`);
      }
    }
    conn.closeSync();
    db.closeSync();
    expect(failures).toEqual([]);
  });
});

describe('KuzuStore', () => {
  it('keeps props byte for byte: nested objects, key order, nulls', async () => {
    const store = await openKuzuStore({ dir: freshDir() });
    const props: Props = { zeta: 1, alpha: { nested: [1, { deep: null }], 'ü': 'ß' }, name: 'x', empty: {} };
    await store.write(batch([{ label: 'Identity', id: 'sa:x', props }]));
    const [found] = await store.getNodes(['sa:x']);
    expect(JSON.stringify(found?.props)).toBe(JSON.stringify(props));
    await store.close();
  });

  it('refuses an edge whose label pair its type does not allow, before writing anything', async () => {
    const store = await openKuzuStore({ dir: freshDir() });
    const wrong: EdgeRecord = { type: 'HOLDS', from: 'svc:a', to: 'sa:x', fromLabel: 'Service', toLabel: 'Identity', key: '', props: {} };
    const error = await failureOf(store.write(batch([node('sa:x')], [wrong])), 'BAD_USER_INPUT');
    expect(error.message).toContain('HOLDS does not join Service to Identity');
    expect(await store.lastSequence()).toBe(0);
    await store.close();
  });

  it('names the label of a missing endpoint when the node exists under another label', async () => {
    const store = await openKuzuStore({ dir: freshDir() });
    const edge: EdgeRecord = { type: 'MEMBER_OF', from: 'sa:x', to: 'grp:x', fromLabel: 'Group', toLabel: 'Group', key: '', props: {} };
    const error = await failureOf(store.write(batch([node('sa:x'), { label: 'Group', id: 'grp:x', props: {} }], [edge])), 'CONFLICT');
    expect(error.message).toBe('Edge MEMBER_OF "sa:x" → "grp:x": node "sa:x" (Group) does not exist');
    await store.close();
  });

  it('scans a snapshot: a write between two batches does not change a scan in progress', async () => {
    const store = await openKuzuStore({ dir: freshDir() });
    await store.write(batch(['sa:a', 'sa:b', 'sa:c'].map((id) => node(id, { v: 'old' }))));
    const scan = store.scanNodes(1)[Symbol.asyncIterator]();
    const seen = [(await scan.next()).value as NodeRecord[]];
    await store.write(batch([...['sa:a', 'sa:b', 'sa:c'].map((id) => node(id, { v: 'new' })), node('sa:d')]));
    for (let step = await scan.next(); !step.done; step = await scan.next()) seen.push(step.value);
    expect(seen.flat().map((n) => n.props['v'])).toEqual(['old', 'old', 'old']);
    await store.close();
  });

  it('rejects a bad batch size, sequence or limit with BAD_USER_INPUT', async () => {
    const store = await openKuzuStore({ dir: freshDir() });
    await failureOf(store.scanNodes(0)[Symbol.asyncIterator]().next(), 'BAD_USER_INPUT');
    await failureOf(store.scanEdges(1.5)[Symbol.asyncIterator]().next(), 'BAD_USER_INPUT');
    await failureOf(store.changesSince(-1), 'BAD_USER_INPUT');
    await failureOf(store.auditEvents(0, -1), 'BAD_USER_INPUT');
    await store.close();
  });

  it('closes idempotently; every call after close fails UNAVAILABLE "store is closed"', async () => {
    const store = await openKuzuStore({ dir: freshDir() });
    await store.write(batch([node('sa:a'), node('sa:b')]));
    const scan = store.scanNodes(1)[Symbol.asyncIterator]();
    await scan.next();
    await store.close();
    await store.close();
    const calls: Promise<unknown>[] = [
      store.write(batch([])),
      store.getNodes(['sa:a']),
      store.getEdges([]),
      store.changesSince(0),
      store.auditEvents(0, 1),
      store.lastSequence(),
      scan.next(),
      store.scanNodes()[Symbol.asyncIterator]().next(),
      store.scanEdges()[Symbol.asyncIterator]().next(),
    ];
    for (const call of calls) expect((await failureOf(call, 'UNAVAILABLE')).message).toMatch(/^store is closed: kuzu:/);
  });
});

function freshDir(): string {
  return join(root, `store-${++dirs}`);
}

function node(id: string, props: Props = {}): NodeRecord {
  return { label: 'Identity', id, props: { name: id, kind: 'BOT', ...props } };
}

function batch(nodes: NodeRecord[], edges: EdgeRecord[] = []): WriteBatch {
  return { nodes, edges, audit: { actor: 'test', action: 'test' } };
}

/** Every set of placeholder values a statement can be filled with, from the vocabulary. */
function placeholderValues(text: string): StatementVars[] {
  const file = text.includes('{{file}}') ? { file: spoolFile(text) } : {};
  if (text.includes('{{from}}')) {
    return EDGE_TYPES.flatMap((type) => EDGE_ENDPOINTS[type].from.flatMap((from) => EDGE_ENDPOINTS[type].to.map((to) => ({ type, from, to, ...file }))));
  }
  if (text.includes('{{type}}')) return EDGE_TYPES.map((type) => ({ type, ...file }));
  if (text.includes('{{label}}')) return NODE_LABELS.map((label) => ({ label, ...file }));
  return [file];
}

/** A CSV file with the header a LOAD FROM statement declares (Kuzu reads it while preparing). */
function spoolFile(text: string): string {
  const declared = /LOAD WITH HEADERS \(([^)]*)\)/.exec(text)?.[1]?.split(',').map((column) => column.trim().split(' ')[0]);
  const header = declared ?? (text.includes('{{from}}') ? ['from', 'to', 'key', 'props', 'seq'] : ['id', 'props', 'seq']);
  const dir = freshDir();
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'spool.csv');
  writeFileSync(path, `${header.join(',')}\n`);
  return path;
}

/**
 * A child process that opens the store in `dir` (writing one commit) and holds it until its stdin ends.
 */
async function holdOpen(dir: string): Promise<ChildProcessByStdio<Writable, Readable, Readable>> {
  const module = pathToFileURL(join(REPO, 'src', 'store', 'kuzu', 'kuzu-store.ts')).href;
  const code = [
    `const { openKuzuStore } = await import(${JSON.stringify(module)});`,
    `const store = await openKuzuStore({ dir: ${JSON.stringify(dir)} });`,
    `await store.write({ nodes: [], edges: [], audit: { actor: 'holder', action: 'hold' } });`,
    `process.stdout.write('ready\\n');`,
    `process.stdin.resume();`,
    `process.stdin.on('end', async () => { await store.close(); process.exit(0); });`,
  ].join('\n');
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the holder exited (${code}) before it was ready: ${stderr}`)));
  });
  return child;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
