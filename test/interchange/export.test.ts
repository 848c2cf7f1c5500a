import { describe, expect, it } from 'vitest';
import { exportLines } from '../../src/interchange/export.js';
import { importLines } from '../../src/interchange/import.js';
import { formatLine } from '../../src/model/interchange.js';
import { demoEstate } from '../../seed/demo-estate.js';
import { nodeLine, smallEstate } from '../support/lines.js';
import { tempStore } from '../support/temp-store.js';

describe('exportLines', () => {
  it('writes nodes sorted by id, then edges sorted by from, type, to and key', async () => {
    const store = await tempStore();
    await importLines(store, [...smallEstate().reverse().filter((l) => l.includes('"node"')), ...smallEstate().filter((l) => l.includes('"edge"'))]);
    const lines = (await exportLines(store)).map((l) => JSON.parse(l) as { type: string; id?: string; from?: string; label: string });
    const nodes = lines.filter((l) => l.type === 'node').map((l) => l.id);
    expect(nodes).toEqual([...nodes].sort());
    expect(lines.findIndex((l) => l.type === 'edge')).toBe(nodes.length);
    expect(lines.filter((l) => l.type === 'edge').map((l) => `${l.from} ${l.label}`)).toEqual([
      'cred:ci-key AUTHENTICATES', 'role:deploy GRANTS', 'sa:ci HAS_ROLE', 'scope:payments:deploy ON',
    ]);
  });

  it('writes props with sorted keys, whatever order they were imported in', async () => {
    const store = await tempStore();
    await importLines(store, [nodeLine('Identity', 'sa:z', { status: 'ACTIVE', environment: 'dev' })]);
    expect(await exportLines(store)).toEqual([
      '{"type":"node","label":"Identity","id":"sa:z","props":{"environment":"dev","kind":"SERVICE_ACCOUNT","name":"sa:z","status":"ACTIVE"}}',
    ]);
  });

  it('round-trips byte for byte: export → import into an empty store → export', async () => {
    const first = await tempStore();
    const estate = demoEstate(new Date('2026-11-23T00:00:00Z')).map(formatLine);
    await importLines(first, estate);
    const exported = await exportLines(first);
    const second = await tempStore();
    await importLines(second, exported);
    expect(await exportLines(second)).toEqual(exported);
    expect((await importLines(second, exported)).commit).toBeNull();
  });

  it('exports an empty store as nothing', async () => {
    expect(await exportLines(await tempStore())).toEqual([]);
  });
});
