/** `idgraph gateway`: a bad config stops it before anything listens, naming the problem (exit 2). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli-run.js';
import { tempDir } from '../support/temp-store.js';

describe('idgraph gateway', () => {
  const dir = tempDir();

  it('needs --config', async () => {
    const run = await cli(['gateway']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("required option '--config <file>' not specified");
  });

  it('exits 2 naming every problem of the config, by its path', async () => {
    const file = join(dir, 'gateway.yaml');
    writeFileSync(file, 'mode: block\nsubgraphs: [{ name: payments, url: "ftp://x" }]\n');
    const run = await cli(['--store', `kuzu:${join(dir, 'data')}`, 'gateway', '--config', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/mode: .*filter/);
    expect(run.stderr).toContain('subgraphs.0.url: must be an http:// or https:// URL');
  });

  it('exits 2 when the config cannot be read', async () => {
    const run = await cli(['--store', `kuzu:${join(dir, 'data')}`, 'gateway', '--config', join(dir, 'nope.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--config: cannot read .*nope\.yaml/);
  });
});
