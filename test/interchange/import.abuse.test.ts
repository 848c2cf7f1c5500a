/** Every way an import file can be wrong: each is reported with its line and field, and nothing is written. */
import { describe, expect, it } from 'vitest';
import { importLines, MAX_REPORTED_ISSUES } from '../../src/interchange/import.js';
import type { IdGraphError, Issue } from '../../src/model/errors.js';
import { failureOf } from '../support/failure.js';
import type { GraphStore } from '../../src/store/port.js';
import { edgeLine, nodeLine, smallEstate } from '../support/lines.js';
import { tempStore } from '../support/temp-store.js';

function rejected(store: GraphStore, lines: string[]): Promise<IdGraphError> {
  return failureOf(importLines(store, lines), 'BAD_USER_INPUT');
}

/** The issues of importing `bad` after a valid estate, as `line: path: message` strings. */
async function issuesOf(...bad: string[]): Promise<{ issues: Issue[]; store: GraphStore }> {
  const store = await tempStore();
  const error = await rejected(store, [...smallEstate(), ...bad]);
  expect(error.code).toBe('BAD_USER_INPUT');
  return { issues: [...error.issues], store };
}

const BAD_LINE = 10; // smallEstate() has 9 lines

describe('importLines rejects', () => {
  it.each([
    ['text that is not JSON', '{"type":"node",', '', /not valid JSON/],
    ['JSON that is not an object', '[1,2]', '', /expected a JSON object/],
    ['an unknown line type', JSON.stringify({ type: 'vertex', label: 'Identity', id: 'x' }), 'type', /must be "node" or "edge", got "vertex"/],
    ['an unknown node label', nodeLine('Robot' as never, 'bot:x'), 'label', /unknown node label "Robot"; expected one of Identity, Credential/],
    ['an unknown edge type', edgeLine('memberof', 'sa:ci', 'role:deploy'), 'label', /unknown edge type "memberof"; expected one of OWNS, OPERATES.*MEMBER_OF/],
    ['an unknown enum value', nodeLine('Identity', 'sa:x', { kind: 'ROBOT' }), 'props.kind', /SERVICE_ACCOUNT/],
    ['an unknown property', nodeLine('Identity', 'sa:x', { colour: 'red' }), 'props', /colour/],
    ['a missing required property', JSON.stringify({ type: 'node', label: 'Scope', id: 's', props: { name: 's' } }), 'props.level', /READ/],
    ['a time without a zone', nodeLine('Credential', 'cred:x', { expiresAt: '2026-12-31T00:00:00' }), 'props.expiresAt', /with a zone/],
    ['an empty id', nodeLine('Group', '', { name: 'nameless' }), 'id', /non-empty string/],
    ['an extra top-level field', JSON.stringify({ type: 'node', label: 'Group', id: 'g', props: { name: 'g' }, owner: 'x' }), 'owner', /unknown field/],
    ['a LOCAL role without its service', nodeLine('Role', 'role:l', { origin: 'LOCAL' }), 'props.service', /LOCAL role must name its owning service/],
    ['an edge from a node that exists nowhere', edgeLine('HAS_ROLE', 'sa:ghost', 'role:deploy'), 'from', /no node "sa:ghost" in the file or the graph/],
    ['an edge to a node that exists nowhere', edgeLine('HAS_ROLE', 'sa:ci', 'role:ghost'), 'to', /no node "role:ghost"/],
    ['an edge between labels it does not join', edgeLine('MEMBER_OF', 'svc:payments', 'role:deploy'), 'label', /MEMBER_OF cannot join a Service to a Role; it joins Identity or Group → Group/],
    ['a grant property on a structural edge', edgeLine('ON', 'scope:payments:deploy', 'svc:payments', { expiresAt: '2026-01-01T00:00:00Z' }), 'props', /expiresAt/],
    ['a duplicate node id', nodeLine('Group', 'sa:ci'), 'id', /duplicate node "sa:ci", first on line 1/],
    ['a duplicate edge', edgeLine('GRANTS', 'role:deploy', 'scope:payments:deploy'), 'props.id', /duplicate GRANTS edge .* first on line 8/],
  ])('%s, naming the line and the field', async (_case, line, path, message) => {
    const { issues, store } = await issuesOf(line);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: BAD_LINE, path });
    expect(issues[0]?.message).toMatch(message);
    expect(await store.lastSequence()).toBe(0);
    expect(await store.getNodes(['sa:ci'])).toEqual([undefined]);
  });

  it('a node that would change the label of one in the graph', async () => {
    const store = await tempStore();
    await importLines(store, smallEstate());
    const error = await rejected(store, [nodeLine('Group', 'sa:ci')]);
    expect(error.issues).toEqual([{ line: 1, path: 'id', message: '"sa:ci" is an Identity in the graph; a node cannot change label' }]);
    expect(await store.lastSequence()).toBe(1);
  });

  it('every bad line of a file at once, in line order, and writes none of the good ones', async () => {
    const store = await tempStore();
    const lines = [nodeLine('Identity', 'sa:ok'), '{oops', nodeLine('Identity', 'sa:y', { kind: 'NOPE' }), nodeLine('Group', 'g:ok'), edgeLine('HAS_ROLE', 'sa:ok', 'role:none')];
    const error = await rejected(store, lines);
    expect(error.issues.map((i) => i.line)).toEqual([2, 3, 5]);
    expect(error.message).toMatch(/^Import rejected, nothing written: 3 problem\(s\) on 3 line\(s\)/);
    expect(await store.getNodes(['sa:ok', 'g:ok'])).toEqual([undefined, undefined]);
    expect(await store.lastSequence()).toBe(0);
  });

  it('two edges whose ids differ only in where a space falls, as two edges', async () => {
    const store = await tempStore();
    const lines = [nodeLine('Identity', 'a b'), nodeLine('Identity', 'a'), nodeLine('Group', 'c'), nodeLine('Group', 'b c'), edgeLine('MEMBER_OF', 'a b', 'c'), edgeLine('MEMBER_OF', 'a', 'b c')];
    expect((await importLines(store, lines)).edges.created).toBe(2);
  });

  it('a file with more bad lines than it lists, saying how many more', async () => {
    const store = await tempStore();
    const lines = Array.from({ length: MAX_REPORTED_ISSUES + 5 }, () => '{');
    const error = await rejected(store, lines);
    expect(error.issues).toHaveLength(MAX_REPORTED_ISSUES);
    expect(error.message).toContain('(and 5 more not listed)');
  });

  it('caps the issues found across lines too (unknown endpoints), listing the first by line', async () => {
    const store = await tempStore();
    const lines = [nodeLine('Group', 'g'), ...Array.from({ length: MAX_REPORTED_ISSUES + 3 }, (_, i) => edgeLine('MEMBER_OF', 'g', `grp:missing-${i}`))];
    const error = await rejected(store, lines);
    expect(error.issues).toHaveLength(MAX_REPORTED_ISSUES);
    expect(error.issues[0]?.line).toBe(2);
    expect(error.message).toContain('(and 3 more not listed)');
  });
});
