import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OcsfApiActivity, VerifyReport } from '../../src/audit/index.js';
import { buildProgram } from '../../src/cli/program.js';
import type { AuditEvent } from '../../src/model/audit-chain.js';
import { cli } from '../support/cli-run.js';
import { tempDir } from '../support/temp-store.js';
import { auditCli } from './support/audit-cli.js';
import { auditLogTemplate, copyStore, tamper } from './support/audit-log.js';

let template: { dir: string; events: AuditEvent[] };
let store: string;
let headToken: string;

beforeAll(async () => {
  template = await auditLogTemplate(50);
  store = `kuzu:${template.dir}`;
  headToken = `50:${template.events[49]!.hash}`;
});

describe('idgraph audit verify', () => {
  it('exits 0 on an intact log and prints the events checked, the rate and the head', async () => {
    const run = await auditCli(['--store', store, 'audit', 'verify']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Audit log verified: 50 events checked \([\d,]+ events\/s\), every link holds; head 50:[0-9a-f]{64}\.\n$/);
    expect(run.stdout).toContain(headToken);
  });

  it('exits 1 on an edited event, with one line naming the first bad sequence and why', async () => {
    const dir = copyStore(template.dir);
    tamper(dir, "MATCH (e:AuditEvent) WHERE e.sequence = 12 SET e.actor = 'central:mallory'");
    const run = await auditCli(['--store', `kuzu:${dir}`, 'audit', 'verify']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^idgraph: audit log broken at sequence 12 \(hash-mismatch\): its content gives hash [0-9a-f]{12}…, not the stored [0-9a-f]{12}…: the event was edited\n$/);
    expect(run.stdout).toMatch(/^Audit log NOT verified: 50 events checked \([\d,]+ events\/s\); head 50:[0-9a-f]{64}\.\n$/);
  });

  it('prints the report as JSON with --json, firstBad included', async () => {
    const dir = copyStore(template.dir);
    tamper(dir, 'MATCH (e:AuditEvent) WHERE e.sequence = 33 DELETE e');
    const run = await auditCli(['--store', `kuzu:${dir}`, 'audit', 'verify', '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as VerifyReport;
    expect(report).toMatchObject({ ok: false, events: 49, firstBad: { sequence: 33, reason: 'sequence-gap' }, head: { sequence: 50 } });
    expect(report.eventsPerSecond).toBeGreaterThan(0);
  });

  it('catches a cut tail only against the head printed earlier by audit head', async () => {
    const head = await auditCli(['--store', store, 'audit', 'head']);
    expect(head).toEqual({ code: 0, stdout: `${headToken}\n`, stderr: '' });
    const dir = copyStore(template.dir);
    tamper(dir, 'MATCH (e:AuditEvent) WHERE e.sequence > 47 DELETE e');
    expect((await auditCli(['--store', `kuzu:${dir}`, 'audit', 'verify'])).code).toBe(0);
    const anchored = await auditCli(['--store', `kuzu:${dir}`, 'audit', 'verify', '--head', head.stdout.trim()]);
    expect(anchored.code).toBe(1);
    expect(anchored.stderr).toBe(
      'idgraph: audit log broken at sequence 48 (truncated): the log ends at sequence 47 but the anchored head is 50: 3 event(s) cut off the tail\n',
    );
  });

  it('says that an intact log reaches the anchored head', async () => {
    const run = await auditCli(['--store', store, 'audit', 'verify', '--head', headToken]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('every link holds; reaches the anchored head 50; head 50:');
  });

  it('exits 2 for a malformed --head, before opening the store', async () => {
    const notADir = join(tempDir(), 'file');
    writeFileSync(notADir, 'x');
    const run = await auditCli(['--store', `kuzu:${notADir}`, 'audit', 'verify', '--head', '50:nothex']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('idgraph: --head: must be <sequence>:<hash> (a whole number, a colon, 64 hex digits), got "50:nothex"\n');
    expect((await auditCli(['--store', `kuzu:${notADir}`, 'audit', 'verify'])).code).toBe(3);
  });
});

describe('idgraph audit head', () => {
  it('prints {sequence, hash} with --json', async () => {
    const run = await auditCli(['--store', store, 'audit', 'head', '--json']);
    expect(JSON.parse(run.stdout)).toEqual({ sequence: 50, hash: template.events[49]!.hash });
  });
});

describe('idgraph audit export', () => {
  it('writes NDJSON to standard output by default', async () => {
    const run = await auditCli(['--store', store, 'audit', 'export']);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as AuditEvent)).toEqual(template.events);
  });

  it('writes OCSF to a file, says how much, and leaves no temporary file', async () => {
    const dir = tempDir();
    const file = join(dir, 'audit.ocsf.ndjson');
    const run = await auditCli(['--store', store, 'audit', 'export', '--format', 'ocsf', file]);
    expect(run).toEqual({ code: 0, stdout: `Exported 50 audit events (ocsf) to ${file}; head ${headToken}.\n`, stderr: '' });
    const records = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as OcsfApiActivity);
    expect(records.map((r) => [r.class_uid, r.metadata.uid])).toEqual(template.events.map((e) => [6003, String(e.sequence)]));
    expect(readdirSync(dir)).toEqual(['audit.ocsf.ndjson']);
  });

  it('exits 2 for an unknown format or a file it cannot write, and writes nothing', async () => {
    const format = await auditCli(['--store', store, 'audit', 'export', '--format', 'csv']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("argument 'csv' is invalid. Allowed choices are ndjson, ocsf.");
    const missing = join(tempDir(), 'no-such-dir', 'audit.ndjson');
    const unwritable = await auditCli(['--store', store, 'audit', 'export', missing]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(new RegExp(`^idgraph: Cannot write ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ENOENT`));
    expect(existsSync(missing)).toBe(false);
  });
});

const registered = buildProgram({ stdout: () => {}, stderr: () => {}, stdin: Readable.from(['']), env: {} })
  .commands.some((command) => command.name() === 'audit');

describe('idgraph audit through main()', () => {
  it.runIf(registered)('runs as registered in src/cli/program.ts (skipped until addAuditCommands is registered there)', async () => {
    const run = await cli(['--store', store, 'audit', 'verify', '--head', headToken]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Audit log verified: 50 events checked/);
    const dir = copyStore(template.dir);
    tamper(dir, 'MATCH (e:AuditEvent) WHERE e.sequence = 9 DELETE e');
    const broken = await cli(['--store', `kuzu:${dir}`, 'audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^idgraph: audit log broken at sequence 9 \(sequence-gap\)/);
  });
});
