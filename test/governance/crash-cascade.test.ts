/**
 * A cascade killed half-way: a child process offboards a vendor that operates 20,000 identities (one
 * large commit) and is killed with SIGKILL while it writes. Reopened, the store is either before or after
 * the whole cascade, never between, and the audit log verifies.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/audit/index.js';
import type { EdgeRecord, NodeRecord } from '../../src/model/records.js';
import { openKuzuStore } from '../../src/store/kuzu/kuzu-store.js';
import { syntheticEstate } from '../../seed/synthetic.js';
import { tempDir } from '../support/temp-store.js';

const ROOT = join(import.meta.dirname, '..', '..');
const IDENTITIES = 20_000;

describe('a cascade killed with SIGKILL', () => {
  it('leaves the store before or after the whole cascade, and the audit log intact', async () => {
    const dir = tempDir();
    const setup = await openKuzuStore({ dir });
    const estate = syntheticEstate({ identities: IDENTITIES });
    const vendor: NodeRecord = { label: 'Vendor', id: 'vendor:big', props: { name: 'big', status: 'ACTIVE' } };
    const operates = estate.nodes
      .filter((n) => n.label === 'Identity')
      .map((n): EdgeRecord => ({ type: 'OPERATES', from: vendor.id, to: n.id, fromLabel: 'Vendor', toLabel: 'Identity', key: '', props: {} }));
    await setup.write({ nodes: [...estate.nodes, vendor], edges: [...estate.edges, ...operates], audit: { actor: 'test', action: 'seed' } });
    await setup.close();

    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `
      const { openKuzuStore } = await import(${JSON.stringify(join(ROOT, 'src/store/kuzu/kuzu-store.ts'))});
      const { Projection } = await import(${JSON.stringify(join(ROOT, 'src/projection/projection.ts'))});
      const { GraphWriter } = await import(${JSON.stringify(join(ROOT, 'src/governance/graph-writer.ts'))});
      const { runLifecycle } = await import(${JSON.stringify(join(ROOT, 'src/governance/lifecycle-mutations.ts'))});
      const { loadGuardrails } = await import(${JSON.stringify(join(ROOT, 'src/policy/index.ts'))});
      const store = await openKuzuStore({ dir: ${JSON.stringify(dir)} });
      const projection = await Projection.build(store);
      const deps = { store, projection, writer: new GraphWriter(store, projection), guardrails: loadGuardrails() };
      const caller = { subject: 'sam', issuer: 'test', roles: ['central-admin'], services: [] };
      // The plan is loaded before the commit; announce the commit, then make it.
      const write = store.write.bind(store);
      store.write = (batch) => { console.log('committing ' + batch.nodes.length + ' nodes'); return write(batch); };
      await runLifecycle(deps, { caller, requestId: 'crash', now: Date.now() }, 'offboardVendor', 'vendor:big', 'test', false);
      console.log('committed');
    `], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    while (!out.includes('committing') && child.exitCode === null) await once(child.stdout!, 'data');
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGKILL');
    await once(child, 'exit');

    const store = await openKuzuStore({ dir });
    try {
      const sequence = await store.lastSequence();
      const [vendorNow, first, last] = await store.getNodes(['vendor:big', 'id:0', `id:${IDENTITIES - 1}`]);
      const retired = [first, last].map((n) => n?.props['status']);
      if (sequence === 1) {
        expect(vendorNow?.props['status']).toBe('ACTIVE');
        expect(retired.every((s) => s !== 'RETIRED')).toBe(true);
      } else {
        expect(sequence).toBe(2);
        expect(vendorNow?.props['status']).toBe('OFFBOARDED');
        expect(retired).toEqual(['RETIRED', 'RETIRED']);
      }
      expect(out).toContain('committing');
      expect((await verifyAudit(store)).ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});
