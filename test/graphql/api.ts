/**
 * The GraphQL API over real parts, for specifications: a temp Kuzu store (behind a `CountingStore`)
 * seeded with the demo estate through the import, a projection built from it, and a real `ApolloServer`
 * run with `executeOperation` (no HTTP). Results are passed through JSON, as the wire would.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError } from 'graphql';
import { afterAll, expect } from 'vitest';
import { demoEstate } from '../../seed/demo-estate.js';
import type { Caller } from '../../src/auth/caller.js';
import { authorize, buildSchema, createContext, DEFAULT_LIMITS, formatError, type ApiLimits, type GraphqlContext } from '../../src/graphql/index.js';
import { importLines } from '../../src/interchange/import.js';
import { formatLine } from '../../src/model/interchange.js';
import { Projection } from '../../src/projection/projection.js';
import { GraphWriter } from '../../src/governance/graph-writer.js';
import { loadGuardrails, type Guardrails } from '../../src/policy/index.js';
import { CountingStore } from '../../src/store/counting-store.js';
import { CLI_NOW } from '../support/cli-run.js';
import { tempStore } from '../support/temp-store.js';

/** The moment the estate is seeded as of, and the "now" of every request: the CLI tests' now. */
export const NOW = CLI_NOW;

export interface Result<T> {
  readonly data?: T | null;
  readonly errors?: GraphQLFormattedError[];
}

export interface TestApi {
  readonly store: CountingStore;
  readonly projection: Projection;
  readonly limits: ApiLimits;
  /** Runs an operation; the result as a client would parse it. */
  run<T = any>(query: string, variables?: Record<string, unknown>): Promise<Result<T>>;
  /** Runs an operation that must succeed, and returns its data. */
  data<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Runs an operation that must fail, and returns its errors. */
  errors(query: string, variables?: Record<string, unknown>): Promise<GraphQLFormattedError[]>;
  /** The same API, asked by another caller (same store, projection and server). */
  as(caller: Caller): Omit<TestApi, 'as' | 'store' | 'projection' | 'limits'>;
}

export interface ApiOptions {
  /** Interchange lines imported after the demo estate. */
  readonly extraLines?: readonly string[];
  readonly limits?: Partial<ApiLimits>;
  /** Who asks; an analyst by default. */
  readonly caller?: Caller;
  /** With the write side (guardrails from policy/, a GraphWriter): mutations work. */
  readonly governance?: boolean;
}

let guardrails: Guardrails | undefined;

export const ANALYST: Caller = { subject: 'alice', issuer: 'test', roles: ['analyst'], services: [] };

const servers: ApolloServer<GraphqlContext>[] = [];

/** The API over a fresh store seeded with the demo estate (anchored at NOW) and `extraLines`. */
export async function demoApi(options: ApiOptions = {}): Promise<TestApi> {
  const store = new CountingStore(await tempStore());
  await importLines(store, [...demoEstate(NOW).map(formatLine), ...(options.extraLines ?? [])], { source: 'demo estate', action: 'seed' });
  const projection = await Projection.build(store);
  store.reset();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const server = new ApolloServer<GraphqlContext>({ schema: authorize(buildSchema()), formatError, plugins: [ApolloServerPluginInlineTraceDisabled()] });
  await server.start();
  servers.push(server);
  let requests = 0;
  const governance = options.governance
    ? { store, projection, writer: new GraphWriter(store, projection), guardrails: (guardrails ??= loadGuardrails()) }
    : undefined;

  const runAs = (caller: Caller) => async <T>(query: string, variables?: Record<string, unknown>): Promise<Result<T>> => {
    const contextValue = createContext({ store, projection, limits, governance }, { requestId: `test-${++requests}`, caller }, () => NOW.getTime());
    const response = await server.executeOperation<T>({ query, variables }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return JSON.parse(JSON.stringify(response.body.singleResult)) as Result<T>;
  };
  const surface = (run: ReturnType<typeof runAs>) => ({
    run,
    data: async <T>(query: string, variables?: Record<string, unknown>) => {
      const result = await run<T>(query, variables);
      expect(result.errors).toBeUndefined();
      return result.data as T;
    },
    errors: async (query: string, variables?: Record<string, unknown>) => {
      const result = await run(query, variables);
      expect(result.errors?.length ?? 0).toBeGreaterThan(0);
      return result.errors!;
    },
  });
  const run = runAs(options.caller ?? ANALYST);
  return {
    store,
    projection,
    limits,
    as: (caller: Caller) => surface(runAs(caller)),
    run,
    data: async <T>(query: string, variables?: Record<string, unknown>) => {
      const result = await run<T>(query, variables);
      expect(result.errors).toBeUndefined();
      return result.data as T;
    },
    errors: async (query, variables) => {
      const result = await run(query, variables);
      expect(result.errors?.length ?? 0).toBeGreaterThan(0);
      return result.errors!;
    },
  };
}

afterAll(async () => {
  for (const server of servers) await server.stop();
});

/** The selection of a path query entry that mirrors the CLI's JSON entry. */
export const ENTRY_FIELDS = `
  target { id label }
  path { nodes steps { type from to key origin } }
  routes accessEndsAt impact
`;

/** A GraphQL entry with the nulls that JSON leaves out removed (`key` when '', `impact` outside blast radius). */
export function withoutNulls<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => ((key === 'key' || key === 'impact') && v === null ? undefined : v))) as T;
}
