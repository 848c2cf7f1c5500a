/**
 * An import killed half-way: a child process imports a generated estate into an empty Kuzu store and is
 * killed with SIGKILL, once while it streams and spools, once inside the store's commit. Reopened, the
 * store holds nothing of it or all of it, and the same import then runs to the end.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enterpriseShape } from '../../seed/enterprise.js';
import { verifyAudit } from '../../src/audit/index.js';
import { openKuzuStore } from '../../src/store/kuzu/kuzu-store.js';
import { SPOOL_DIR } from '../../src/store/kuzu/kuzu-bulk.js';
import { tempDir } from '../support/temp-store.js';

const ROOT = join(import.meta.dirname, '..', '..');
const IDENTITIES = 40_000;

describe('an import killed with SIGKILL', () => {
  for (const [when, phase, delayMs] of [
    ['while it streams and spools', 'validate', 0],
    ['inside the commit', 'commit', 300],
  ] as const) {
    it(`${when}: the store has none of it when reopened, and the import then completes`, async () => {
      const dir = tempDir();
      const { out, committed } = await importAndKill(dir, phase, delayMs);
      expect(out).toContain(`phase ${phase}`);
      const store = await openKuzuStore({ dir });
      try {
        let nodes = 0;
        for await (const batch of store.scanNodes()) nodes += batch.length;
        if (committed) {
          // The machine outran the kill: then the import is there whole.
          expect(await store.lastSequence()).toBe(1);
        } else {
          expect(await store.lastSequence()).toBe(0);
          expect(nodes).toBe(0);
        }
        expect((await verifyAudit(store)).ok).toBe(true);
      } finally {
        await store.close();
      }
      if (!committed) {
        const finished = await importAndKill(dir, 'never', 0);
        expect(finished.committed).toBe(true);
        expect(existsSync(join(dir, SPOOL_DIR))).toBe(false);
        const store2 = await openKuzuStore({ dir });
        let nodes = 0;
        for await (const batch of store2.scanNodes()) nodes += batch.length;
        await store2.close();
        expect(nodes).toBeGreaterThan(IDENTITIES + enterpriseShape({ identities: IDENTITIES }).services);
      }
    }, 120_000);
  }
});

/** Runs the import in a child; kills it `delayMs` after it reports `phase` (never, for 'never'). */
async function importAndKill(dir: string, phase: 'validate' | 'commit' | 'never', delayMs: number): Promise<{ out: string; committed: boolean }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `
      const { openKuzuStore } = await import(${JSON.stringify(join(ROOT, 'src/store/kuzu/kuzu-store.ts'))});
      const { importSource } = await import(${JSON.stringify(join(ROOT, 'src/interchange/import.ts'))});
      const { enterpriseLines } = await import(${JSON.stringify(join(ROOT, 'seed/enterprise.ts'))});
      const store = await openKuzuStore({ dir: ${JSON.stringify(dir)} });
      const source = async function* () { let line = 0; for (const text of enterpriseLines({ identities: ${IDENTITIES} })) yield { line: ++line, text }; };
      const seen = new Set();
      await importSource(store, source, { onProgress: (p) => { if (!seen.has(p.phase)) { seen.add(p.phase); console.log('phase ' + p.phase); } } });
      console.log('committed');
      await store.close();
    `,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = once(child, 'exit');
  if (phase !== 'never') {
    while (!out.includes(`phase ${phase}`) && child.exitCode === null) await Promise.race([once(child.stdout, 'data'), exited]);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    child.kill('SIGKILL');
  }
  await exited;
  return { out, committed: out.includes('committed') };
}
