/**
 * `idgraph import` beyond one NDJSON file: CSV files by kind, the choice of inputs, the flags, and the
 * progress it prints (none when stderr is not a terminal and the import is short, none with --quiet).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli-run.js';
import { smallEstate } from '../support/lines.js';
import { tempDir } from '../support/temp-store.js';

/** CSV files in a fresh directory, by name. */
function csvFiles(files: Record<string, string>): string[] {
  const dir = tempDir();
  return Object.entries(files).map(([name, text]) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  });
}

describe('idgraph import', () => {
  it('imports CSV files named by kind, edges and nodes together, in one commit', async () => {
    const store = `kuzu:${join(tempDir(), 'db')}`;
    const files = csvFiles({
      'identities.csv': 'id,name,kind,environment\nsa:ci,ci,SERVICE_ACCOUNT,prod\n',
      'roles.csv': 'id,name,origin\nrole:deploy,deploy,CENTRAL\n',
      'grants.csv': 'identity_or_group,role,origin,status,grantedAt\nsa:ci,role:deploy,CENTRAL,ACTIVE,2026-01-05T10:00:00Z\n',
    });
    const run = await cli(['--store', store, 'import', ...files]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      'Imported identities.csv, roles.csv, grants.csv: nodes 2 created, 0 updated, 0 unchanged; edges 1 created, 0 updated, 0 unchanged (audit event #1).\n',
    );
    const exported = (await cli(['--store', store, 'export'])).stdout;
    expect(exported).toContain('"label":"HAS_ROLE","from":"sa:ci","to":"role:deploy"');
  });

  it('names the CSV file and line of a bad row, exits 2 and writes nothing', async () => {
    const store = `kuzu:${join(tempDir(), 'db')}`;
    const files = csvFiles({ 'identities.csv': 'id,name,kind\nsa:ci,ci,ROBOT\n' });
    const run = await cli(['--store', store, 'import', ...files]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${files[0]} line 2: props.kind:`);
    expect((await cli(['--store', store, 'export'])).stdout).toBe('');
  });

  it('refuses a mix of NDJSON and CSV, and several NDJSON files, before opening the store', async () => {
    const mixed = await cli(['--store', 'neo4j://unreachable.invalid', 'import', 'estate.ndjson', 'identities.csv']);
    expect(mixed).toMatchObject({ code: 2, stderr: 'idgraph: import takes one NDJSON file or CSV files, not both: estate.ndjson, identities.csv\n' });
    const several = await cli(['--store', 'neo4j://unreachable.invalid', 'import', 'a.ndjson', 'b.ndjson']);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/one NDJSON file/);
  });

  it('names every file it cannot read', async () => {
    const run = await cli(['import', '/nonexistent/a/identities.csv', '/nonexistent/b/grants.csv']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Cannot read \/nonexistent\/a\/identities.csv: ENOENT.*; Cannot read \/nonexistent\/b\/grants.csv: ENOENT/);
  });

  it('rejects a --transaction-size that is not a whole number ≥ 1', async () => {
    for (const value of ['0', '-5', 'ten', '1.5']) {
      const run = await cli(['import', '-', '--transaction-size', value]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`idgraph: --transaction-size: must be a whole number ≥ 1, got ${JSON.stringify(value)}\n`);
    }
  });

  it('prints only its summary when stderr is not a terminal, with or without --quiet', async () => {
    for (const flags of [[], ['--quiet']]) {
      const store = `kuzu:${join(tempDir(), 'db')}`;
      const run = await cli(['--store', store, 'import', '-', ...flags], { stdin: `${smallEstate().join('\n')}\n` });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^Imported standard input: nodes 5 created/);
    }
  });
});
