/**
 * Northwind Pay's inventory subgraph: where each service runs and what was deployed, added to the identity
 * graph's `Service` entity (same key, `id`, such as `svc:payments`). The scope `X` of a directive is the
 * graph's Scope `scope:X`; SUBJECTS.md says who holds it, and why.
 *
 * It does no authorization itself: the gateway enforces the directives against the identity graph, live,
 * before the request reaches this subgraph (see start-subgraph.ts).
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import { startSubgraph, type RunningSubgraph, type SubgraphListenOptions } from './start-subgraph.js';

export interface Deployment {
  readonly id: string;
  readonly version: string;
  readonly region: string;
  readonly deployedAt: string;
  /** The identity that deployed it, an Identity id of the graph (`sa:payments-deployer`). */
  readonly deployedBy: string;
}

export interface InventoryService {
  readonly id: string;
  readonly regions: readonly string[];
  /** Newest first. */
  readonly deployments: readonly Deployment[];
}

export const typeDefs = parse(/* GraphQL */ `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@requiresScopes"])

  "A service of the identity graph (same id), with what the inventory knows of it."
  type Service @key(fields: "id") {
    id: ID!
    "Where it runs: public, the status page shows it."
    regions: [String!]!
    "What was deployed, newest first: for who administers deploys on the CI platform, which runs them all."
    deployments: [Deployment!] @requiresScopes(scopes: [["ci-platform:deploy:admin"]])
  }

  type Deployment {
    id: ID!
    version: String!
    region: String!
    deployedAt: String!
    "The id of the identity that deployed it, such as sa:payments-deployer."
    deployedBy: ID!
  }

  type Region {
    id: ID!
    name: String!
  }

  type Query {
    "The regions Northwind Pay runs in: public."
    regions: [Region!]!
    "The services the inventory has seen deployed: public (their deployments are not)."
    deployedServices: [Service!]!
  }
`);

export const resolvers: GraphQLResolverMap<unknown> = {
  Query: {
    regions: () => REGIONS,
    deployedServices: () => SERVICES,
  },
  Service: {
    // A service of the graph that the inventory never saw deployed: nowhere, nothing.
    __resolveReference: ({ id }: { id: string }): InventoryService => SERVICES.find((s) => s.id === id) ?? { id, regions: [], deployments: [] },
  },
};

/**
 * Starts the inventory subgraph (its data is read-only, so servers share it).
 * @example const inventory = await startInventorySubgraph({ port: 4102 }); // inventory.url ends in /graphql
 */
export function startInventorySubgraph(options: SubgraphListenOptions = {}): Promise<RunningSubgraph> {
  return startSubgraph(buildSubgraphSchema({ typeDefs, resolvers }), () => ({}), options);
}

const REGIONS = [
  { id: 'eu-west-1', name: 'Dublin' },
  { id: 'eu-central-1', name: 'Frankfurt' },
  { id: 'us-east-1', name: 'Virginia' },
] as const;

const SERVICES: readonly InventoryService[] = [
  service('payments', ['eu-west-1', 'eu-central-1', 'us-east-1'], ['2026.11.3', '2026-11-21T14:05:00Z'], ['2026.11.2', '2026-11-14T09:40:00Z']),
  service('ledger', ['eu-west-1', 'eu-central-1'], ['4.18.0', '2026-11-19T16:22:00Z']),
  service('checkout', ['eu-west-1', 'us-east-1'], ['2026.47.1', '2026-11-20T11:00:00Z']),
  service('identity', ['eu-west-1'], ['3.9.2', '2026-11-12T08:15:00Z']),
  service('ci-platform', ['eu-west-1'], ['1.62.0', '2026-11-18T17:30:00Z']),
];

/** A prod service of the demo estate, deployed by its deployer account (`sa:<slug>-deployer`). */
function service(slug: string, regions: string[], ...deployments: [version: string, at: string][]): InventoryService {
  return {
    id: `svc:${slug}`,
    regions,
    deployments: deployments.map(([version, deployedAt], i) => ({
      id: `dep_${slug}_${deployments.length - i}`,
      version,
      region: regions[0] ?? 'eu-west-1',
      deployedAt,
      deployedBy: `sa:${slug}-deployer`,
    })),
  };
}
