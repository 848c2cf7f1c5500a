/** Authorization: deny by default, an explicit rule for every field, entities under the same rules as lookups. */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, RULES } from '../../src/graphql/index.js';
import { demoApi, type TestApi } from './api.js';

describe('the rule module', () => {
  it('names a rule for every field of the schema: each Query field by name, other types whole or field by field', () => {
    const schema = buildSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      // Read by shape: vitest may load graphql twice, and instanceof checks fail across copies.
      if (type.name.startsWith('__') || !('getFields' in type) || !('getInterfaces' in type) || !isObjectTypeLike(type)) continue;
      const rule = (RULES as Record<string, unknown>)[type.name];
      if (rule === undefined) {
        missing.push(`${type.name} (no rule)`);
        continue;
      }
      if (typeof rule === 'object' && rule !== null && !('resolve' in rule)) {
        for (const field of Object.keys((type as { getFields(): Record<string, unknown> }).getFields())) {
          if ((rule as Record<string, unknown>)[field] === undefined) missing.push(`${type.name}.${field}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('lists every Query field one by one, _entities and node among them', () => {
    const fields = Object.keys(buildSchema().getQueryType()!.getFields()).sort();
    expect(Object.keys((RULES as Record<string, object>)['Query']!).sort()).toEqual(fields);
    expect(fields).toEqual(expect.arrayContaining(['_entities', 'node', 'nodes', 'blastRadius']));
  });
});

describe('a caller without an API role', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await demoApi({ caller: { subject: 'mallory', issuer: 'test', roles: [], services: [] } });
  });

  it.each([
    ['node', '{ node(id: "sa:payments-ci") { id } }'],
    ['a path query', '{ blastRadius(subject: "cred:payments-ci-key") { totalCount } }'],
    ['a listing', '{ identities { totalCount } }'],
    ['_entities', '{ _entities(representations: [{ __typename: "Identity", id: "sa:payments-ci" }]) { ... on Identity { id } } }'],
  ])('is FORBIDDEN to read %s', async (_what, query) => {
    const [error] = await api.errors(query);
    expect(error).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(error!.message).toMatch(/holds no API role/);
  });
});

describe('each API role', () => {
  it.each([['analyst'], ['auditor'], ['service-owner'], ['central-admin']] as const)('%s reads the graph', async (role) => {
    const api = await demoApi({ caller: { subject: 'x', issuer: 'test', roles: [role], services: role === 'service-owner' ? ['svc:payments'] : [] } });
    expect(await api.data('{ node(id: "svc:payments") { id } }')).toEqual({ node: { id: 'svc:payments' } });
  });
});

/** By constructor name: under vitest the schema's graphql is another copy, where instanceof checks throw. */
function isObjectTypeLike(type: unknown): boolean {
  return (type as { constructor?: { name?: string } }).constructor?.name === 'GraphQLObjectType';
}
