/** The server keeps its projection's snapshot next to a Kuzu store: saved after a scan and at close, loaded at start. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_FILE } from '../../src/projection/open-projection.js';
import { openKuzuStore } from '../../src/store/kuzu/kuzu-store.js';
import { testServer } from '../support/http-server.js';
import { tempDir } from '../support/temp-store.js';

const ready = (logs: Record<string, unknown>[]) => logs.find((line) => line['msg'] === 'projection ready');

describe('startServer and the projection snapshot', () => {
  it('scans and saves on a first start, saves at close what changed since, and loads the snapshot on the next start', async () => {
    const dir = tempDir();
    const path = join(dir, SNAPSHOT_FILE);
    const saves = (logs: Record<string, unknown>[]) => logs.filter((line) => line['msg'] === 'projection snapshot saved').map((line) => line['sequence']);
    const first = await openKuzuStore({ dir });
    try {
      const server = await testServer({ store: { kind: 'kuzu', dir } }, first);
      expect(ready(server.logs)).toMatchObject({ source: 'scan', snapshot: `there is no snapshot at ${path}` });
      expect(existsSync(path)).toBe(true);
      const late = { label: 'Identity' as const, id: 'sa:late', props: { name: 'late', kind: 'BOT' } };
      const commit = await first.write({ nodes: [late], edges: [], audit: { actor: 'test', action: 'late' } });
      server.projection.apply({ sequence: commit.sequence, nodes: [late], edges: [] });
      const { nodes, edges, sequence } = server.projection.stats();
      await server.close();
      expect(saves(server.logs)).toEqual([sequence - 1, sequence]);
      await first.close();

      const second = await openKuzuStore({ dir });
      try {
        const again = await testServer({ store: { kind: 'kuzu', dir } }, second);
        expect(ready(again.logs)).toMatchObject({ source: 'snapshot', nodes, edges, sequence });
        expect(ready(again.logs)?.['snapshot']).toBeUndefined();
        expect(again.projection.indexOf('sa:late')).toBeDefined();
        await again.close();
        // Nothing changed since the snapshot it loaded: nothing to save.
        expect(saves(again.logs)).toEqual([]);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });

  it('keeps no snapshot for a store other than the one the config names', async () => {
    const server = await testServer();
    expect(ready(server.logs)).toMatchObject({ source: 'scan' });
    expect(ready(server.logs)?.['snapshot']).toBeUndefined();
    await server.close();
  });
});
