import { describe, expect, it } from 'vitest';
import { importLines } from '../../src/interchange/import.js';
import { firstBrokenLink } from '../../src/model/audit-chain.js';
import { edgeLine, nodeLine, smallEstate } from '../support/lines.js';
import { tempStore } from '../support/temp-store.js';

describe('importLines', () => {
  it('writes every node and edge of a valid file in one commit with its audit event', async () => {
    const store = await tempStore();
    const summary = await importLines(store, smallEstate(), { source: 'small.ndjson', actor: 'alice' });
    expect(summary.nodes).toEqual({ created: 5, updated: 0, unchanged: 0 });
    expect(summary.edges).toEqual({ created: 4, updated: 0, unchanged: 0 });
    expect(summary.commit?.sequence).toBe(1);
    const [event] = await store.auditEvents(0, 10);
    expect(event).toMatchObject({ sequence: 1, actor: 'alice', action: 'import' });
    expect(event?.reason).toContain('small.ndjson');
    const [sa, missing] = await store.getNodes(['sa:ci', 'sa:none']);
    expect(sa).toEqual({ label: 'Identity', id: 'sa:ci', props: { name: 'sa:ci', kind: 'SERVICE_ACCOUNT', environment: 'prod', status: 'ACTIVE' } });
    expect(missing).toBeUndefined();
  });

  it('changes nothing and writes no audit event when the same file is imported twice', async () => {
    const store = await tempStore();
    await importLines(store, smallEstate());
    const again = await importLines(store, smallEstate());
    expect(again).toMatchObject({ commit: null, nodes: { created: 0, updated: 0, unchanged: 5 }, edges: { unchanged: 4 } });
    expect(await store.lastSequence()).toBe(1);
  });

  it('writes only what changed, and replaces a node or edge props whole', async () => {
    const store = await tempStore();
    await importLines(store, smallEstate());
    const changed = [
      nodeLine('Identity', 'sa:ci', { environment: 'prod', status: 'DISABLED' }),
      edgeLine('HAS_ROLE', 'sa:ci', 'role:deploy', { origin: 'CENTRAL', status: 'REVOKED', revokedAt: '2026-02-01T00:00:00Z' }),
    ];
    const summary = await importLines(store, changed);
    expect(summary).toMatchObject({ nodes: { updated: 1 }, edges: { updated: 1 }, commit: { sequence: 2 } });
    const [edge] = await store.getEdges([{ type: 'HAS_ROLE', from: 'sa:ci', to: 'role:deploy', key: '' }]);
    expect(edge?.props).toEqual({ origin: 'CENTRAL', status: 'REVOKED', revokedAt: '2026-02-01T00:00:00Z' });
    expect(firstBrokenLink(await store.auditEvents(0, 10))).toBeUndefined();
  });

  it('resolves edge endpoints that are already in the graph', async () => {
    const store = await tempStore();
    await importLines(store, smallEstate());
    const summary = await importLines(store, [nodeLine('Group', 'grp:sre'), edgeLine('MEMBER_OF', 'sa:ci', 'grp:sre')]);
    expect(summary.edges.created).toBe(1);
  });

  it('keeps parallel edges apart by props.id', async () => {
    const store = await tempStore();
    const lines = [
      ...smallEstate(),
      edgeLine('HAS_ROLE', 'sa:ci', 'role:deploy', { id: 'jit-1', origin: 'LOCAL', domain: 'svc:payments', expiresAt: '2026-03-01T00:00:00Z' }),
    ];
    expect((await importLines(store, lines)).edges.created).toBe(5);
  });

  it('skips blank lines and counts every line', async () => {
    const store = await tempStore();
    const summary = await importLines(store, ['', ...smallEstate(), '   ']);
    expect(summary.lines).toBe(11);
    expect(summary.nodes.created).toBe(5);
  });
});
