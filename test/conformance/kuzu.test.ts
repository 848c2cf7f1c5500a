/** The store conformance suite against the embedded Kuzu adapter, one temporary directory per store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openKuzuStore } from '../../src/store/kuzu/kuzu-store.js';
import { describeStoreConformance } from './store-conformance.js';

const root = mkdtempSync(join(tmpdir(), 'idgraph-conformance-'));
let count = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeStoreConformance('kuzu', () => openKuzuStore({ dir: join(root, `store-${++count}`) }), {
  reopen: async (store) => {
    await store.close();
    return openKuzuStore({ dir: store.location.slice('kuzu:'.length) });
  },
});
