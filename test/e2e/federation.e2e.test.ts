/**
 * The subgraph in a company supergraph, for real: composed with Apollo's composition next to an inventory
 * subgraph, served by @apollo/gateway on loopback, with both subgraphs over HTTP. A `Service` from the
 * inventory carries its identities and blast radius from ours, and the entity fetch is batched.
 */
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printedSchema } from '../../src/graphql/index.js';
import { CountingStore } from '../../src/store/counting-store.js';
import { testServer, type TestServer } from '../support/http-server.js';
import { tempStore } from '../support/temp-store.js';

const INVENTORY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Service @key(fields: "id") { id: ID! deployments: [String!]! }
  type Query { deployedServices(count: Int!): [Service!]! }
`;

/** The inventory knows every prod service of the demo estate, and 1,000 more that we do not. */
const KNOWN = ['svc:payments', 'svc:ledger', 'svc:checkout', 'svc:settlements', 'svc:identity'];
const inventory = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: i < KNOWN.length ? KNOWN[i]! : `svc:unknown-${i}`, deployments: [`v${i}`] }));

describe('federation through @apollo/gateway', () => {
  let idgraph: TestServer;
  let counting: CountingStore;
  const stops: (() => Promise<void>)[] = [];
  let gatewayUrl: string;

  beforeAll(async () => {
    counting = new CountingStore(await tempStore());
    idgraph = await testServer({}, counting);
    const inventoryServer = new ApolloServer({
      schema: buildSubgraphSchema({
        typeDefs: parse(INVENTORY_SDL),
        resolvers: {
          Query: { deployedServices: (_: unknown, { count }: { count: number }) => inventory(count) },
          Service: { __resolveReference: (ref: { id: string }) => inventory(2000).find((s) => s.id === ref.id) },
        },
      }),
    });
    const { url: inventoryUrl } = await startStandaloneServer(inventoryServer, { listen: { port: 0, host: '127.0.0.1' } });
    stops.push(() => inventoryServer.stop());
    const composed = composeServices([
      { name: 'idgraph', typeDefs: parse(printedSchema()), url: idgraph.url },
      { name: 'inventory', typeDefs: parse(INVENTORY_SDL), url: inventoryUrl },
    ]);
    expect(composed.errors ?? []).toEqual([]);
    // The gateway forwards the caller's bearer token, so the identity graph authorizes the end user.
    const gateway = new ApolloGateway({
      supergraphSdl: composed.supergraphSdl!,
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource<{ authorization?: string }>({
          url,
          willSendRequest({ request, context }) {
            if (context.authorization) request.http?.headers.set('authorization', context.authorization);
          },
        }),
    });
    const gatewayServer = new ApolloServer<{ authorization?: string }>({ gateway });
    ({ url: gatewayUrl } = await startStandaloneServer(gatewayServer, {
      listen: { port: 0, host: '127.0.0.1' },
      context: async ({ req }) => ({ authorization: req.headers.authorization }),
    }));
    stops.push(() => gatewayServer.stop());
  });

  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  const query = async (text: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: idgraph.authorization },
      body: JSON.stringify({ query: text, variables }),
    });
    return (await response.json()) as { data?: any; errors?: unknown[] };
  };

  it("gives a Service from the inventory its identities and blast radius from the identity graph", async () => {
    const { data, errors } = await query(`{
      deployedServices(count: 2) {
        id deployments
        identities(first: 5) { totalCount edges { node { id kind } } }
        blastRadius { summary { total impact } }
      }
    }`);
    expect(errors).toBeUndefined();
    const payments = data.deployedServices[0];
    expect(payments).toMatchObject({ id: 'svc:payments', deployments: ['v0'] });
    expect(payments.identities.totalCount).toBeGreaterThan(0);
    expect(payments.identities.edges.map((e: { node: { id: string } }) => e.node.id)).toContain('wl:payments-api');
    expect(payments.blastRadius.summary.total).toBeGreaterThan(0);
  });

  it('resolves 1,000 Service representations, most unknown to it, in one batched store call', async () => {
    counting.reset();
    const { data, errors } = await query('{ deployedServices(count: 1000) { id known name criticality blastRadius { summary { total } } } }');
    expect(errors).toBeUndefined();
    expect(data.deployedServices).toHaveLength(1000);
    expect(data.deployedServices[0]).toMatchObject({ id: 'svc:payments', name: expect.any(String), criticality: 'CRITICAL' });
    // Services the inventory knows and the identity graph does not: stubs, not a failed response.
    expect(data.deployedServices[999]).toEqual({ id: 'svc:unknown-999', known: false, name: null, criticality: null, blastRadius: null });
    expect(counting.count('getNodes')).toBe(1);
  });
});
