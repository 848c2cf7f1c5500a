import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enterpriseLines } from '../../seed/enterprise.js';
import { cli } from '../support/cli-run.js';
import { tempDir } from '../support/temp-store.js';

const ndjson = (identities: number, seed?: number): string => `${[...enterpriseLines({ identities, seed })].join('\n')}\n`;

describe('idgraph generate', () => {
  it('writes to --out exactly the bytes of enterpriseLines, and says what it wrote on stderr', async () => {
    const file = join(tempDir(), 'estate.ndjson');
    const run = await cli(['generate', '--identities', '300', '--out', file]);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    const expected = ndjson(300);
    expect(readFileSync(file, 'utf8')).toBe(expected);
    const lines = expected.trimEnd().split('\n');
    const nodes = lines.filter((l) => l.startsWith('{"type":"node"')).length;
    expect(run.stderr).toMatch(new RegExp(`^Generated 300 identities into .*estate\\.ndjson: ${lines.length} lines \\(${nodes} nodes, ${lines.length - nodes} edges\\) in \\d+\\.\\d s, \\d+ lines/s\\.\\n$`));
  });

  it('writes to standard output by default and with --out -, seeded by --seed', async () => {
    const run = await cli(['generate', '--identities', '120', '--seed', '7']);
    expect(run).toEqual({ code: 0, stdout: ndjson(120, 7), stderr: '' });
    const dash = await cli(['generate', '--identities', '120', '--seed', '7', '--out', '-']);
    expect(dash.stdout).toBe(run.stdout);
    expect((await cli(['generate', '--identities', '120'])).stdout).not.toBe(run.stdout);
  });

  it.each([['0'], ['-5'], ['1.5'], ['abc'], ['10000001'], ['']])('exits 2 naming --identities for %j, writing nothing', async (value) => {
    const file = join(tempDir(), 'never.ndjson');
    const run = await cli(['generate', '--identities', value, '--out', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--identities');
    expect(existsSync(file)).toBe(false);
  });

  it('reports every bad flag at once, and a missing --identities', async () => {
    const run = await cli(['generate', '--identities', 'many', '--seed', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'idgraph: --identities: must be a whole number from 1 to 10000000, got "many"\n' +
        'idgraph: --seed: must be a whole number from 0 to 4294967295, got "x"\n',
    );
    const missing = await cli(['generate']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--identities');
  });

  it('exits 2 naming the file when it cannot write it', async () => {
    const file = join(tempDir(), 'no-such-dir', 'estate.ndjson');
    const run = await cli(['generate', '--identities', '10', '--out', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`Cannot write ${file}`);
  });
});
