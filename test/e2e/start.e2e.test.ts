/** `npm start`'s entry in a child process: it prints where it listens, serves, and stops cleanly on SIGTERM. */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mintLocalToken } from '../../src/auth/index.js';
import { openKuzuStore } from '../../src/store/kuzu/kuzu-store.js';
import { tempDir } from '../support/temp-store.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'server', 'main.ts');

describe('the server process', () => {
  it('seeds an empty store, prints its URL, answers, and on SIGTERM finishes and releases the store', async () => {
    const dir = join(tempDir(), 'data');
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--store', `kuzu:${dir}`], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'development', IDGRAPH_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    while (!/ready at (\S+)/.test(stdout)) await once(child.stdout, 'data');
    const url = /ready at (\S+)/.exec(stdout)![1]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(stdout).toContain('Apollo Sandbox');
    // A local token, minted from the key the server keeps in its data directory, as `idgraph token` does.
    const { token } = await mintLocalToken({ dir, roles: ['analyst'] });
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ node(id: "svc:payments") { id label } }' }) });
    expect(await response.json()).toEqual({ data: { node: { id: 'svc:payments', label: 'Service' } } });
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(stdout).toMatch(/"msg":"stopped"/);
    const store = await openKuzuStore({ dir });
    expect(await store.lastSequence()).toBe(1);
    await store.close();
  });

  it('refuses to start on a bad flag, with one line naming it', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--port', '70000'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('idgraph: --port: must be at most 65535 (got "70000")\n');
  });
});
