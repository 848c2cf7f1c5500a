/** Real Kuzu stores in temporary directories, closed and removed after each test file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openKuzuStore } from '../../src/store/kuzu/kuzu-store.js';
import type { GraphStore } from '../../src/store/port.js';

const opened: GraphStore[] = [];
const dirs: string[] = [];

/** A fresh temporary directory, removed when the test file ends. */
export function tempDir(prefix = 'idgraph-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A fresh, empty Kuzu store in its own directory. */
export async function tempStore(): Promise<GraphStore> {
  const store = await openKuzuStore({ dir: tempDir() });
  opened.push(store);
  return store;
}

afterAll(async () => {
  for (const store of opened) await store.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
