/**
 * A commit killed half-way: a child process makes one large write (the size of a big cascade) and is
 * killed with SIGKILL while it runs. Reopened, the store holds either nothing of it or all of it, and the
 * audit chain verifies.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../../src/audit/index.js';
import { openKuzuStore } from '../../../src/store/kuzu/kuzu-store.js';
import { tempDir } from '../../support/temp-store.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('a Kuzu commit killed with SIGKILL', () => {
  it('is all or nothing when the store is opened again, and the audit log still verifies', async () => {
    const dir = tempDir();
    const seeded = await openKuzuStore({ dir });
    await seeded.write({ nodes: [{ label: 'Group', id: 'grp:before', props: { name: 'before' } }], edges: [], audit: { actor: 'test', action: 'seed' } });
    await seeded.close();
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `
      const { openKuzuStore } = await import(${JSON.stringify(join(ROOT, 'src/store/kuzu/kuzu-store.ts'))});
      const { syntheticEstate } = await import(${JSON.stringify(join(ROOT, 'seed/synthetic.ts'))});
      const store = await openKuzuStore({ dir: ${JSON.stringify(dir)} });
      const estate = syntheticEstate({ identities: 40000 });
      console.log('writing');
      await store.write({ nodes: estate.nodes, edges: estate.edges, audit: { actor: 'test', action: 'big' } });
      console.log('committed');
    `], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    while (!out.includes('writing')) await once(child.stdout!, 'data');
    // Kill it while the transaction is being written (the write of ~150k records takes seconds).
    await new Promise((resolve) => setTimeout(resolve, 700));
    child.kill('SIGKILL');
    await once(child, 'exit');

    const store = await openKuzuStore({ dir });
    try {
      const sequence = await store.lastSequence();
      const [before, some] = await store.getNodes(['grp:before', 'id:39999']);
      expect(before?.id).toBe('grp:before');
      // The write takes seconds (bench: ~30 µs a record), so the kill lands inside the transaction.
      expect(out).not.toContain('committed');
      expect(sequence).toBe(1);
      expect(some).toBeUndefined();
      let count = 0;
      for await (const batch of store.scanNodes()) count += batch.length;
      expect(count).toBe(1);
      expect((await verifyAudit(store)).ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});
