/**
 * `idgraph findings` and `idgraph report`, run in-process against the seeded demo estate and a clean one:
 * the table, the JSON document, the CI gate (`--fail-on`), bad flags (exit 2 naming the flag) and the
 * Markdown report per owner.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, PostureSummary } from '../../src/findings/index.js';
import { printedSchema } from '../../src/graphql/index.js';
import type { EdgeRecord, NodeRecord } from '../../src/model/records.js';
import { DEMO_MESSES } from '../../seed/demo-estate.js';
import { cleanEstate } from '../findings/fixture.js';
import { cli, CLI_NOW } from '../support/cli-run.js';
import { tempDir } from '../support/temp-store.js';

interface FindingsDoc {
  readonly at: string;
  readonly summary: PostureSummary;
  readonly findings: Finding[];
}

/** The clean fixture estate as NDJSON lines, for `idgraph import`. */
function ndjsonOf(records: { nodes: readonly NodeRecord[]; edges: readonly EdgeRecord[] }): string {
  const nodes = records.nodes.map((n) => JSON.stringify({ type: 'node', label: n.label, id: n.id, props: n.props }));
  const edges = records.edges.map((e) =>
    JSON.stringify({ type: 'edge', label: e.type, from: e.from, to: e.to, props: e.key === '' ? e.props : { ...e.props, id: e.key } }),
  );
  return `${[...nodes, ...edges].join('\n')}\n`;
}

/** Every line of stderr names the flag. */
function expectBadFlag(run: { code: number; stderr: string }, flag: string): void {
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`idgraph: ${flag}: `);
}

describe('idgraph findings', () => {
  let demo: string;
  let clean: string;

  beforeAll(async () => {
    demo = `kuzu:${tempDir()}`;
    const seeded = await cli(['--store', demo, 'seed']);
    expect(seeded.code).toBe(0);
    clean = `kuzu:${tempDir()}`;
    const file = join(tempDir(), 'clean.ndjson');
    writeFileSync(file, ndjsonOf(cleanEstate().build()));
    const imported = await cli(['--store', clean, 'import', file, '--quiet']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
  });

  it('lists the demo estate\'s findings as a table: severity, OWASP item, rule, subject, owner and fix', async () => {
    const run = await cli(['--store', demo, 'findings']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+ findings at 2026-11-23T12:00:00.000Z: \d+ CRITICAL, \d+ HIGH, \d+ MEDIUM, \d+ LOW\.\n/);
    for (const head of ['Severity', 'OWASP', 'Rule', 'Subject', 'Owner', 'Fix']) expect(run.stdout).toContain(head);
    const m = DEMO_MESSES;
    for (const subject of [m.orphanedServiceAccount.identity, m.staleKey.credential, m.vendorToCritical.identity, m.devToProd.identity, m.expiredUnrevokedToken.credential]) {
      expect(run.stdout).toContain(subject);
    }
    expect(run.stdout).toMatch(/CRITICAL\s*│\s*NHI8\s*│\s*environment-isolation\s*│\s*wl:checkout-dev-api/);
    expect(run.stdout).toContain('revoke wl:checkout-dev-api ─HAS_ROLE→');
    expect(run.stdout).toMatch(/│\s*\(none\)\s*│/);
  });

  it('prints one JSON document { at, summary, findings } with --json', async () => {
    const run = await cli(['--store', demo, 'findings', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as FindingsDoc;
    expect(Object.keys(doc)).toEqual(['at', 'summary', 'findings']);
    expect(doc.at).toBe(CLI_NOW.toISOString());
    expect(doc.summary.total).toBe(doc.findings.length);
    expect(doc.findings.length).toBeGreaterThan(0);
    const orphan = doc.findings.find((f) => f.id === `improper-offboarding:${DEMO_MESSES.orphanedServiceAccount.identity}:no-owner`);
    expect(orphan).toMatchObject({ rule: 'improper-offboarding', owasp: 'NHI1', subject: { id: DEMO_MESSES.orphanedServiceAccount.identity, label: 'Identity' }, owner: { via: 'none' } });
    expect(orphan?.remediation.mutation).toEqual(expect.any(String));
    expect(await cli(['--store', demo, 'findings', '--format', 'json'])).toEqual(run);
  });

  it('filters by --rule and --owasp (repeatable or comma-separated)', async () => {
    const byRule = JSON.parse((await cli(['--store', demo, 'findings', '--json', '--rule', 'secret-leakage', '--rule', 'long-lived-secret'])).stdout) as FindingsDoc;
    expect(new Set(byRule.findings.map((f) => f.rule))).toEqual(new Set(['secret-leakage', 'long-lived-secret']));
    expect(byRule.summary.total).toBe(byRule.findings.length);
    const byOwasp = JSON.parse((await cli(['--store', demo, 'findings', '--json', '--owasp', 'NHI8,nhi3'])).stdout) as FindingsDoc;
    expect(byOwasp.findings.length).toBeGreaterThan(0);
    expect(new Set(byOwasp.findings.map((f) => f.owasp))).toEqual(new Set(['NHI8', 'NHI3']));
  });

  it('prints SARIF 2.1.0 with --format sarif', async () => {
    const run = await cli(['--store', demo, 'findings', '--format', 'sarif']);
    expect(run.code).toBe(0);
    const log = JSON.parse(run.stdout) as { version: string; runs: { tool: { driver: { name: string } }; results: unknown[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]?.tool.driver.name).toBe('idgraph');
    expect(log.runs[0]?.results.length).toBeGreaterThan(0);
  });

  it('exits 1 with --fail-on CRITICAL on the demo estate and 0 on a clean one', async () => {
    expect((await cli(['--store', demo, 'findings', '--fail-on', 'CRITICAL'])).code).toBe(1);
    expect((await cli(['--store', demo, 'findings', '--fail-on', 'critical', '--format', 'sarif'])).code).toBe(1);
    expect((await cli(['--store', demo, 'findings', '--rule', 'secret-leakage,long-lived-secret', '--fail-on', 'CRITICAL'])).code).toBe(0);
    const cleanRun = await cli(['--store', clean, 'findings', '--at', '2026-01-01T00:00:00Z', '--fail-on', 'LOW']);
    expect(cleanRun.stdout).toBe('0 findings at 2026-01-01T00:00:00.000Z.\n');
    expect(cleanRun.code).toBe(0);
  });

  it('with --since, shows what is new, what was resolved and what stayed', async () => {
    const now = JSON.parse((await cli(['--store', demo, 'findings', '--json'])).stdout) as FindingsDoc;
    const run = await cli(['--store', demo, 'findings', '--since', '400d', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { at: string; since: string; summary: PostureSummary; new: Finding[]; resolved: Finding[]; stayed: Finding[] };
    expect(Object.keys(doc)).toEqual(['at', 'since', 'summary', 'new', 'resolved', 'stayed']);
    expect(doc.since).toBe(new Date(CLI_NOW.getTime() - 400 * 86_400_000).toISOString());
    expect([...doc.new, ...doc.stayed].map((f) => f.id).sort()).toEqual(now.findings.map((f) => f.id).sort());
    expect(doc.summary).toEqual(now.summary);
    const current = new Set(now.findings.map((f) => f.id));
    expect(doc.new.length).toBeGreaterThan(0);
    expect(doc.resolved.length).toBeGreaterThan(0);
    for (const f of doc.resolved) expect(current.has(f.id)).toBe(false);

    const table = await cli(['--store', demo, 'findings', '--since', '400d']);
    expect(table.stdout).toMatch(new RegExp(`^Since ${doc.since}, at ${CLI_NOW.toISOString()}: ${doc.new.length} new, ${doc.resolved.length} resolved, ${doc.stayed.length} stayed\\.\\n`));
    expect(table.stdout).toContain(`\nNew (${doc.new.length}):\n`);
    expect(table.stdout).toContain(`\nResolved (${doc.resolved.length}):\n`);
    expect(table.stdout).toContain(`\nStayed (${doc.stayed.length}):\n`);

    const sarif = JSON.parse((await cli(['--store', demo, 'findings', '--since', '400d', '--format', 'sarif'])).stdout) as { runs: { results: { baselineState: string }[] }[] };
    const states = sarif.runs[0]!.results.map((r) => r.baselineState);
    expect(states.filter((s) => s === 'new')).toHaveLength(doc.new.length);
    expect(states.filter((s) => s === 'unchanged')).toHaveLength(doc.stayed.length);
    expect(states.filter((s) => s === 'absent')).toHaveLength(doc.resolved.length);
  });

  it('never fails without --fail-on', async () => {
    expect((await cli(['--store', demo, 'findings', '--json'])).code).toBe(0);
  });

  it('exits 2 naming the flag for a bad --fail-on, --format, --at, --rule or --owasp, before opening the store', async () => {
    const missing = `kuzu:${join(tempDir(), 'never-created')}`;
    expectBadFlag(await cli(['--store', missing, 'findings', '--fail-on', 'SEVERE']), '--fail-on');
    expectBadFlag(await cli(['--store', missing, 'findings', '--format', 'xml']), '--format');
    expectBadFlag(await cli(['--store', missing, 'findings', '--at', 'yesterday']), '--at');
    expectBadFlag(await cli(['--store', missing, 'findings', '--rule', 'nope']), '--rule');
    expectBadFlag(await cli(['--store', missing, 'findings', '--owasp', 'NHI6']), '--owasp');
    expectBadFlag(await cli(['--store', missing, 'findings', '--json', '--format', 'sarif']), '--json');
    expectBadFlag(await cli(['--store', missing, 'findings', '--since', 'a month']), '--since');
    const all = await cli(['--store', missing, 'findings', '--fail-on', 'SEVERE', '--format', 'xml']);
    expect(all.stderr.split('\n').filter(Boolean)).toEqual([
      'idgraph: --format: must be one of table, json, sarif, got "xml"',
      'idgraph: --fail-on: must be one of LOW, MEDIUM, HIGH, CRITICAL, got "SEVERE"',
    ]);
    expect(existsSync(missing.slice('kuzu:'.length))).toBe(false);
  });
});

describe('idgraph report', () => {
  let demo: string;

  beforeAll(async () => {
    demo = `kuzu:${tempDir()}`;
    expect((await cli(['--store', demo, 'seed'])).code).toBe(0);
  });

  it('writes one Markdown file per accountable owner, plus unowned.md, and prints the files written', async () => {
    const out = join(tempDir(), 'report');
    const run = await cli(['--store', demo, 'report', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const doc = JSON.parse((await cli(['--store', demo, 'findings', '--json'])).stdout) as FindingsDoc;
    const owners = [...new Set(doc.findings.map((f) => f.owner.id).filter((id) => id !== ''))].sort();
    const files = readdirSync(out).sort();
    expect(files).toEqual([...owners.map((id) => `${id.replace(/[^A-Za-z0-9._-]+/g, '-')}.md`), 'unowned.md'].sort());
    expect(run.stdout).toMatch(new RegExp(`^Wrote ${files.length} reports \\(${doc.findings.length} findings\\) at 2026-11-23T12:00:00.000Z:\\n`));
    for (const file of files) expect(run.stdout).toContain(join(out, file));

    // Each owner's file holds exactly their findings.
    for (const owner of owners) {
      const text = readFileSync(join(out, `${owner.replace(/[^A-Za-z0-9._-]+/g, '-')}.md`), 'utf8');
      const theirs = doc.findings.filter((f) => f.owner.id === owner);
      for (const f of theirs) expect(text).toContain(`Finding \`${f.id}\``);
      expect(text.match(/^Finding `/gm)?.length).toBe(theirs.length);
    }
  });

  it('gives each owner the worst blast radius and each fix as a mutation, dryRun first when it takes one', async () => {
    const out = join(tempDir(), 'report');
    expect((await cli(['--store', demo, 'report', '--out', out])).code).toBe(0);
    const checkout = readFileSync(join(out, 'team-checkout.md'), 'utf8');
    expect(checkout).toMatch(/^# Findings for .* \(team:checkout\)\n/);
    expect(checkout).toContain('## Worst blast radius');
    expect(checkout).toMatch(/If `[^`]+` \(\w+\) is compromised, \d+ nodes? fall with it/);
    expect(checkout).toContain('mutation {\n  revoke(grant: { type: HAS_ROLE, from: "wl:checkout-dev-api", to: "role:payments-writer", id: "" }, reason: ');

    const unowned = readFileSync(join(out, 'unowned.md'), 'utf8');
    expect(unowned).toMatch(/^# Findings with no accountable owner\n/);
    expect(unowned).toContain(`improper-offboarding:${DEMO_MESSES.orphanedServiceAccount.identity}:no-owner`);

    const all = readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    const dryRun = /mutation \{\n {2}(\w+)\(([^\n]*), dryRun: true\) \{[^\n]*\}\n\}\n```\n\nThen apply it:\n\n```graphql\nmutation \{\n {2}\1\(\2\) /;
    expect(all).toMatch(dryRun);
  });

  it('writes every fix as a mutation that validates against the API schema', async () => {
    const out = join(tempDir(), 'report');
    expect((await cli(['--store', demo, 'report', '--out', out])).code).toBe(0);
    const schema = buildSchema(printedSchema(), { assumeValidSDL: true });
    const text = readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    const blocks = [...text.matchAll(/```graphql\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(validate(schema, parse(block)).map((e) => e.message)).toEqual([]);
    // The check has teeth: a grant type quoted as a string is not a GrantType.
    expect(validate(schema, parse('mutation { revoke(grant: { type: "HAS_ROLE", from: "a", to: "b", id: "" }, reason: "r") { id } }'))).not.toEqual([]);
  });

  it('exits 2 naming --at for a bad time', async () => {
    expectBadFlag(await cli(['--store', demo, 'report', '--at', 'soon', '--out', join(tempDir(), 'r')]), '--at');
  });
});
