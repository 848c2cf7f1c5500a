import { buildSchema, parse, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildRequirementIndex, collectRequirements, selectionRequirements, type OperationRequirements } from '../../src/gateway/index.js';
import { IdGraphError } from '../../src/model/errors.js';
import { composeFixture } from './fixture.js';

const { schema, index } = composeFixture();

/** The requirements as plain sorted lists, to compare. */
function collect(query: string, operationName: string | null = null): { authenticated: boolean; scopes: string[]; policies: string[]; touched: boolean } {
  return plain(collectRequirements(schema, index, parse(query), operationName));
}

function plain(r: OperationRequirements) {
  return { authenticated: r.authenticated, scopes: [...r.scopes].sort(), policies: [...r.policies].sort(), touched: r.touched };
}

const NOTHING = { authenticated: false, scopes: [], policies: [], touched: false };

describe('collectRequirements', () => {
  it('finds nothing in an operation that selects nothing protected', () => {
    expect(collect('{ publicInfo user(id: "1") { id name } users { name } }')).toEqual(NOTHING);
  });

  it('collects field requirements, return-type requirements (object, enum) and every name of every alternative', () => {
    expect(collect('{ user(id: "1") { email role vault { label } ssn } secretNumber }')).toEqual({
      authenticated: true,
      scopes: ['admin', 'auditor', 'read:email', 'read:roles', 'read:secret'],
      policies: ['pii_reader'],
      touched: true,
    });
  });

  it('follows named fragments, nested and spread several times, once each', () => {
    const query = `
      { a: user(id: "1") { ...Contact } b: user(id: "2") { ...Contact } }
      fragment Contact on User { phone ...Private }
      fragment Private on User { ssn }
    `;
    expect(collect(query)).toEqual({ authenticated: false, scopes: ['read:contact', 'read:phone'], policies: ['pii_reader'], touched: true });
  });

  it('checks inline fragments on abstract types: their type conditions and what they select', () => {
    expect(collect('{ search(term: "x") { ... on User { salary } ... on Vault { id } } }')).toEqual({
      authenticated: true,
      scopes: ['read:hr', 'read:salary'],
      policies: [],
      touched: true,
    });
    expect(collect('{ search(term: "x") { ... on User { name } } }')).toEqual(NOTHING);
  });

  it('finds the requirement composition put on an interface from its implementations', () => {
    expect(collect('{ node(id: "1") { id } }')).toMatchObject({ authenticated: true, touched: true });
  });

  it('looks through aliases to the fields they name', () => {
    expect(collect('{ who: user(id: "1") { mail: email pay: salary } }')).toMatchObject({ scopes: ['read:email', 'read:hr', 'read:salary'] });
  });

  it('collects under @skip and @include whatever their values (the document is filtered, not executed)', () => {
    expect(collect('query ($s: Boolean!) { user(id: "1") { email @skip(if: $s) ssn @include(if: false) } }')).toMatchObject({
      scopes: ['read:email'],
      policies: ['pii_reader'],
    });
  });

  it('lets introspection and __typename pass', () => {
    expect(collect('{ __typename __schema { types { name fields { name } } } __type(name: "User") { name } }')).toEqual(NOTHING);
  });

  it('collects a protected entity field served by another subgraph, and a protected mutation', () => {
    expect(collect('{ user(id: "1") { orders { total } } }')).toEqual({ authenticated: true, scopes: [], policies: ['finance'], touched: true });
    expect(collect('mutation { note(text: "x") refund(orderId: "o-1") }')).toMatchObject({ scopes: ['payments:refunds:write'] });
  });

  it('collects only the operation named', () => {
    const query = 'query Public { publicInfo } query Private { me { email } }';
    expect(collect(query, 'Public')).toEqual(NOTHING);
    expect(collect(query, 'Private')).toEqual({ authenticated: true, scopes: ['read:email'], policies: [], touched: true });
  });

  it('refuses an unknown operation and a document that does not match the schema', () => {
    expect(() => collect('query A { publicInfo }', 'B')).toThrow(IdGraphError);
    expect(() => collect('query A { publicInfo } query B { publicInfo }')).toThrow(/operation name/);
    expect(() => collect('{ user(id: "1") { nickname } }')).toThrow(/unknown field "User.nickname"/);
  });

  it('takes any name given as a name, "" too, as graphql-js does (Apollo Server resolves no operation for it)', () => {
    expect(() => collect('{ publicInfo }', '')).toThrow('Unknown operation named "".');
    expect(() => collect('query A { publicInfo } query B { me { email } }', '')).toThrow('Unknown operation named "".');
    expect(collect('{ publicInfo }', null)).toEqual(NOTHING);
  });
});

describe('selectionRequirements', () => {
  const sdl = `
    schema @link(url: "https://specs.apollo.dev/link/v1.0")
      @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
      @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY) { query: Query mutation: Mutation }
    type Query { a: Int }
    type Mutation @authenticated { pay: Receipt @requiresScopes(scopes: [["pay"]]) }
    type Receipt @requiresScopes(scopes: [["receipts"]]) { id: ID }
  `;

  it('lists the field’s own requirement, then its return type’s, then its root type’s, by coordinate', () => {
    const rootSchema = buildSchema(sdl, { assumeValidSDL: true });
    const mutation = rootSchema.getMutationType()!;
    const applied = selectionRequirements(rootSchema, buildRequirementIndex(sdl), mutation, mutation.getFields().pay!);
    expect(applied).toEqual([
      { coordinate: 'Mutation.pay', requirement: { authenticated: false, scopes: [['pay']], policies: null } },
      { coordinate: 'Receipt', requirement: { authenticated: false, scopes: [['receipts']], policies: null } },
      { coordinate: 'Mutation', requirement: { authenticated: true, scopes: null, policies: null } },
    ]);
  });

  it('applies a root type’s requirement to root fields only', () => {
    const rootSchema = buildSchema(sdl, { assumeValidSDL: true });
    const receipt = rootSchema.getType('Receipt') as GraphQLObjectType;
    expect(selectionRequirements(rootSchema, buildRequirementIndex(sdl), receipt, receipt.getFields().id!)).toEqual([]);
  });
});
