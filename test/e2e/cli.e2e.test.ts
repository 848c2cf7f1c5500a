/** The CLI for real: child processes, a store on disk, exit codes and output as a shell sees them. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-store.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli', 'main.ts');

function idgraph(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const holders: ChildProcess[] = [];
afterAll(() => {
  for (const child of holders) child.kill('SIGKILL');
});

describe('idgraph in a child process', () => {
  const store = `kuzu:${join(tempDir(), 'data')}`;

  it('runs the README story through npm: seed, then the blast radius of the leaked key', () => {
    const env = { ...process.env, IDGRAPH_STORE: store };
    const npm = (args: string[]) => spawnSync('npm', ['run', '--silent', 'idgraph', '--', ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 60_000 });
    const seeded = npm(['seed']);
    expect(seeded.status).toBe(0);
    expect(seeded.stdout).toMatch(/Seeded the demo estate: nodes \d+ created/);
    const blast = npm(['blast-radius', 'cred:payments-ci-key']);
    expect(blast.status).toBe(0);
    expect(blast.stdout).toMatch(/^If cred:payments-ci-key \(Credential\) is compromised, \d+ nodes fall with it/);
    expect(blast.stdout).toContain('svc:payments');
    expect(blast.stdout).toMatch(/in 30 d/);
  });

  it('prints one line and no stack trace on error, with the contract exit code', () => {
    const missing = idgraph('--store', store, 'blast-radius', 'cred:nope');
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'idgraph: No node with id "cred:nope"\n' });
    const bad = idgraph('--store', store, 'reach', 'sa:payments-ci', '--max-depth', '99');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('idgraph: --max-depth: must be a whole number from 1 to 32, got "99"\n');
  });

  it('exits 3 with a clear line when another process holds the store', async () => {
    const dir = join(tempDir(), 'held');
    const holder = spawn(process.execPath, ['--import', 'tsx', '-e', `
      const { openKuzuStore } = await import(${JSON.stringify(join(ROOT, 'src/store/kuzu/kuzu-store.ts'))});
      await openKuzuStore({ dir: ${JSON.stringify(dir)} });
      console.log('holding');
      setInterval(() => {}, 1000);
    `], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    holders.push(holder);
    await once(holder.stdout!, 'data');
    const run = idgraph('--store', `kuzu:${dir}`, 'reach', 'sa:x');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^idgraph: The store kuzu:.*held is in use by another process .*\n$/);
    holder.kill('SIGKILL');
  });
});
