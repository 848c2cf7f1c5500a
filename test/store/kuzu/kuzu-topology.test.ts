/** The Kuzu adapter's topology scan: what scanNodes and scanEdges hold, exported with COPY and parsed. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EdgeRecord, NodeRecord } from '../../../src/model/records.js';
import { Projection } from '../../../src/projection/projection.js';
import { openKuzuStore } from '../../../src/store/kuzu/kuzu-store.js';
import type { GraphStore, TopologyBatch } from '../../../src/store/port.js';
import { syntheticEstate } from '../../../seed/synthetic.js';
import { dumpAdjacency } from '../../support/adjacency-dump.js';
import { DelegatingStore } from '../../support/delegating-store.js';
import { failureOf } from '../../support/failure.js';
import { tempDir } from '../../support/temp-store.js';

const ODD_IDS = ['sa:comma,"quote"', 'sa:line\nbreak', 'sa:ünïcødé 🚀', 'sa:back\\slash'];

/** A store with a small estate plus nodes and edges of awkward ids, keys and props; closed after `use`. */
async function withStore(use: (store: GraphStore, dir: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const store = await openKuzuStore({ dir });
  try {
    const { nodes, edges } = syntheticEstate({ identities: 50 });
    const odd: NodeRecord[] = ODD_IDS.map((id) => ({ label: 'Identity', id, props: { name: id, note: 'a "quoted", text\nover lines' } }));
    const oddEdges: EdgeRecord[] = ODD_IDS.map((id, i) => ({
      type: 'MEMBER_OF', from: id, to: 'grp:g0', fromLabel: 'Identity', toLabel: 'Group', key: i === 0 ? '' : `key,"${i}"`,
      props: { ...(i === 0 ? {} : { id: `key,"${i}"` }), status: 'ACTIVE', grantedAt: '2026-01-01T00:00:00Z', justification: 'x,"y"' },
    }));
    await store.write({ nodes: [...nodes, ...odd], edges: [...edges, ...oddEdges], audit: { actor: 'test', action: 'seed' } });
    await use(store, dir);
  } finally {
    await store.close();
  }
}

async function collect(batches: AsyncIterable<TopologyBatch>): Promise<TopologyBatch[]> {
  const all: TopologyBatch[] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

/** The topology as records, ids put back in place of positions: comparable with scanNodes and scanEdges. */
function records(batches: readonly TopologyBatch[]): { nodes: NodeRecord[]; edges: string[] } {
  const nodes: NodeRecord[] = [];
  const edges: string[] = [];
  for (const batch of batches) {
    if (batch.kind === 'nodes') batch.ids.forEach((id, i) => nodes.push({ label: batch.labels[i]!, id, props: batch.props[i]! }));
    else batch.types.forEach((type, i) => edges.push(JSON.stringify([type, nodes[batch.from[i]!]!.id, nodes[batch.to[i]!]!.id, batch.keys[i], batch.props[i]])));
  }
  return { nodes, edges };
}

async function recordScans(store: GraphStore): Promise<{ nodes: NodeRecord[]; edges: string[] }> {
  const nodes: NodeRecord[] = [];
  const edges: string[] = [];
  for await (const batch of store.scanNodes()) nodes.push(...batch);
  for await (const batch of store.scanEdges()) edges.push(...batch.map((e) => JSON.stringify([e.type, e.from, e.to, e.key, e.props])));
  return { nodes, edges };
}

const byId = (a: NodeRecord, b: NodeRecord): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe('KuzuStore.scanTopology', () => {
  it('yields every node, then every edge, as scanNodes and scanEdges hold them, in batches of at most batchSize', async () => {
    await withStore(async (store, dir) => {
      const batches = await collect(store.scanTopology(17));
      const kinds = batches.map((b) => b.kind);
      expect(kinds.indexOf('edges')).toBeGreaterThan(kinds.lastIndexOf('nodes'));
      expect(batches.every((b) => (b.kind === 'nodes' ? b.ids.length : b.types.length) <= 17)).toBe(true);
      const topology = records(batches);
      const scanned = await recordScans(store);
      expect(topology.nodes.sort(byId)).toEqual(scanned.nodes.sort(byId));
      expect(topology.edges.sort()).toEqual(scanned.edges.sort());
      expect(readdirSync(dir)).not.toContainEqual(expect.stringMatching(/^\.topology-/));
    });
  });

  it('gives the same topology as the record-scan fallback that Neo4j uses', async () => {
    await withStore(async (store) => {
      const fallback = records(await collect(new DelegatingStore(store).scanTopology(64)));
      const copied = records(await collect(store.scanTopology(64)));
      expect(copied.nodes.sort(byId)).toEqual(fallback.nodes.sort(byId));
      expect(copied.edges.sort()).toEqual(fallback.edges.sort());
    });
  });

  it('leaves out an edge whose endpoint was committed after its table was exported, and the build catches it up', async () => {
    await withStore(async (store) => {
      const late: NodeRecord = { label: 'Identity', id: 'sa:late', props: { name: 'late' } };
      const edge: EdgeRecord = { type: 'MEMBER_OF', from: 'sa:late', to: 'grp:g1', fromLabel: 'Identity', toLabel: 'Group', key: '', props: {} };
      let written = false;
      // The real scan, with a commit landing once the Identity table has been exported.
      const racing = new (class extends DelegatingStore {
        override async *scanTopology(batchSize?: number) {
          for await (const batch of store.scanTopology(batchSize)) {
            yield batch;
            if (!written && batch.kind === 'nodes' && batch.labels[0] === 'Credential') {
              written = true;
              await store.write({ nodes: [late], edges: [edge], audit: { actor: 'test', action: 'race' } });
            }
          }
        }
      })(store);
      const scanned = records(await collect(racing.scanTopology(1000)));
      expect(scanned.nodes.some((n) => n.id === 'sa:late')).toBe(false);
      expect(scanned.edges.some((e) => e.includes('sa:late'))).toBe(false);
      written = false;
      const built = await Projection.build(racing);
      expect(built.sequence).toBe(3);
      expect(built.indexOf('sa:late')).toBeDefined();
      expect(dumpAdjacency(built)).toEqual(dumpAdjacency(await Projection.build(store)));
    });
  });

  it('removes its files when the caller stops early, and refuses a bad batch size', async () => {
    await withStore(async (store, dir) => {
      for await (const batch of store.scanTopology(5)) if (batch.kind === 'nodes') break;
      expect(readdirSync(dir)).not.toContainEqual(expect.stringMatching(/^\.topology-/));
      await failureOf(store.scanTopology(0)[Symbol.asyncIterator]().next(), 'BAD_USER_INPUT');
    });
  });
});
