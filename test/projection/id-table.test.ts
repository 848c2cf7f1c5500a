import { describe, expect, it } from 'vitest';
import { CHUNK_IDS, IdTable } from '../../src/projection/id-table.js';

const ids = (count: number, from = 0): string[] => Array.from({ length: count }, (_, i) => `sa:${from + i}${i % 7 === 0 ? ',"ü🚀' : ''}`);

describe('IdTable', () => {
  it('interns ids to consecutive indices and finds them both ways, before and after sealing', () => {
    const table = new IdTable();
    const all = ids(1000);
    expect(all.map((id) => table.intern(id))).toEqual(all.map((_, i) => i));
    expect(table.intern(all[5]!)).toBe(5);
    const check = (): void => {
      expect(all.every((id, i) => table.get(id) === i && table.id(i) === id)).toBe(true);
      expect([table.get('sa:1000'), table.get(''), table.get('sa:1'.slice(0, 3))]).toEqual([undefined, undefined, undefined]);
    };
    check();
    table.seal();
    check();
    expect(table.size).toBe(1000);
  });

  it('spans several packed chunks, sealing in steps that straddle a chunk boundary', () => {
    const table = new IdTable();
    const all = ids(CHUNK_IDS * 2 + 10);
    const steps = [10, CHUNK_IDS - 5, CHUNK_IDS + 3, all.length];
    let added = 0;
    for (const upTo of steps) {
      for (; added < upTo; added++) table.intern(all[added]!);
      table.seal();
    }
    expect(table.packed().chunks).toHaveLength(3);
    expect(all.every((id, i) => table.get(id) === i && table.id(i) === id)).toBe(true);
  });

  it('is rebuilt from its packed form with the same answers', () => {
    const table = new IdTable();
    const all = [...ids(CHUNK_IDS + 100), 'lone\ud800', ''];
    for (const id of all) table.intern(id);
    table.seal();
    const copy = IdTable.fromPacked(table.packed());
    expect(all.every((id, i) => copy.get(id) === i && copy.id(i) === id)).toBe(true);
    expect(copy.byteLength).toBe(table.byteLength);
    expect(copy.characters).toBe(table.characters);
  });

  it('refuses packed ids whose offsets do not fit their chunks', () => {
    expect(() => IdTable.fromPacked({ chunks: ['abc'], ends: new Uint32Array([2, 5]) })).toThrow(/id 1 has no valid extent/);
    expect(() => IdTable.fromPacked({ chunks: ['abc', 'd'], ends: new Uint32Array([3]) })).toThrow(/chunk count does not match/);
  });

  it('holds its ids in a hash table at most half full, and sealed offsets without slack', () => {
    const table = new IdTable();
    for (const id of ids(5000)) table.intern(id);
    table.seal();
    // 5000 offsets of 4 bytes, and 16384 slots of 4 bytes (the smallest power of two ≥ 2 × 5000).
    expect(table.byteLength).toBe(5000 * 4 + 16384 * 4);
  });
});
