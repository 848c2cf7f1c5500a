/**
 * The gateway tests' one fixture: two subgraphs that use all three directives on fields, an object type
 * (`Vault`), an enum (`Role`), an interface (by composition), a mutation, an entity field served by the
 * other subgraph and a recursive field (`User.manager`, for documents that nest deep); composed for real
 * with @apollo/composition. Also the data the subgraphs serve, and a stand-in for the gateway's execution
 * (graphql-js over that data) for the unit tests.
 */
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildASTSchema, executeSync, parse, validate, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { buildRequirementIndex, type Grants, type RequirementIndex } from '../../src/gateway/index.js';

export const USERS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])

  type Query {
    publicInfo: String
    me: User @authenticated
    user(id: ID!): User
    users: [User!]!
    search(term: String!): [SearchResult]
    node(id: ID!): Node
    secretNumber: Int! @requiresScopes(scopes: [["admin"], ["auditor", "read:secret"]])
  }

  union SearchResult = User | Vault

  interface Node { id: ID! }

  type User implements Node @key(fields: "id") {
    id: ID!
    name: String
    email: String @requiresScopes(scopes: [["read:email"]])
    salary: Int @requiresScopes(scopes: [["read:hr", "read:salary"]])
    phone: String @requiresScopes(scopes: [["read:phone"], ["read:contact"]])
    ssn: String @policy(policies: [["pii_reader"]])
    role: Role
    vault: Vault
    manager: User
  }

  type Vault implements Node @key(fields: "id") @authenticated {
    id: ID!
    label: String
  }

  enum Role @requiresScopes(scopes: [["read:roles"]]) { ADMIN USER }
`;

export const ORDERS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])

  type User @key(fields: "id") {
    id: ID!
    orders: [Order!] @authenticated
  }

  type Order {
    id: ID!
    total: Float @policy(policies: [["finance"]])
  }

  type Mutation {
    note(text: String!): String
    refund(orderId: ID!): Boolean @requiresScopes(scopes: [["payments:refunds:write"]])
  }
`;

export interface Fixture {
  readonly supergraphSdl: string;
  /** The API schema, as the gateway serves it. */
  readonly schema: GraphQLSchema;
  readonly index: RequirementIndex;
}

/** Composes the two subgraphs; `urls` only matter to a gateway that calls them. */
export function composeFixture(urls: { users: string; orders: string } = { users: 'http://127.0.0.1:1/users', orders: 'http://127.0.0.1:1/orders' }): Fixture {
  const composed = composeServices([
    { name: 'users', url: urls.users, typeDefs: parse(USERS_SDL) },
    { name: 'orders', url: urls.orders, typeDefs: parse(ORDERS_SDL) },
  ]);
  if (composed.errors !== undefined) throw new Error(composed.errors.map((e) => e.message).join('; '));
  return {
    supergraphSdl: composed.supergraphSdl,
    // From the AST, not toGraphQLJSSchema(): under vitest this file's `graphql` is index.mjs while
    // composition's is index.js (Node resolves both to index.js), and graphql-js checks types by instanceof.
    schema: buildASTSchema(composed.schema.toAPISchema().toAST(), { assumeValidSDL: true }),
    index: buildRequirementIndex(composed.supergraphSdl),
  };
}

export const USERS: Record<string, Record<string, unknown>> = {
  '1': { __typename: 'User', id: '1', name: 'Ann', email: 'ann@example.com', salary: 100, phone: '+1-555-0101', ssn: '111', role: 'ADMIN', vault: { __typename: 'Vault', id: 'v1', label: 'ann-vault' } },
  '2': { __typename: 'User', id: '2', name: 'Bob', email: 'bob@example.com', salary: 90, phone: '+1-555-0102', ssn: '222', role: 'USER', vault: null },
};
export const VAULT = { __typename: 'Vault', id: 'v1', label: 'ann-vault' };
export const ordersOf = (userId: string) => [{ id: `o-${userId}`, total: 9.5 }];

/** The fixture's data as a root value: what the subgraphs would answer, together. */
export const ROOT: Record<string, unknown> = {
  publicInfo: 'hello',
  me: { ...USERS['1'], orders: ordersOf('1') },
  user: ({ id }: { id: string }) => (USERS[id] ? { ...USERS[id], orders: ordersOf(id) } : null),
  users: () => Object.values(USERS).map((u) => ({ ...u, orders: ordersOf(String(u.id)) })),
  search: () => [USERS['2'], VAULT],
  node: ({ id }: { id: string }) => (id === 'v1' ? VAULT : (USERS[id] ?? null)),
  secretNumber: 42,
  note: ({ text }: { text: string }) => `noted: ${text}`,
  refund: () => true,
};

/**
 * What the gateway would return for a (rewritten) document: graphql-js over `ROOT`, after checking that the
 * document is valid against the schema (the gateway does not validate a rewritten document; it must be).
 */
export function serve(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> = {}): ExecutionResult {
  const errors = validate(schema, document);
  if (errors.length > 0) throw new Error(`invalid rewritten document: ${errors.map((e) => e.message).join('; ')}`);
  return executeSync({
    schema,
    document,
    rootValue: ROOT,
    variableValues: variables,
    typeResolver: (value) => (value as { __typename: string }).__typename,
  });
}

/** Grants from lists. */
export function grants(scopes: string[] = [], policies: string[] = [], authenticated = true): Grants {
  return { authenticated, scopes: new Set(scopes), policies: new Set(policies) };
}

export const ANONYMOUS: Grants = grants([], [], false);

/** Freezes a parsed document all the way down, so that any mutation of it throws (ESM is strict). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** One request a subgraph received (the gateway's schema introspection left out). */
export interface Received {
  readonly subgraph: 'users' | 'orders';
  readonly query: string;
  readonly authorization: string | undefined;
}

export interface RunningSubgraphs {
  readonly urls: { readonly users: string; readonly orders: string };
  /** Every operation received, in order; clear it between checks. */
  readonly received: Received[];
  /** How many times the orders subgraph ran `refund`. */
  refunds(): number;
  stop(): Promise<void>;
}

/** Both subgraphs, for real (@apollo/subgraph on Apollo Server), on 127.0.0.1 and a free port each. */
export async function startSubgraphs(): Promise<RunningSubgraphs> {
  const received: Received[] = [];
  let refunds = 0;
  const users = {
    Query: {
      publicInfo: () => 'hello',
      me: () => USERS['1'],
      user: (_: unknown, { id }: { id: string }) => USERS[id] ?? null,
      users: () => Object.values(USERS),
      search: () => [USERS['2'], VAULT],
      node: (_: unknown, { id }: { id: string }) => (id === 'v1' ? VAULT : (USERS[id] ?? null)),
      secretNumber: () => 42,
    },
    SearchResult: { __resolveType: (value: { __typename: string }) => value.__typename },
    Node: { __resolveType: (value: { __typename: string }) => value.__typename },
    User: { __resolveReference: (ref: { id: string }) => USERS[ref.id] },
    Vault: { __resolveReference: () => VAULT },
  };
  const orders = {
    User: { orders: (user: { id: string }) => ordersOf(user.id) },
    Mutation: {
      note: (_: unknown, { text }: { text: string }) => `noted: ${text}`,
      refund: () => {
        refunds++;
        return true;
      },
    },
  };
  const start = async (name: 'users' | 'orders', sdl: string, resolvers: object) => {
    const server = new ApolloServer({
      schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as never }),
      plugins: [
        ApolloServerPluginInlineTraceDisabled(),
        {
          async requestDidStart({ request }) {
            if (request.query?.includes('_service') !== true) received.push({ subgraph: name, query: request.query ?? '', authorization: request.http?.headers.get('authorization') });
          },
        },
      ],
    });
    const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
    return { url, server };
  };
  const [u, o] = await Promise.all([start('users', USERS_SDL, users), start('orders', ORDERS_SDL, orders)]);
  return {
    urls: { users: u.url, orders: o.url },
    received,
    refunds: () => refunds,
    stop: async () => void (await Promise.all([u.server.stop(), o.server.stop()])),
  };
}
