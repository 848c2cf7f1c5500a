/**
 * Bad input and failures at the GraphQL surface, and what a caller sees of each: `extensions.code` as
 * DESIGN.md lists, messages that quote the bad value, and nothing of an internal error.
 */
import { GraphQLError } from 'graphql';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatError } from '../../src/graphql/index.js';
import { IdGraphError } from '../../src/model/errors.js';
import { demoApi, type TestApi } from './api.js';

let api: TestApi;

beforeAll(async () => {
  api = await demoApi();
});

afterEach(() => vi.restoreAllMocks());

describe('errors a caller can act on', () => {
  it('NOT_FOUND for an unknown subject of any path query', async () => {
    for (const query of [
      `{ reach(subject: "sa:nope") { totalCount } }`,
      `{ whoCan(scope: "scope:nope") { totalCount } }`,
      `{ explain(identity: "sa:payments-ci", scope: "scope:nope") { totalCount } }`,
      `{ path(from: "sa:nope", to: "svc:payments") { totalCount } }`,
      `{ blastRadius(subject: "cred:nope") { totalCount } }`,
    ]) {
      const [error] = await api.errors(query);
      expect(error).toMatchObject({ message: expect.stringMatching(/^No node with id "(sa|scope|cred):nope"$/), extensions: { code: 'NOT_FOUND' } });
      expect(error!.path).toHaveLength(1);
    }
  });

  it('BAD_USER_INPUT when a subject has the wrong label', async () => {
    const [error] = await api.errors(`{ reach(subject: "svc:payments") { totalCount } }`);
    expect(error).toMatchObject({ message: 'reach expects an Identity or a Credential, but "svc:payments" is a Service', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('BAD_USER_INPUT listing every bad argument of a path query at once', async () => {
    const [error] = await api.errors(`{ reach(subject: "sa:payments-ci", maxDepth: 0, first: 501) { totalCount } }`);
    expect(error!.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      issues: [
        { path: 'first', message: 'must be a whole number from 0 to 500, got 501' },
        { path: 'maxDepth', message: 'must be a whole number from 1 to 32, got 0' },
      ],
    });
    expect(error!.message).toBe('first must be a whole number from 0 to 500, got 501; maxDepth must be a whole number from 1 to 32, got 0');
  });

  it('BAD_USER_INPUT for maxRoutes out of range', async () => {
    const [error] = await api.errors(`{ explain(identity: "sa:payments-ci", scope: "scope:payments:deploy:admin", maxRoutes: 0) { totalCount } }`);
    expect(error).toMatchObject({ message: 'maxRoutes must be a whole number from 1 to 1000, got 0', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('leaves Apollo\'s own codes alone: variable coercion, validation and parse errors', async () => {
    const [coercion] = await api.errors(`query($at: DateTime) { reach(subject: "sa:payments-ci", at: $at) { totalCount } }`, { at: 'last tuesday' });
    expect(coercion!.extensions!['code']).toBe('BAD_USER_INPUT');
    expect(coercion!.message).toMatch(/last tuesday/);
    const [literal] = await api.errors(`{ reach(subject: "sa:payments-ci", at: "last tuesday") { totalCount } }`);
    expect(literal!.extensions!['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    const [unknown] = await api.errors(`{ identity(id: "sa:payments-ci") { password } }`);
    expect(unknown!.extensions!['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    const [parse] = await api.errors(`{ identity(id: `);
    expect(parse!.extensions!['code']).toBe('GRAPHQL_PARSE_FAILED');
  });
});

describe('failures', () => {
  it('UNAVAILABLE, with its message, when the store is unavailable', async () => {
    const closed = await demoApi();
    await closed.store.close();
    const result = await closed.run(`{ identity(id: "sa:payments-ci") { id name } }`);
    expect(result.errors).toEqual([
      { message: 'The store is unavailable; try again later', locations: [{ line: 1, column: 39 }], path: ['identity', 'name'], extensions: { code: 'UNAVAILABLE' } },
    ]);
    expect(result.data).toEqual({ identity: { id: 'sa:payments-ci', name: null } });
  });

  it('masks an unexpected error: no message, stack or cause reaches the caller', async () => {
    vi.spyOn(api.store, 'getNodes').mockRejectedValueOnce(new Error('connection to bolt://admin:hunter2@db failed'));
    const result = await api.run(`{ identity(id: "sa:payments-ci") { name } }`);
    expect(result.errors).toEqual([
      { message: 'Internal server error', locations: [{ line: 1, column: 36 }], path: ['identity', 'name'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/hunter2|stack|Error:/);
  });

  it('masks an INTERNAL IdGraphError (an invariant that failed) the same way', async () => {
    vi.spyOn(api.store, 'getNodes').mockRejectedValueOnce(new IdGraphError('INTERNAL', 'Invariant failed: node index 9 out of range'));
    const [error] = await api.errors(`{ identity(id: "sa:payments-ci") { name } }`);
    expect(error).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(error)).not.toMatch(/Invariant|index 9/);
  });

  it('UNAVAILABLE "query exceeded its time budget" for a path query past its budget', async () => {
    const hurried = await demoApi({ limits: { queryTimeoutMs: 0 } });
    const [error] = await hurried.errors(`{ blastRadius(subject: "svc:ci-platform") { totalCount } }`);
    expect(error).toMatchObject({ message: 'query exceeded its time budget', path: ['blastRadius'], extensions: { code: 'UNAVAILABLE' } });
  });
});

describe('formatError', () => {
  const format = (error: GraphQLError) => formatError({ message: error.message, extensions: { ...error.extensions, code: error.extensions['code'] ?? 'INTERNAL_SERVER_ERROR' } }, error);

  it('passes errors the server classified itself, such as UNAUTHENTICATED from the context', () => {
    const error = new GraphQLError('A bearer token is required', { extensions: { code: 'UNAUTHENTICATED' } });
    expect(format(error)).toEqual({ message: 'A bearer token is required', extensions: { code: 'UNAUTHENTICATED' } });
    const persisted = new GraphQLError('PersistedQueryNotFound', { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    expect(format(persisted).extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_FOUND' });
  });

  it('maps each public IdGraphError code to extensions.code, with its issues', () => {
    for (const code of ['BAD_USER_INPUT', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'POLICY_DENIED', 'CONFLICT', 'UNAVAILABLE'] as const) {
      const original = new IdGraphError(code, `it was ${code}`, { issues: [{ path: 'x', message: 'bad', line: 3 }], cause: new Error('secret') });
      const wrapped = new GraphQLError(original.message, { originalError: original, path: ['field'] });
      expect(formatError({ message: wrapped.message, path: ['field'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['…'] } }, wrapped)).toEqual({
        // A store failure's words (its location, the driver's message) stay in the log.
        message: code === 'UNAVAILABLE' ? 'The store is unavailable; try again later' : `it was ${code}`,
        path: ['field'],
        extensions: { code, issues: [{ path: 'x', message: 'bad', line: 3 }] },
      });
    }
  });

  it('masks a GraphQLError without a code', () => {
    const error = new GraphQLError('Cannot return null for non-nullable field Identity.name.');
    expect(format(error)).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});
