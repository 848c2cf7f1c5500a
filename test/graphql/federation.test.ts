/**
 * The subgraph as a platform team sees it: its printed SDL is current, composes with another subgraph
 * with Apollo's own composition, and declares the entities and shareable types DESIGN.md names.
 */
import { composeServices } from '@apollo/composition';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { PRINTED_SCHEMA_FILE, printedSchema } from '../../src/graphql/index.js';

const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

/** A small inventory subgraph that extends our `Service` entity with its deployments. */
const INVENTORY = `${FEDERATION_LINK}
  type Service @key(fields: "id") { id: ID! deployments: [String!]! }
  type Query { deployments: [Service!]! }`;

function compose(...others: { name: string; sdl: string }[]) {
  return composeServices([
    { name: 'idgraph', typeDefs: parse(printedSchema()), url: 'http://idgraph.test/graphql' },
    ...others.map(({ name, sdl }) => ({ name, typeDefs: parse(sdl), url: `http://${name}.test/graphql` })),
  ]);
}

describe('the printed subgraph SDL', () => {
  it('is current: schema/generated/idgraph.subgraph.graphql equals what `npm run schema:print` writes', () => {
    const committed = readFileSync(PRINTED_SCHEMA_FILE, 'utf8');
    // On failure: run `npm run schema:print` and commit the result.
    expect(committed).toBe(printedSchema());
  });

  it('declares Identity, Service, Owner and Credential as entities keyed by id, and PageInfo shareable', () => {
    const sdl = printedSchema();
    for (const type of ['Identity', 'Service', 'Owner', 'Credential']) {
      expect(sdl).toMatch(new RegExp(`type ${type} implements Node\\s+@key\\(fields: "id"\\)`));
    }
    expect(sdl).toMatch(/type PageInfo\s+@shareable/);
  });
});

describe('composition with @apollo/composition', () => {
  it('composes with an inventory subgraph that extends Service, with no errors and no hints', () => {
    const result = compose({ name: 'inventory', sdl: INVENTORY });
    expect(result.errors).toBeUndefined();
    expect((result.hints ?? []).map((hint) => `${hint.definition.code}: ${hint.message}`)).toEqual([]);
    const service = /type Service implements Node[^{]*\{[^}]*\}/s.exec(result.supergraphSdl ?? '')?.[0] ?? '';
    expect(service).toMatch(/deployments: \[String!\]! @join__field\(graph: INVENTORY\)/);
    expect(service).toMatch(/blastRadius\(.*\): BlastRadiusResult @join__field\(graph: IDGRAPH\)/);
    expect(service).toMatch(/identities\(.*\): IdentityConnection! @join__field\(graph: IDGRAPH\)/);
  });

  it('composes with a subgraph that has its own shareable PageInfo and references our Owner and Identity', () => {
    const catalog = `${FEDERATION_LINK}
      type PageInfo @shareable { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
      type Owner @key(fields: "id", resolvable: false) { id: ID! }
      type Identity @key(fields: "id", resolvable: false) { id: ID! }
      type Repository { name: String! owner: Owner! deployer: Identity }
      type RepositoryConnection { nodes: [Repository!]! pageInfo: PageInfo! }
      type Query { repositories(first: Int): RepositoryConnection! }`;
    const result = compose({ name: 'inventory', sdl: INVENTORY }, { name: 'catalog', sdl: catalog });
    expect(result.errors).toBeUndefined();
    expect((result.hints ?? []).map((hint) => hint.definition.code)).toEqual([]);
  });
});
