import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_FILE_KINDS, csvSource, type CsvFileKind } from '../../src/interchange/csv-source.js';
import type { LineSource, SourceItem } from '../../src/interchange/source.js';
import { formatLine, parseLine, parseObject, type InterchangeLine } from '../../src/model/interchange.js';
import { EDGE_PROPS, NODE_PROPS } from '../../src/model/properties.js';
import { EDGE_TYPES, NODE_LABELS, type EdgeType, type NodeLabel } from '../../src/model/vocabulary.js';
import { failureOf } from '../support/failure.js';
import { smallEstate } from '../support/lines.js';

const root = mkdtempSync(join(tmpdir(), 'idgraph-csv-'));
let dirs = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes the files into a fresh directory; a file is its rows (quoted as needed) or raw text. */
function csvFiles(files: Record<string, readonly (readonly string[])[] | string>): string[] {
  const dir = join(root, String(++dirs));
  mkdirSync(dir);
  return Object.entries(files).map(([name, content]) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : `${content.map((row) => row.map(quoted).join(',')).join('\n')}\n`);
    return path;
  });
}

function quoted(cell: string): string {
  return /[",\n]|^\s|\s$/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

async function collect(source: LineSource): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of source()) items.push(item);
  return items;
}

/** The items of one file, without the file path (the tests name the file once). */
async function read(name: string, content: readonly (readonly string[])[] | string): Promise<Omit<SourceItem, 'file'>[]> {
  return (await collect(csvSource(csvFiles({ [name]: content })))).map(({ file: _file, ...item }) => item);
}

async function values(name: string, content: readonly (readonly string[])[]): Promise<unknown[]> {
  return (await read(name, content)).map((item) => item.value);
}

function kind(file: string): CsvFileKind {
  const found = CSV_FILE_KINDS.find((candidate) => candidate.file === file);
  if (found === undefined) throw new Error(`no kind ${file}`);
  return found;
}

const names = (file: string): string[] => kind(file).columns.map((column) => column.name);
const propNames = (file: string): string[] => kind(file).columns.filter((column) => column.role === 'prop').map((column) => column.name);

/** The interchange lines of items as the importer checks them, in export order. */
function checked(items: readonly SourceItem[]): string[] {
  return items.map((item, index) => {
    const result = parseObject(item.value ?? {}, index + 1);
    expect(result).toMatchObject({ ok: true });
    return formatLine((result as { value: InterchangeLine }).value);
  }).sort();
}

describe('CSV_FILE_KINDS', () => {
  it('has a node file for every label, files for the common edge types, and edges.csv for any type', () => {
    const nodeFiles = CSV_FILE_KINDS.filter((k) => k.type === 'node');
    expect(nodeFiles.map((k) => k.label).sort()).toEqual([...NODE_LABELS].sort());
    expect(CSV_FILE_KINDS.filter((k) => k.type === 'edge').map((k) => [k.file, k.label])).toEqual([
      ['grants.csv', 'HAS_ROLE'],
      ['memberships.csv', 'MEMBER_OF'],
      ['assumes.csv', 'CAN_ASSUME'],
      ['role_grants.csv', 'GRANTS'],
      ['inherits.csv', 'INHERITS'],
      ['ownership.csv', 'OWNS'],
      ['edges.csv', null],
    ]);
  });

  it('accepts every property of a label or edge type as a column, and requires what it requires', () => {
    for (const file of CSV_FILE_KINDS) {
      if (file.label === null) continue;
      const schema = file.type === 'node' ? NODE_PROPS[file.label as NodeLabel] : EDGE_PROPS[file.label as EdgeType];
      expect(propNames(file.file).sort(), file.file).toEqual(Object.keys(schema.shape).sort());
    }
    expect(kind('identities.csv').columns.filter((c) => c.required).map((c) => c.name)).toEqual(['id', 'name', 'kind']);
    expect(kind('roles.csv').columns.filter((c) => c.required).map((c) => c.name)).toEqual(['id', 'name', 'origin']);
    expect(kind('grants.csv').columns.filter((c) => c.required).map((c) => c.name)).toEqual(['identity_or_group', 'role']);
    const anyEdgeProp = new Set(EDGE_TYPES.flatMap((type) => Object.keys(EDGE_PROPS[type].shape)));
    expect(new Set(propNames('edges.csv'))).toEqual(anyEdgeProp);
  });

  it('lists the identifying columns first, then the own properties, then the common ones', () => {
    expect(names('identities.csv')).toEqual(['id', 'name', 'kind', 'environment', 'status', 'lastSeenAt', 'owner', 'vendor', 'description', 'createdAt', 'updatedAt']);
    expect(names('grants.csv').slice(0, 7)).toEqual(['identity_or_group', 'role', 'origin', 'domain', 'status', 'grantedBy', 'grantedAt']);
    expect(names('grants.csv').slice(-3)).toEqual(['id', 'createdAt', 'updatedAt']);
    expect(names('edges.csv').slice(0, 4)).toEqual(['type', 'from', 'to', 'origin']);
  });

  it('keeps every cell as text, because every property is a string, an enum or a time', () => {
    const schemas = [...NODE_LABELS.map((l) => NODE_PROPS[l].shape), ...EDGE_TYPES.map((t) => EDGE_PROPS[t].shape)];
    for (const shape of schemas) {
      for (const [name, prop] of Object.entries(shape)) {
        const def = (prop as { _zod: { def: { type: string; innerType?: { _zod: { def: { type: string } } } } } })._zod.def;
        const type = def.type === 'optional' ? def.innerType?._zod.def.type : def.type;
        // A number or boolean property needs its cell converted in csv-source.ts before this may change.
        expect(['string', 'enum'], name).toContain(type);
      }
    }
  });
});

describe('csvSource', () => {
  it.each(CSV_FILE_KINDS.filter((k) => k.type === 'node').map((k) => [k.file, k.label]))('reads %s into %s nodes, one a row', async (file, label) => {
    const columns = kind(file).columns.filter((column) => column.role !== 'link');
    const cell = (name: string): string => `${name} value`;
    const props = Object.fromEntries(columns.filter((c) => c.role === 'prop').map((c) => [c.name, cell(c.name)]));
    expect(await values(file, [columns.map((c) => c.name), columns.map((c) => cell(c.name))])).toEqual([
      { type: 'node', label, id: cell('id'), props },
    ]);
  });

  it.each(CSV_FILE_KINDS.filter((k) => k.label !== null && k.type === 'edge').map((k) => [k.file, k.label]))('reads %s into %s edges, one a row', async (file, label) => {
    const [from, to, ...props] = names(file);
    const row = [`${from}:1`, `${to}:1`, ...props.map((name) => `${name} value`)];
    expect(await values(file, [names(file), row])).toEqual([
      { type: 'edge', label, from: `${from}:1`, to: `${to}:1`, props: Object.fromEntries(props.map((name) => [name, `${name} value`])) },
    ]);
  });

  it('reads edges.csv into edges of the type each row names', async () => {
    const rows = [['type', 'from', 'to', 'id'], ['RUNS_AS', 'svc:pay', 'sa:pay', ''], ['HOLDS', 'svc:pay', 'cred:key', 'vault']];
    expect(await values('edges.csv', rows)).toEqual([
      { type: 'edge', label: 'RUNS_AS', from: 'svc:pay', to: 'sa:pay', props: {} },
      { type: 'edge', label: 'HOLDS', from: 'svc:pay', to: 'cred:key', props: { id: 'vault' } },
    ]);
  });

  it('leaves out empty cells and blank lines, and numbers each row by its line in the file', async () => {
    const text = 'id,name,kind,environment,status\n\nsa:ci, ci ,SERVICE_ACCOUNT,,ACTIVE\n   \nsa:bot,bot,BOT,,\n';
    expect(await read('identities.csv', text)).toEqual([
      { line: 3, value: { type: 'node', label: 'Identity', id: 'sa:ci', props: { name: 'ci', kind: 'SERVICE_ACCOUNT', status: 'ACTIVE' } } },
      { line: 5, value: { type: 'node', label: 'Identity', id: 'sa:bot', props: { name: 'bot', kind: 'BOT' } } },
    ]);
  });

  it('reads quoted cells with commas, doubled quotes and line breaks, a BOM and CRLF line ends', async () => {
    const text = '\uFEFFid,name,description\r\ngrp:a,"a, b","say ""hi""\r\non two lines"\r\ngrp:c,c,\r\n';
    expect(await read('groups.csv', text)).toEqual([
      { line: 2, value: { type: 'node', label: 'Group', id: 'grp:a', props: { name: 'a, b', description: 'say "hi"\non two lines' } } },
      { line: 4, value: { type: 'node', label: 'Group', id: 'grp:c', props: { name: 'c' } } },
    ]);
  });

  it('turns a link cell into an edge after its node: credentials.csv identity AUTHENTICATES, owner OWNS', async () => {
    const rows = [
      ['id', 'name', 'kind', 'identity', 'owner'],
      ['cred:key', 'key', 'API_KEY', 'sa:ci', 'team:pay'],
      ['cred:loose', 'loose', 'SECRET', '', ''],
    ];
    expect(await read('credentials.csv', rows)).toEqual([
      { line: 2, value: { type: 'node', label: 'Credential', id: 'cred:key', props: { name: 'key', kind: 'API_KEY' } } },
      { line: 2, value: { type: 'edge', label: 'AUTHENTICATES', from: 'cred:key', to: 'sa:ci', props: {} } },
      { line: 2, value: { type: 'edge', label: 'OWNS', from: 'team:pay', to: 'cred:key', props: {} } },
      { line: 3, value: { type: 'node', label: 'Credential', id: 'cred:loose', props: { name: 'loose', kind: 'SECRET' } } },
    ]);
  });

  it('links identities to owner and vendor, scopes to their service, services to owner and workload identity', async () => {
    const edges = async (file: string, rows: string[][]): Promise<unknown[]> =>
      (await values(file, rows)).filter((value) => (value as { type: string }).type === 'edge').map((value) => {
        const { label, from, to } = value as { label: string; from: string; to: string };
        return `${from} ${label} ${to}`;
      });
    expect(await edges('identities.csv', [['id', 'name', 'kind', 'owner', 'vendor'], ['sa:x', 'x', 'BOT', 'team:a', 'vendor:acme']])).toEqual([
      'team:a OWNS sa:x',
      'vendor:acme OPERATES sa:x',
    ]);
    expect(await edges('scopes.csv', [['id', 'name', 'level', 'service'], ['scope:r', 'r', 'READ', 'svc:pay']])).toEqual(['scope:r ON svc:pay']);
    expect(await edges('services.csv', [['id', 'name', 'owner', 'identity'], ['svc:pay', 'pay', 'team:a', 'sa:pay']])).toEqual([
      'team:a OWNS svc:pay',
      'svc:pay RUNS_AS sa:pay',
    ]);
  });

  it('passes values through unchecked, for the importer to report (no duplicated validation)', async () => {
    expect(await values('identities.csv', [['id', 'name', 'kind'], ['', 'nameless', 'ROBOT']])).toEqual([
      { type: 'node', label: 'Identity', props: { name: 'nameless', kind: 'ROBOT' } },
    ]);
    expect(await values('edges.csv', [['type', 'from', 'to'], ['memberof', 'a', 'b']])).toEqual([{ type: 'edge', label: 'memberof', from: 'a', to: 'b', props: {} }]);
  });

  it('reports every problem of every file name and header together, naming the file, the column and the accepted names', async () => {
    const files = csvFiles({
      'identities.csv': [['id', 'nme', 'kind', 'colour', 'kind'], ['sa:x', 'x', 'BOT', 'red', 'BOT']],
      'grants.csv': [['identity_or_group', 'origin']],
      'people.csv': [['id', 'name']],
      'groups.csv': '',
      'roles.csv': 'id,,name,origin\n',
    });
    const error = await failureOf(collect(csvSource(files)), 'BAD_USER_INPUT');
    expect(error.message).toBe('8 problems in the CSV file names and headers; nothing was read');
    const [identities, grants, people, groups, roles] = files;
    const accepts = `identities.csv accepts ${names('identities.csv').join(', ')}`;
    expect(error.issues).toEqual([
      { line: 1, path: identities, message: `unknown column "nme"; ${accepts}` },
      { line: 1, path: identities, message: `unknown column "colour"; ${accepts}` },
      { line: 1, path: identities, message: 'column "kind" appears twice' },
      { line: 1, path: identities, message: 'missing required column "name"; identities.csv requires id, name, kind' },
      { line: 1, path: grants, message: 'missing required column "role"; grants.csv requires identity_or_group, role' },
      { path: people, message: expect.stringMatching(/^unknown CSV file name "people.csv"; expected one of identities.csv, credentials.csv, .*, edges.csv$/) },
      { line: 1, path: groups, message: expect.stringMatching(/^no header row; groups.csv needs a header with id, name and any of id, name, description/) },
      { line: 1, path: roles, message: expect.stringMatching(/^column 2 of the header has no name; roles.csv accepts id, name, origin/) },
    ]);
  });

  it('reports a file that cannot be read with the header problems, before any row', async () => {
    const [identities] = csvFiles({ 'identities.csv': [['id', 'name', 'kind'], ['sa:x', 'x', 'BOT']] });
    const missing = join(root, 'missing', 'owners.csv');
    const yielded: SourceItem[] = [];
    const reading = (async () => {
      for await (const item of csvSource([identities as string, missing])()) yielded.push(item);
    })();
    const error = await failureOf(reading, 'BAD_USER_INPUT');
    expect(error.issues).toEqual([{ path: missing, message: expect.stringMatching(/^cannot read the file \(ENOENT/) }]);
    expect(yielded).toEqual([]);
  });

  it('reports a row that cannot be read, with its file and line, and reads the rows after it', async () => {
    const text = [
      'id,name,kind',
      'sa:1,one,BOT',
      'sa:2,two',
      'sa:3,"bad"quote,BOT',
      'sa:4,"stray quote,BOT',
      'sa:5,five,BOT',
      'sa:6,six,BOT,extra',
      'sa:7,"unterminated,BOT',
      'sa:8,eight,BOT',
      '',
    ].join('\n');
    const [file] = csvFiles({ 'identities.csv': text });
    const items = await collect(csvSource([file as string]));
    expect(items.map(({ line, value, issues }) => [line, issues?.[0]?.message ?? (value as { id: string }).id])).toEqual([
      [2, 'sa:1'],
      [3, 'expected 3 cells, one for each column of the header (id, name, kind), got 2'],
      [4, 'a quoted cell must end at a comma or at the end of the row'],
      [5, 'a quoted cell must end at a comma or at the end of the row'],
      [6, 'sa:5'],
      [7, 'expected 3 cells, one for each column of the header (id, name, kind), got 4'],
      [8, 'unterminated quote: a quoted cell is not closed'],
      [9, 'sa:8'],
    ]);
    expect(items.every((item) => item.file === file)).toBe(true);
    expect(items[1]?.issues).toEqual([{ path: '', message: expect.any(String) }]);
  });

  it('reads a long file in batches, finding a bad row in the middle and every row around it', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => `grp:${i},g${i}`);
    rows[700] = 'grp:700,"broken';
    const items = await read('groups.csv', `id,name\n${rows.join('\n')}\n`);
    expect(items).toHaveLength(1200);
    expect(items[700]).toEqual({ line: 702, issues: [{ path: '', message: 'unterminated quote: a quoted cell is not closed' }] });
    expect(items.filter((item) => item.issues === undefined).map((item) => item.line)).toEqual(
      Array.from({ length: 1200 }, (_, i) => i + 2).filter((line) => line !== 702),
    );
  });

  it('starts again from the beginning on every call, also after a read that stopped early', async () => {
    const source = csvSource(csvFiles({ 'groups.csv': [['id', 'name'], ['grp:a', 'a'], ['grp:b', 'b']], 'memberships.csv': [['identity_or_group', 'group'], ['grp:a', 'grp:b']] }));
    const first = await collect(source);
    for await (const _item of source()) break;
    expect(await collect(source)).toEqual(first);
    expect(first.map((item) => item.line)).toEqual([2, 3, 2]);
  });

  it('reads a CSV estate into the same interchange lines as its NDJSON equivalent', async () => {
    const files = csvFiles({
      'identities.csv': [['id', 'name', 'kind', 'environment', 'status'], ['sa:ci', 'sa:ci', 'SERVICE_ACCOUNT', 'prod', 'ACTIVE']],
      'credentials.csv': [['id', 'name', 'kind', 'fingerprint', 'issuedAt', 'identity'], ['cred:ci-key', 'cred:ci-key', 'API_KEY', 'sha256:ab12', '2026-01-01T00:00:00Z', 'sa:ci']],
      'roles.csv': [['id', 'name', 'origin'], ['role:deploy', 'role:deploy', 'CENTRAL']],
      'scopes.csv': [['id', 'name', 'level', 'sensitivity', 'service'], ['scope:payments:deploy', 'scope:payments:deploy', 'ADMIN', 'CRITICAL', 'svc:payments']],
      'services.csv': [['id', 'name', 'environment', 'criticality'], ['svc:payments', 'svc:payments', 'prod', 'CRITICAL']],
      'grants.csv': [['identity_or_group', 'role', 'origin', 'domain', 'status', 'grantedAt', 'expiresAt'], ['sa:ci', 'role:deploy', 'CENTRAL', '', 'ACTIVE', '2026-01-05T10:00:00Z', '']],
      'role_grants.csv': [['role', 'scope'], ['role:deploy', 'scope:payments:deploy']],
    });
    const ndjson = smallEstate().map((text, index) => {
      const result = parseLine(text, index + 1);
      return formatLine((result as { value: InterchangeLine }).value);
    });
    expect(checked(await collect(csvSource(files)))).toEqual(ndjson.sort());
  });
});
