import { parse, print, stripIgnoredCharacters, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { completeResult, filterOperation, MAX_FORBIDDEN_ERRORS, type FilterResult, type Grants } from '../../src/gateway/index.js';
import { ANONYMOUS, composeFixture, deepFreeze, grants, serve } from './fixture.js';

const { schema, index } = composeFixture();

interface Run {
  filtered: FilterResult;
  /** The rewritten document, minified; null when nothing is executed. */
  sent: string | null;
}

function filter(query: string, held: Grants, variables: Record<string, unknown> = {}, operationName: string | null = null): Run & { document: DocumentNode } {
  const document = deepFreeze(parse(query));
  const filtered = filterOperation(schema, index, document, operationName, variables, held);
  return { document, filtered, sent: filtered.document === null ? null : stripIgnoredCharacters(print(filtered.document)) };
}

/** Filter, "execute" the rewritten document over the fixture's data, complete: what the client gets. */
function respond(query: string, held: Grants, variables: Record<string, unknown> = {}) {
  const { document, filtered, sent } = filter(query, held, variables);
  const data = filtered.document === null ? {} : (serve(schema, filtered.document, variables).data as Record<string, unknown>);
  const completed = completeResult(schema, document, null, variables, filtered, data);
  return {
    sent,
    data: completed.data,
    errors: completed.errors.map((e) => ({ path: e.path, coordinate: e.extensions.coordinate, missing: e.extensions.missing })),
    raw: completed.errors,
  };
}

const scopesMissing = (...alternatives: string[][]) => ({ authenticated: false, scopes: alternatives, policies: [] });

/**
 * `n` fragments, each selecting the next under two managers (`keys` are their response keys), and the
 * last selecting `email`: 2^n paths to it when the keys differ, one when they are the same.
 */
function fragmentBomb(n: number, [a, b]: [string, string]): string {
  const fragments = Array.from({ length: n }, (_, i) => `fragment F${i} on User { ${a}: manager { ...F${i + 1} } ${b}: manager { ...F${i + 1} } }`);
  return ['{ user(id: "1") { ...F0 } }', ...fragments, `fragment F${n} on User { email }`].join('\n');
}

describe('filterOperation', () => {
  it('leaves an operation whose every requirement is met unchanged, document and all', () => {
    const { document, filtered } = filter('{ user(id: "1") { name email } }', grants(['read:email']));
    expect(filtered).toMatchObject({ changed: false, denials: [], omitted: 0 });
    expect(filtered.forbiddenErrors()).toEqual([]);
    expect(filtered.document).toBe(document);
  });

  it('withholds a field that needs two scopes (AND) from a caller holding one, and says which one is missing', () => {
    const { filtered, sent } = filter('{ user(id: "1") { name salary } }', grants(['read:hr']));
    expect(sent).toBe('{user(id:"1"){name}}');
    expect(filtered.denials).toEqual([{ path: ['user', 'salary'], coordinate: 'User.salary', missing: scopesMissing(['read:salary']) }]);
    expect(filter('{ user(id: "1") { name salary } }', grants(['read:hr', 'read:salary'])).filtered.changed).toBe(false);
  });

  it('serves a field that needs one of two scopes (OR) to a caller holding either, and lists both alternatives otherwise', () => {
    expect(filter('{ user(id: "1") { phone } }', grants(['read:contact'])).filtered.changed).toBe(false);
    expect(filter('{ user(id: "1") { phone } }', grants(['read:phone'])).filtered.changed).toBe(false);
    expect(filter('{ user(id: "1") { phone } }', grants([])).filtered.denials[0]?.missing).toEqual(scopesMissing(['read:contact'], ['read:phone']));
  });

  it('reduces each unmet alternative to the scopes not held', () => {
    const { filtered } = filter('{ publicInfo secretNumber }', grants(['auditor']));
    expect(filtered.denials).toEqual([{ path: ['secretNumber'], coordinate: 'Query.secretNumber', missing: scopesMissing(['admin'], ['read:secret']) }]);
  });

  it('withholds a field whose return type is protected, named by the type (object, enum), and reports a missing login', () => {
    const { filtered, sent } = filter('{ user(id: "1") { name role vault { label } } me { name } }', ANONYMOUS);
    expect(sent).toBe('{user(id:"1"){name}}');
    expect(filtered.denials.map((d) => [d.path, d.coordinate, d.missing.authenticated])).toEqual([
      [['user', 'role'], 'Role', false],
      [['user', 'vault'], 'Vault', true],
      [['me'], 'Query.me', true],
    ]);
  });

  it('writes list positions as "@" in the static paths', () => {
    const { filtered } = filter('{ users { email } search(term: "x") { ... on Vault { id } } }', ANONYMOUS);
    expect(filtered.denials.map((d) => d.path)).toEqual([['users', '@', 'email'], ['search', '@']]);
  });

  it('keeps an emptied selection set valid with an aliased __typename, and one in each abstract set', () => {
    expect(filter('{ other: user(id: "2") { mail: email } }', ANONYMOUS).sent).toBe('{other:user(id:"2"){__idgraph_typename:__typename}}');
    expect(filter('{ search(term: "x") { ... on User { name email } ... on Vault { label } } }', ANONYMOUS).sent).toBe(
      '{search(term:"x"){...on User{name}__idgraph_typename:__typename}}',
    );
  });

  it('rewrites a fragment once, reports its denials at every spread, and drops fragments and variables left unused', () => {
    const query = `
      query Q($id: ID!, $show: Boolean!) {
        a: user(id: $id) { ...Card }
        b: user(id: "2") { ...Card ...Private }
        c: user(id: "1") { name email @include(if: $show) }
      }
      fragment Card on User { name phone }
      fragment Private on User { ssn }
    `;
    const { filtered, sent } = filter(query, grants([]), { id: '1', show: true }, 'Q');
    expect(sent).toBe('query Q($id:ID!){a:user(id:$id){...Card}b:user(id:"2"){...Card}c:user(id:"1"){name}}fragment Card on User{name}');
    expect(filtered.denials.map((d) => d.path)).toEqual([
      ['a', 'phone'],
      ['b', 'phone'],
      ['b', 'ssn'],
      ['c', 'email'],
    ]);
  });

  it('removes an unauthorized selection under a false @skip/@include without reporting it', () => {
    const { filtered, sent } = filter('query ($s: Boolean!) { user(id: "1") { name email @skip(if: $s) ssn @include(if: false) } }', ANONYMOUS, { s: true });
    expect(sent).toBe('{user(id:"1"){name}}');
    expect(filtered.changed).toBe(true);
    expect(filtered.denials).toEqual([]);
  });

  it('withholds an inline fragment or spread whose type condition is protected', () => {
    const query = '{ search(term: "x") { ...V ... on User { name } } } fragment V on Vault { label }';
    const { filtered, sent } = filter(query, ANONYMOUS);
    expect(sent).toBe('{search(term:"x"){...on User{name}__idgraph_typename:__typename}}');
    expect(filtered.denials).toEqual([{ path: ['search', '@'], coordinate: 'Vault', missing: { authenticated: true, scopes: [], policies: [] } }]);
  });

  it('removes a protected mutation field from the operation, and executes nothing when none is left', () => {
    const both = filter('mutation { note(text: "hi") refund(orderId: "o-1") }', grants(['read:email']));
    expect(both.sent).toBe('mutation{note(text:"hi")}');
    expect(both.filtered.denials).toEqual([{ path: ['refund'], coordinate: 'Mutation.refund', missing: scopesMissing(['payments:refunds:write']) }]);
    const only = filter('mutation Refund { refund(orderId: "o-1") }', grants([]));
    expect(only.filtered).toMatchObject({ changed: true, document: null });
    expect(only.filtered.forbiddenErrors()).toHaveLength(1);
  });

  it('lets __typename and introspection through', () => {
    expect(filter('{ __typename __schema { queryType { name } } user(id: "1") { __typename } }', ANONYMOUS).filtered.changed).toBe(false);
  });

  it('gives one FORBIDDEN error per denial, with the coordinate, what is missing (in the message too) and the location', () => {
    const { filtered } = filter('{ user(id: "1") { email } }', ANONYMOUS);
    expect(filtered.forbiddenErrors().map((e) => e.toJSON())).toEqual([
      {
        message: 'Unauthorized field or type: User.email (needs scope read:email)',
        locations: [{ line: 1, column: 19 }],
        path: ['user', 'email'],
        extensions: { code: 'FORBIDDEN', coordinate: 'User.email', missing: scopesMissing(['read:email']) },
      },
    ]);
  });

  it('costs the document, not its expansion: 24 fragments that each spread the next twice (2^24 paths) in milliseconds', () => {
    const started = performance.now();
    const { filtered, sent } = filter(fragmentBomb(24, ['a', 'b']), ANONYMOUS);
    const errors = filtered.forbiddenErrors();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(filtered.denials).toHaveLength(MAX_FORBIDDEN_ERRORS);
    expect(filtered.denials[0]).toEqual({ path: ['user', ...Array<string>(24).fill('a'), 'email'], coordinate: 'User.email', missing: scopesMissing(['read:email']) });
    expect(filtered.denials[1]?.path).toEqual(['user', ...Array<string>(23).fill('a'), 'b', 'email']);
    expect(filtered.omitted).toBe(2 ** 24 - MAX_FORBIDDEN_ERRORS);
    expect(errors).toHaveLength(MAX_FORBIDDEN_ERRORS + 1);
    expect(errors.at(-1)?.message).toBe(`${2 ** 24 - MAX_FORBIDDEN_ERRORS} more unauthorized selections (counted with repetitions)`);
    expect(sent).toContain('fragment F23 on User{a:manager{__idgraph_typename:__typename}b:manager{__idgraph_typename:__typename}}');
  });

  it('reports a selection reached by 2^24 routes to the same path once, without walking them', () => {
    const started = performance.now();
    const { filtered } = filter(fragmentBomb(24, ['manager', 'manager']), ANONYMOUS);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(filtered.denials.map((d) => d.path)).toEqual([['user', ...Array<string>(24).fill('manager'), 'email']]);
    expect(filtered.omitted).toBe(0);
  });

  it('withholds everything under a refused spread once, however many places spread it', () => {
    const query = `{ search(term: "x") { ${'... on Vault { ...A } '.repeat(50)} ...on User { name } } }
      fragment A on Vault { id ...B } fragment B on Vault { label }`;
    const { filtered } = filter(query, ANONYMOUS);
    expect([...filtered.removed].map(([node, refusal]) => [node.name.value, refusal.coordinate])).toEqual([
      ['id', 'Vault'],
      ['label', 'Vault'],
    ]);
    expect(filtered.denials).toEqual([{ path: ['search', '@'], coordinate: 'Vault', missing: { authenticated: true, scopes: [], policies: [] } }]);
  });

  it('names its __typename with an alias the document does not use', () => {
    const { filtered, sent } = filter('{ search(term: "x") { ... on User { __idgraph_typename: name email } } }', ANONYMOUS);
    expect(sent).toBe('{search(term:"x"){...on User{__idgraph_typename:name}__idgraph_typename_1:__typename}}');
    expect(filtered.typenameAlias).toBe('__idgraph_typename_1');
  });

  it('never modifies the document it was given (it is frozen here)', () => {
    const query = '{ a: user(id: "1") { ...F email } search(term: "x") { ... on Vault { id } } } fragment F on User { ssn name }';
    const { document } = filter(query, ANONYMOUS);
    expect(print(document)).toBe(print(parse(query)));
  });
});

describe('completeResult', () => {
  it('puts null at each withheld field, with one error per instance at its concrete path', () => {
    const { data, errors } = respond('{ users { name email } }', ANONYMOUS);
    expect(data).toEqual({ users: [{ name: 'Ann', email: null }, { name: 'Bob', email: null }] });
    expect(errors).toEqual([
      { path: ['users', 0, 'email'], coordinate: 'User.email', missing: scopesMissing(['read:email']) },
      { path: ['users', 1, 'email'], coordinate: 'User.email', missing: scopesMissing(['read:email']) },
    ]);
  });

  it('follows aliases and fragments, and shows an emptied object with its withheld fields as null', () => {
    const { data, errors } = respond('{ other: user(id: "2") { mail: email ...P } } fragment P on User { ssn }', ANONYMOUS);
    expect(data).toEqual({ other: { mail: null, ssn: null } });
    expect(errors.map((e) => e.path)).toEqual([
      ['other', 'mail'],
      ['other', 'ssn'],
    ]);
  });

  it('serves what the caller may read next to what it may not: AND field withheld, OR field served', () => {
    const { data, errors } = respond('{ user(id: "1") { name salary phone } }', grants(['read:hr', 'read:contact']));
    expect(data).toEqual({ user: { name: 'Ann', salary: null, phone: '+1-555-0101' } });
    expect(errors).toEqual([{ path: ['user', 'salary'], coordinate: 'User.salary', missing: scopesMissing(['read:salary']) }]);
  });

  it('bubbles a withheld non-null field up to the nearest nullable parent, as the spec does for any error', () => {
    const { sent, data, errors } = respond('{ publicInfo secretNumber }', ANONYMOUS);
    expect(sent).toBe('{publicInfo}');
    expect(data).toBeNull();
    expect(errors.map((e) => e.path)).toEqual([['secretNumber']]);
  });

  it('resolves abstract types from the placeholder: an item of a withheld type keeps its place, its fields null', () => {
    const { data, errors } = respond('{ search(term: "x") { ... on User { name } ... on Vault { label } } }', ANONYMOUS);
    expect(data).toEqual({ search: [{ name: 'Bob' }, { label: null }] });
    expect(errors).toEqual([{ path: ['search', 1, 'label'], coordinate: 'Vault', missing: { authenticated: true, scopes: [], policies: [] } }]);
  });

  it('answers a fully withheld operation from nothing: every root field null with its error', () => {
    const { sent, data, errors } = respond('mutation { refund(orderId: "o-1") }', ANONYMOUS);
    expect(sent).toBeNull();
    expect(data).toEqual({ refund: null });
    expect(errors.map((e) => [e.path, e.coordinate])).toEqual([[['refund'], 'Mutation.refund']]);
  });

  it('reports nothing for a withheld field under a null parent: nothing was withheld there', () => {
    expect(respond('{ user(id: "404") { email } }', ANONYMOUS)).toMatchObject({ data: { user: null }, errors: [] });
  });

  it('carries the original document’s locations', () => {
    const { raw } = respond('{\n  user(id: "1") {\n    email\n  }\n}', ANONYMOUS);
    expect(raw[0]?.locations).toEqual([{ line: 3, column: 5 }]);
  });

  it(`reports at most ${MAX_FORBIDDEN_ERRORS} errors and sums up the rest`, () => {
    const document = parse('{ users { email } }');
    const filtered = filterOperation(schema, index, document, null, {}, ANONYMOUS);
    const many = Array.from({ length: MAX_FORBIDDEN_ERRORS + 20 }, () => ({ __idgraph_typename: 'User' }));
    const { data, errors } = completeResult(schema, document, null, {}, filtered, { users: many });
    expect((data?.users as unknown[]).length).toBe(MAX_FORBIDDEN_ERRORS + 20);
    expect(errors).toHaveLength(MAX_FORBIDDEN_ERRORS + 1);
    expect(errors.at(-1)?.message).toBe('20 more unauthorized fields were withheld');
  });

  it('names the type from the alias the filter chose when the client took the usual one', () => {
    const { data, errors } = respond('{ search(term: "x") { ... on User { __idgraph_typename: name email } } }', ANONYMOUS);
    expect(data).toEqual({ search: [{ __idgraph_typename: 'Bob', email: null }, {}] });
    expect(errors.map((e) => e.path)).toEqual([['search', 0, 'email']]);
  });

  it('keeps every error of the re-execution that is not a withholding of its own', () => {
    const { document, filtered } = filter('{ search(term: "x") { ... on User { name email } } }', ANONYMOUS);
    const { data, errors } = completeResult(schema, document, null, {}, filtered, { search: [{ name: 'Bob' }] });
    expect(data).toEqual({ search: [null] });
    expect(errors.map((e) => [e.path, e.message])).toEqual([[['search', 0], expect.stringMatching(/^Abstract type "SearchResult" must resolve to an Object type at runtime/)]]);
  });

  it('answers errors, not empty data, when the re-execution cannot run', () => {
    const { document, filtered } = filter('query ($id: ID!) { user(id: $id) { name email } }', ANONYMOUS, { id: '1' });
    const { data, errors } = completeResult(schema, document, null, {}, filtered, { user: { name: 'Ann' } });
    expect(data).toBeNull();
    expect(errors.map((e) => e.message)).toEqual(['Variable "$id" of required type "ID!" was not provided.']);
  });

  it('past the cap, still bubbles a withheld non-null field (nullable ones are nulled without an error object)', () => {
    const document = parse('{ users { email } secretNumber }');
    const filtered = filterOperation(schema, index, document, null, {}, ANONYMOUS);
    const many = Array.from({ length: MAX_FORBIDDEN_ERRORS + 20 }, () => ({ __idgraph_typename: 'User' }));
    const { data, errors } = completeResult(schema, document, null, {}, filtered, { users: many });
    expect(data).toBeNull();
    expect(errors).toHaveLength(MAX_FORBIDDEN_ERRORS + 1);
    expect(errors.at(-1)?.message).toBe('21 more unauthorized fields were withheld');
  });

  it('keeps a null result null', () => {
    const { filtered, document } = filter('{ user(id: "1") { email } }', ANONYMOUS);
    expect(completeResult(schema, document, null, {}, filtered, null)).toEqual({ data: null, errors: [] });
  });
});
