import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../src/interchange/key-table.js';

describe('KeyTable', () => {
  it('answers 0 for a new key and the first line for a key seen before', () => {
    const table = new KeyTable();
    expect(table.add('HAS_ROLE\u0000sa:a\u0000role:x\u0000', 3)).toBe(0);
    expect(table.add('HAS_ROLE\u0000sa:a\u0000role:x\u0000', 9)).toBe(3);
    expect(table.lineOf('HAS_ROLE\u0000sa:a\u0000role:x\u0000')).toBe(3);
    expect(table.lineOf('HAS_ROLE\u0000sa:b\u0000role:x\u0000')).toBe(0);
    expect(table.size).toBe(1);
  });

  it('keeps every key apart through its growth, even keys that differ in one character or by order', () => {
    const table = new KeyTable(16);
    const keys = Array.from({ length: 200_000 }, (_, i) => `MEMBER_OF\u0000id:${i}\u0000grp:${i % 97}\u0000`);
    keys.push('ab', 'ba', 'a', 'aa', '');
    keys.forEach((key, i) => expect(table.add(key, i + 1)).toBe(0));
    expect(table.size).toBe(keys.length);
    keys.forEach((key, i) => {
      if (table.lineOf(key) !== i + 1) expect.fail(`key ${i} lost`);
    });
  });
});
