/** What a built projection holds: exact-size columns, and an image that gives the same projection back. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EdgeRecord, NodeRecord } from '../../src/model/records.js';
import { Projection, type ProjectionImage } from '../../src/projection/projection.js';
import { readSnapshotFile, writeSnapshotFile } from '../../src/projection/snapshot.js';
import { syntheticEstate } from '../../seed/synthetic.js';
import { dumpAdjacency } from '../support/adjacency-dump.js';
import { tempDir } from '../support/temp-store.js';

/** Bytes per node: label 1, start and end 8 each, level 1, severity 1, id offset 4, CSR offsets 4 + 4. */
const NODE_BYTES = 1 + 8 + 8 + 1 + 1 + 4 + 4 + 4;
/** Bytes per edge: from 4, to 4, type 1, origin 1, start 8, end 8, CSR lists 4 + 4 (no key column: keys are ''). */
const EDGE_BYTES = 4 + 4 + 1 + 1 + 8 + 8 + 4 + 4;
/** Both CSRs' offsets hold one entry more than there are nodes. */
const CSR_EXTRA = 2 * 4;
/** The id hash table: the smallest power of two ≥ 2 × nodes, 4 bytes a slot. */
const hashBytes = (nodes: number): number => 4 * 2 ** Math.max(4, Math.ceil(Math.log2(nodes * 2)));

const identity = (id: string): NodeRecord => ({ label: 'Identity', id, props: { name: id, kind: 'BOT' } });
const role = (id: string): NodeRecord => ({ label: 'Role', id, props: { name: id, origin: 'CENTRAL' } });
const hasRole = (from: string, to: string, key = ''): EdgeRecord => ({
  type: 'HAS_ROLE', from, to, fromLabel: 'Identity', toLabel: 'Role', key, props: key === '' ? {} : { id: key },
});

describe('Projection compaction', () => {
  it('trims every column to its size: typed-array bytes are exactly what the nodes and edges need', () => {
    const { nodes, edges } = syntheticEstate({ identities: 3000 });
    const p = Projection.fromRecords(nodes, edges);
    const stats = p.stats();
    expect(stats.typedArrayBytes).toBe(stats.nodes * NODE_BYTES + stats.edges * EDGE_BYTES + CSR_EXTRA + hashBytes(stats.nodes));
  });

  it('grows as changes come and is exact again after the next compaction', () => {
    const p = Projection.fromRecords([identity('sa:0'), role('role:0')], [hasRole('sa:0', 'role:0')]);
    const roles = Array.from({ length: 1500 }, (_, i) => role(`role:r${i}`));
    // 1500 overlay edges pass the compaction threshold (1024): the change is folded in and trimmed.
    p.apply({ sequence: 1, nodes: roles, edges: roles.map((r, i) => hasRole('sa:0', r.id, i === 0 ? 'k' : '')) });
    const stats = p.stats();
    expect(stats).toMatchObject({ nodes: 1502, edges: 1501 });
    // The key column reaches the last edge with a key: edge 1, the first of the change.
    expect(stats.typedArrayBytes).toBe(1502 * NODE_BYTES + 1501 * EDGE_BYTES + 2 * 4 + CSR_EXTRA + hashBytes(1502));
  });

  it('keeps no key column while every edge key is empty', () => {
    const plain = Projection.fromRecords([identity('sa:0'), role('role:0')], [hasRole('sa:0', 'role:0')]);
    const keyed = Projection.fromRecords([identity('sa:0'), role('role:0')], [hasRole('sa:0', 'role:0', 'g1')]);
    expect(keyed.stats().typedArrayBytes - plain.stats().typedArrayBytes).toBe(4);
    expect([plain.edgeKey(0), keyed.edgeKey(0)]).toEqual(['', 'g1']);
  });
});

describe('Projection.fromImage', () => {
  const built = (): Projection => {
    const { nodes, edges } = syntheticEstate({ identities: 200 });
    const odd = identity('sa:lone\ud800');
    return Projection.fromRecords([...nodes, odd, role('role:x')], [...edges, hasRole(odd.id, 'role:x', 'g"1')], 9);
  };

  it('gives back the projection its image was taken of, through a snapshot file too', () => {
    const p = built();
    expect(dumpAdjacency(Projection.fromImage(p.image()))).toEqual(dumpAdjacency(p));
    const path = join(tempDir(), 'image.snapshot');
    writeSnapshotFile(path, p.image(), 'hash');
    const file = readSnapshotFile(path);
    expect(file.auditHash).toBe('hash');
    const loaded = Projection.fromImage(file.image);
    expect(dumpAdjacency(loaded)).toEqual(dumpAdjacency(p));
    expect([loaded.sequence, loaded.indexOf('sa:lone\ud800')]).toEqual([9, p.indexOf('sa:lone\ud800')]);
  });

  it('refuses an image with a column of the wrong length or an index out of range', () => {
    const image = built().image();
    const broken = (patch: Partial<ProjectionImage>) => () => Projection.fromImage({ ...image, ...patch });
    expect(broken({ nodeEnd: image.nodeEnd.slice(1) })).toThrow(/a node column of \d+ entries for \d+ nodes/);
    expect(broken({ edgeType: image.edgeType.slice(1) })).toThrow(/an edge column of \d+ entries for \d+ edges/);
    const to = image.edgeTo.slice();
    to[3] = image.labels.length;
    expect(broken({ edgeTo: to })).toThrow(/edge target \d+ at 3 is out of range/);
    const labels = image.labels.slice();
    labels[0] = 200;
    expect(broken({ labels })).toThrow(/node label 200 at 0 is out of range/);
    expect(broken({ keys: ['x', ...image.keys.slice(1)] })).toThrow(/edge keys must start with ''/);
  });
});
