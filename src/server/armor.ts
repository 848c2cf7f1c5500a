/**
 * Limits a public subgraph needs (graphql-armor 3.2, past the 2025 max-depth bypass advisories): they
 * reject a depth bomb, alias floods, a huge token stream or directive floods at validation, before any
 * resolver runs. Numbers sized for the deepest legitimate query: a path query with entries, steps,
 * their grants and a target's connections.
 */
import type { ApolloArmor } from '@escape.tech/graphql-armor';

type GraphQLArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;

export const armorConfig: GraphQLArmorConfig = {
  maxDepth: { n: 12, flattenFragments: true },
  maxAliases: { n: 30 },
  // Off: armor's token plugin throws where Apollo answers 500 and turns every syntax error into a 500
  // (graphql-armor #571, #751). graphql-js's own limit (`parseOptions.maxTokens`, below) fails the parse
  // instead: a 400 GRAPHQL_PARSE_FAILED.
  maxTokens: { enabled: false },
  maxDirectives: { n: 20 },
  costLimit: { maxCost: 20_000 },
  blockFieldSuggestion: { enabled: true },
};

/** The token limit, enforced by graphql-js's parser. */
export const MAX_TOKENS = 2_000;
