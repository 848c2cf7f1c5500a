import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { andDnf, buildRequirementIndex, mergeRequirements, originalSupergraphOf, simplifyDnf, stripSecurityFeatures } from '../../src/gateway/index.js';
import { rememberOriginal } from '../../src/gateway/requirements.js';
import { IdGraphError } from '../../src/model/errors.js';
import { composeFixture } from './fixture.js';

const fixture = composeFixture();

/** One subgraph `a` (and more), composed: the supergraph as composition really writes it. */
function compose(...subgraphs: { name: string; sdl: string }[]): string {
  const composed = composeServices(subgraphs.map((s) => ({ name: s.name, url: `http://127.0.0.1:1/${s.name}`, typeDefs: parse(s.sdl) })));
  if (composed.errors !== undefined) throw new Error(composed.errors.map((e) => e.message).join('; '));
  return composed.supergraphSdl;
}

const link = (imports: string) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ${imports})`;

describe('buildRequirementIndex', () => {
  it('indexes field requirements by coordinate, keeping the OR-of-ANDs as written', () => {
    const { fields } = fixture.index;
    expect(fields.get('User.email')).toEqual({ authenticated: false, scopes: [['read:email']], policies: null });
    expect(fields.get('User.salary')).toEqual({ authenticated: false, scopes: [['read:hr', 'read:salary']], policies: null });
    expect(fields.get('User.phone')).toEqual({ authenticated: false, scopes: [['read:contact'], ['read:phone']], policies: null });
    expect(fields.get('User.ssn')).toEqual({ authenticated: false, scopes: null, policies: [['pii_reader']] });
    expect(fields.get('Query.me')).toEqual({ authenticated: true, scopes: null, policies: null });
    expect(fields.get('Query.secretNumber')?.scopes).toEqual([['admin'], ['auditor', 'read:secret']]);
    expect(fields.get('Mutation.refund')?.scopes).toEqual([['payments:refunds:write']]);
    expect(fields.get('User.orders')).toEqual({ authenticated: true, scopes: null, policies: null });
  });

  it('indexes type requirements apart from field ones: objects, enums, and interfaces that composition gave their implementations’', () => {
    const { types, fields } = fixture.index;
    expect(types.get('Vault')).toEqual({ authenticated: true, scopes: null, policies: null });
    expect(types.get('Role')).toEqual({ authenticated: false, scopes: [['read:roles']], policies: null });
    expect(types.get('Node')).toEqual({ authenticated: true, scopes: null, policies: null });
    expect(fields.has('Vault')).toBe(false);
    expect(types.has('User')).toBe(false);
    expect(fields.has('User.name')).toBe(false);
  });

  it('resolves directives imported under other names', () => {
    const sdl = compose({
      name: 'a',
      sdl: `${link('[{ name: "@requiresScopes", as: "@scopes" }, { name: "@authenticated", as: "@authn" }, "@policy"]')}
        type Query { x: Int @scopes(scopes: [["s1"]]) y: Int @authn z: Int @policy(policies: [["p"]]) }`,
    });
    expect(sdl).toContain('@scopes(scopes: [["s1"]])');
    const { fields } = buildRequirementIndex(sdl);
    expect(fields.get('Query.x')?.scopes).toEqual([['s1']]);
    expect(fields.get('Query.y')?.authenticated).toBe(true);
    expect(fields.get('Query.z')?.policies).toEqual([['p']]);
  });

  it('resolves the federation__ names composition writes when the subgraph did not import the directives', () => {
    const sdl = compose({
      name: 'a',
      sdl: `${link('["@key"]')}
        type Query { x: Int @federation__requiresScopes(scopes: [["s1"]]) y: Int @federation__authenticated }`,
    });
    expect(sdl).toContain('@federation__requiresScopes(scopes: [["s1"]])');
    const { fields } = buildRequirementIndex(sdl);
    expect(fields.get('Query.x')?.scopes).toEqual([['s1']]);
    expect(fields.get('Query.y')?.authenticated).toBe(true);
  });

  it('reads a spec linked under another prefix: its root directive is @<as>, its types <as>__*', () => {
    const sdl = `
      schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "needs", for: SECURITY) { query: Query }
      directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
      directive @needs(scopes: [[needs__Scope!]!]!) on FIELD_DEFINITION | OBJECT
      scalar needs__Scope
      scalar link__Import
      enum link__Purpose { SECURITY EXECUTION }
      type Query { x: Int @needs(scopes: [["s1"]]) requiresScopes: Int }
    `;
    expect(buildRequirementIndex(sdl).fields.get('Query.x')?.scopes).toEqual([['s1']]);
    expect(stripSecurityFeatures(sdl)).not.toMatch(/needs/);
  });

  it('ignores directives of the same name that the security specs do not link', () => {
    const sdl = `
      directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION
      type Query { x: Int @requiresScopes(scopes: [["s1"]]) }
    `;
    expect(buildRequirementIndex(sdl).fields.size).toBe(0);
  });

  it('merges a field protected by several subgraphs with AND, in DNF, as composition does', () => {
    const sdl = compose(
      { name: 'a', sdl: `${link('["@shareable", "@requiresScopes"]')} type Query { f: Int @shareable @requiresScopes(scopes: [["s1"]]) }` },
      { name: 'b', sdl: `${link('["@shareable", "@requiresScopes"]')} type Query { f: Int @shareable @requiresScopes(scopes: [["s2"], ["s3"]]) }` },
    );
    expect(buildRequirementIndex(sdl).fields.get('Query.f')?.scopes).toEqual([
      ['s1', 's2'],
      ['s1', 's3'],
    ]);
  });

  it('ANDs the requirements a type carries on its definition and its extension', () => {
    const sdl = `
      schema @link(url: "https://specs.apollo.dev/link/v1.0")
        @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)
        @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY) { query: Query }
      type Query { t: T }
      type T @requiresScopes(scopes: [["a"], ["b"]]) { x: Int }
      extend type T @requiresScopes(scopes: [["c"]]) @authenticated
    `;
    expect(buildRequirementIndex(sdl).types.get('T')).toEqual({ authenticated: true, scopes: [['a', 'c'], ['b', 'c']], policies: null });
  });

  it('reads a requirement that anything meets ([] or an empty alternative) as none, as the Router does', () => {
    const sdl = compose({ name: 'a', sdl: `${link('["@requiresScopes"]')} type Query { x: Int @requiresScopes(scopes: []) y: Int @requiresScopes(scopes: [[], ["s"]]) }` });
    expect(sdl).toContain('x: Int @requiresScopes(scopes: [])');
    expect(buildRequirementIndex(sdl).fields.size).toBe(0);
  });

  it('reports every malformed directive argument at once, by coordinate', () => {
    const sdl = `
      schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)
        @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY) { query: Query }
      type Query { x: Int @requiresScopes(scopes: [[1]]) y: Int @policy(policies: [[{ a: 1 }]]) z: Int @requiresScopes(scopes: "ok") }
    `;
    const error = catching(() => buildRequirementIndex(sdl));
    expect(error).toBeInstanceOf(IdGraphError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((error as IdGraphError).issues.map((i) => i.path)).toEqual(['Query.x', 'Query.y']);
  });

  it('refuses an SDL that does not parse, with the parser’s reason', () => {
    expect(() => buildRequirementIndex('type Query {')).toThrow(/does not parse: Syntax Error/);
  });
});

describe('stripSecurityFeatures', () => {
  it('removes the SECURITY links, the directives under their local names and the specs’ scalars, and keeps the rest', () => {
    const stripped = stripSecurityFeatures(fixture.supergraphSdl);
    for (const gone of ['specs.apollo.dev/authenticated', 'specs.apollo.dev/requiresScopes', 'specs.apollo.dev/policy', '@authenticated', '@requiresScopes', '@policy', 'requiresScopes__Scope', 'policy__Policy']) {
      expect(stripped).not.toContain(gone);
    }
    expect(stripped).toContain('https://specs.apollo.dev/join/v0.');
    expect(stripped).toContain('email: String @join__field(graph: USERS)');
    expect(buildRequirementIndex(stripped).fields.size).toBe(0);
  });

  it('strips renamed directives too', () => {
    const sdl = compose({ name: 'a', sdl: `${link('[{ name: "@requiresScopes", as: "@scopes" }]')} type Query { x: Int @scopes(scopes: [["s1"]]) }` });
    expect(stripSecurityFeatures(sdl)).not.toMatch(/@scopes|requiresScopes/);
  });

  it('returns a supergraph without the features unchanged', () => {
    const sdl = compose({ name: 'a', sdl: `${link('["@key"]')} type Query { x: Int }` });
    expect(stripSecurityFeatures(sdl)).toBe(sdl);
  });

  it('strips two originals that differ only in a security directive to two SDLs (ApolloGateway skips an SDL it has)', () => {
    const stricter = fixture.supergraphSdl.replace('[["read:email"]]', '[["read:email", "read:pii"]]');
    const [a, b] = [stripSecurityFeatures(fixture.supergraphSdl), stripSecurityFeatures(stricter)];
    expect(a).not.toBe(b);
    expect(a.replace(/original sha256 \w+/, '')).toBe(b.replace(/original sha256 \w+/, ''));
    expect(stripSecurityFeatures(fixture.supergraphSdl)).toBe(a);
  });
});

describe('originalSupergraphOf', () => {
  const stripped = stripSecurityFeatures(fixture.supergraphSdl);

  it('finds the original remembered for a stripped SDL, in the map of the one gateway that stripped it', () => {
    const mine = new Map<string, string>();
    rememberOriginal(mine, stripped, fixture.supergraphSdl);
    expect(originalSupergraphOf(stripped, mine)).toBe(fixture.supergraphSdl);
  });

  it('fails closed: a stripped SDL whose original is not remembered has none, not an empty set of requirements', () => {
    expect(originalSupergraphOf(stripped, new Map())).toBeUndefined();
    expect(originalSupergraphOf(stripped, new Map([[stripped, stripped]]))).toBeUndefined();
  });

  it('takes an SDL that was never stripped as its own original', () => {
    expect(originalSupergraphOf('type Query { x: Int }', new Map())).toBe('type Query { x: Int }');
  });

  it('keeps the last few originals of one gateway, however many other gateways strip meanwhile', () => {
    const mine = new Map<string, string>();
    rememberOriginal(mine, stripped, fixture.supergraphSdl);
    for (let i = 0; i < 10; i++) {
      const other = fixture.supergraphSdl.replace('read:email', `read:email-${i}`);
      rememberOriginal(new Map(), stripSecurityFeatures(other), other);
    }
    expect(originalSupergraphOf(stripped, mine)).toBe(fixture.supergraphSdl);
    for (let i = 0; i < 10; i++) rememberOriginal(mine, `stripped ${i}`, `original ${i}`);
    expect(mine.size).toBeLessThanOrEqual(4);
  });
});

describe('DNF helpers', () => {
  it('andDnf multiplies the alternatives out; null is no requirement', () => {
    expect(andDnf([['a']], [['b'], ['c']])).toEqual([
      ['a', 'b'],
      ['a', 'c'],
    ]);
    expect(andDnf(null, [['b']])).toEqual([['b']]);
    expect(andDnf(null, null)).toBeNull();
  });

  it('simplifyDnf sorts, dedupes and drops alternatives that contain another', () => {
    expect(simplifyDnf([['b', 'a', 'a'], ['a', 'b'], ['c']])).toEqual([['c'], ['a', 'b']]);
    expect(simplifyDnf([['a', 'b'], ['a']])).toEqual([['a']]);
    expect(simplifyDnf([])).toBeNull();
  });

  it('mergeRequirements is the AND of two requirements', () => {
    expect(mergeRequirements({ authenticated: false, scopes: [['s1']], policies: null }, { authenticated: true, scopes: [['s2'], ['s3']], policies: [['p']] })).toEqual({
      authenticated: true,
      scopes: [
        ['s1', 's2'],
        ['s1', 's3'],
      ],
      policies: [['p']],
    });
  });
});

function catching(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
