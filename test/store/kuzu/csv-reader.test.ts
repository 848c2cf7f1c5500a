import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvReader } from '../../../src/store/kuzu/csv-reader.js';
import { tempDir } from '../../support/temp-store.js';

/** Every row of `text` read through a reader of `columns` fields, `chunkBytes` at a time, `count` rows a call. */
function rowsOf(text: string, columns: number, chunkBytes: number, count = 2): string[][] {
  const path = join(tempDir(), 'rows.csv');
  writeFileSync(path, text);
  const reader = new CsvReader(path, columns, undefined, chunkBytes);
  const rows: string[][] = [];
  try {
    while (reader.read(count, (fields) => rows.push([...fields])) > 0);
  } finally {
    reader.close();
  }
  return rows;
}

const TEXT = [
  '0,id:0,"{""name"":""a,b""}"',
  '1,"id:with ""quotes"", commas",{}',
  '2,"line',
  'break",',
  '3,ünïcødé 🚀,""',
  '4,,"ends with a quote"""',
  '',
].join('\n');
const ROWS = [
  ['0', 'id:0', '{"name":"a,b"}'],
  ['1', 'id:with "quotes", commas', '{}'],
  ['2', 'line\nbreak', ''],
  ['3', 'ünïcødé 🚀', ''],
  ['4', '', 'ends with a quote"'],
];

describe('CsvReader', () => {
  it('reads another dialect: its delimiter, and its quote doubled inside a quoted field', () => {
    const text = '0|id:0|{"a":"b,c"}\n1|`pipe|and``tick`|``\n';
    const path = join(tempDir(), 'rows.csv');
    writeFileSync(path, text);
    const reader = new CsvReader(path, 3, { delimiter: '|', quote: '`' }, 3);
    const rows: string[][] = [];
    while (reader.read(1, (fields) => rows.push([...fields])) > 0);
    reader.close();
    expect(rows).toEqual([['0', 'id:0', '{"a":"b,c"}'], ['1', 'pipe|and`tick', '']]);
  });

  it("reads Kuzu's CSV: quoted fields with commas, doubled quotes and line breaks, NULL and '' as ''", () => {
    expect(rowsOf(TEXT, 3, 1 << 16)).toEqual(ROWS);
  });

  it('reads rows that straddle chunks, whatever the chunk size, even inside a multi-byte character', () => {
    for (const chunkBytes of [1, 2, 3, 5, 7, 11, 64]) expect(rowsOf(TEXT, 3, chunkBytes, 1)).toEqual(ROWS);
  });

  it('reads a last row without a line break, and an empty file as no rows', () => {
    expect(rowsOf('1,a,b\n2,c,"d"', 3, 4)).toEqual([['1', 'a', 'b'], ['2', 'c', 'd']]);
    expect(rowsOf('', 3, 4)).toEqual([]);
  });

  it('refuses rows of the wrong width and a file that ends inside a quoted field', () => {
    expect(() => rowsOf('1,a\n', 3, 64)).toThrow(/a CSV row of fewer than 3 fields/);
    expect(() => rowsOf('1,a,b,c\n', 3, 64)).toThrow(/a CSV row of more than 3 fields/);
    expect(() => rowsOf('1,a,"b\n', 3, 64)).toThrow(/the CSV file ends inside a row/);
  });
});
