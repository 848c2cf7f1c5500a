import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli-run.js';
import { edgeLine, nodeLine, smallEstate } from '../support/lines.js';
import { tempDir } from '../support/temp-store.js';

describe('idgraph (in-process)', () => {
  let store: string;

  beforeAll(async () => {
    store = `kuzu:${tempDir()}`;
    const seeded = await cli(['--store', store, 'seed']);
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
  });

  it('seeds the demo estate and says what it wrote', async () => {
    const again = await cli(['--store', store, 'seed']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Seeded the demo estate: nodes 0 created, 0 updated, \d+ unchanged/);
    expect(again.stdout).toContain('nothing changed, nothing written');
  });

  it('prints the blast radius of a leaked key as a readable table with a path for each entry', async () => {
    const run = await cli(['--store', store, 'blast-radius', 'cred:payments-ci-key']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^If cred:payments-ci-key \(Credential\) is compromised, \d+ nodes fall with it \(.*Scope.*\), impact \d+, at 2026-11-23T12:00:00.000Z\./);
    expect(run.stdout).toContain('Impact');
    expect(run.stdout).toContain('─AUTHENTICATES→ sa:payments-ci');
  });

  it('prints one JSON document in the shape of the GraphQL result with --json', async () => {
    const run = await cli(['--store', store, 'reach', 'cred:payments-ci-key', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { subject: string; at: string; truncated: boolean; entries: { target: { label: string }; path: { nodes: string[]; steps: { type: string }[] }; routes: number; accessEndsAt: string | null }[] };
    expect(doc.subject).toBe('cred:payments-ci-key');
    expect(doc.at).toBe('2026-11-23T12:00:00.000Z');
    expect(doc.truncated).toBe(false);
    expect(doc.entries.length).toBeGreaterThan(0);
    for (const entry of doc.entries) {
      expect(entry.target.label).toBe('Scope');
      expect(entry.path.nodes[0]).toBe('cred:payments-ci-key');
      expect(entry.path.steps[0]?.type).toBe('AUTHENTICATES');
      expect(entry.path.steps).toHaveLength(entry.path.nodes.length - 1);
      expect(entry.routes).toBeGreaterThanOrEqual(1);
    }
  });

  it('answers who-can, path and explain', async () => {
    const reach = JSON.parse((await cli(['--store', store, 'reach', 'sa:payments-ci', '--json'])).stdout) as { entries: { target: { id: string } }[] };
    const scope = reach.entries[0]!.target.id;
    const who = await cli(['--store', store, 'who-can', scope, '--json']);
    expect((JSON.parse(who.stdout) as { entries: { target: { id: string } }[] }).entries.map((e) => e.target.id)).toContain('sa:payments-ci');
    const path = await cli(['--store', store, 'path', 'cred:payments-ci-key', scope]);
    expect(path.stdout).toMatch(/^Shortest live path from cred:payments-ci-key \(Credential\) to /);
    const explain = await cli(['--store', store, 'explain', 'sa:payments-ci', scope]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toMatch(new RegExp(`^sa:payments-ci holds ${scope} through \\d+ live routes?`));
  });

  it('checks drift: lists the grants today\'s guardrails would deny, and fails on them when asked', async () => {
    const run = await cli(['--store', store, 'check', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { checked: number; violations: { from: string; policyIds: string[] }[] };
    expect(report.violations.map((v) => v.from)).toEqual(expect.arrayContaining(['sa:clearpath-kyc-sync', 'wl:checkout-dev-api', 'sa:reporting-export']));
    const table = await cli(['--store', store, 'check', '--fail-on-violations']);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^\d+ of \d+ live grants violate today's guardrails/);
    expect(table.stdout).toContain('vendor-never-critical');
  });

  it('answers as of an earlier time with --at', async () => {
    const run = await cli(['--store', store, 'reach', 'sa:payments-ci', '--at', '2000-01-01T00:00:00Z', '--json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { at: string }).at).toBe('2000-01-01T00:00:00.000Z');
  });

  it('exits 1 with one line for an unknown id, and for an empty answer with --fail-empty', async () => {
    const missing = await cli(['--store', store, 'reach', 'sa:does-not-exist']);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'idgraph: No node with id "sa:does-not-exist"\n' });
    const expired = await cli(['--store', store, 'reach', 'cred:payments-ci-key', '--at', '1999-01-01T00:00:00Z', '--fail-empty']);
    expect(expired.code).toBe(1);
  });

  it.each([
    [['--at', 'yesterday'], /--at: must be an ISO-8601 time .* got "yesterday"/],
    [['--max-depth', '0'], /--max-depth: must be a whole number from 1 to 32, got "0"/],
    [['--max-depth', '99'], /--max-depth: must be a whole number from 1 to 32, got "99"/],
    [['--max-depth', 'deep'], /--max-depth: must be a whole number from 1 to 32, got "deep"/],
    [['--max-depth', '1e1'], /--max-depth: must be a whole number from 1 to 32, got "1e1"/],
    [['--at', '1'], /--at: must be an ISO-8601 time .* got "1"/],
    [['--at', 'March 7'], /--at: must be an ISO-8601 time .* got "March 7"/],
    [['--at', '2026-11-23T10:00:00'], /--at: must be an ISO-8601 time with a zone/],
  ])('exits 2 on bad query options %j', async (flags, message) => {
    const run = await cli(['--store', store, 'reach', 'sa:payments-ci', ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('takes a calendar date for --at as midnight UTC', async () => {
    const run = await cli(['--store', store, 'reach', 'sa:payments-ci', '--at', '2026-11-01', '--json']);
    expect((JSON.parse(run.stdout) as { at: string }).at).toBe('2026-11-01T00:00:00.000Z');
  });

  it('exits 2 on a bad --max-routes before it opens the store', async () => {
    const run = await cli(['--store', 'neo4j://127.0.0.1:1', 'explain', 'sa:x', 'scope:y', '--max-routes', '0']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'idgraph: --max-routes: must be a whole number from 1 to 1000, got "0"\n' });
  });

  it('exits 2 when a query is given the wrong kind of node', async () => {
    const run = await cli(['--store', store, 'who-can', 'sa:payments-ci']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^idgraph: .*sa:payments-ci.*Identity/);
  });

  it('exits 2 on an unknown command or a bad --store', async () => {
    expect((await cli(['--store', store, 'teleport'])).code).toBe(2);
    const bad = await cli(['--store', 'mysql://x', 'reach', 'sa:x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('idgraph: --store: must be kuzu:<dir> or a neo4j:// or bolt:// URI (got "mysql://x")\n');
  });

  it('exits 3 when the store directory cannot be created', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'not a directory');
    const run = await cli(['--store', `kuzu:${file}/data`, 'reach', 'sa:x']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^idgraph: .*a-file\/data/);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('exits 3 within 10 seconds when a neo4j:// store does not answer', async () => {
    const started = Date.now();
    const run = await cli(['--store', 'neo4j://127.0.0.1:1', 'reach', 'sa:x']);
    expect(run.code).toBe(3);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.stderr).toMatch(/^idgraph: .*127\.0\.0\.1:1/);
  });

  it('imports a file all or nothing: a bad line anywhere exits 2 and writes nothing', async () => {
    const dir = tempDir();
    const target = `kuzu:${join(dir, 'db')}`;
    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, [...smallEstate(), edgeLine('MEMBER_OF', 'sa:ci', 'grp:missing')].join('\n'));
    const run = await cli(['--store', target, 'import', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^idgraph: Import rejected, nothing written: 1 problem\(s\) on 1 line\(s\)\n  line 10: to: no node "grp:missing" in the file or the graph\n$/);
    expect((await cli(['--store', target, 'export'])).stdout).toBe('');
  });

  it('exports and imports the same file through standard output and input', async () => {
    const exported = await cli(['--store', store, 'export']);
    expect(exported.code).toBe(0);
    const copy = `kuzu:${join(tempDir(), 'copy')}`;
    const imported = await cli(['--store', copy, 'import', '-'], { stdin: exported.stdout });
    expect(imported.code).toBe(0);
    expect((await cli(['--store', copy, 'export'])).stdout).toBe(exported.stdout);
  });

  it('exits 2 when the import file does not exist', async () => {
    const run = await cli(['--store', store, 'import', '/nonexistent/file.ndjson']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^idgraph: Cannot read \/nonexistent\/file.ndjson: ENOENT/);
  });

  it('reads the store from IDGRAPH_STORE when --store is not given', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'one.ndjson'), nodeLine('Group', 'grp:solo'));
    const run = await cli(['import', join(dir, 'one.ndjson')], { env: { IDGRAPH_STORE: `kuzu:${join(dir, 'db')}` } });
    expect(run.code).toBe(0);
  });
});
