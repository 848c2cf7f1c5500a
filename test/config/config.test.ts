import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { thrownBy } from '../support/failure.js';

describe('loadConfig', () => {
  it('defaults to the embedded store in ./data on 127.0.0.1:4000', () => {
    expect(loadConfig({}, {})).toEqual({
      store: { kind: 'kuzu', dir: './data' },
      host: '127.0.0.1',
      port: 4000,
      logLevel: 'info',
      production: false,
      maxFirst: 500,
      queryTimeoutMs: 5000,
      maxPathQueries: 20,
      maxItems: 50_000,
      seedWhenEmpty: true,
      auth: { jwksUrl: undefined, issuer: undefined, audience: undefined, algorithms: ['RS256', 'ES256', 'EdDSA'], localKeyDir: './data' },
    });
  });

  it('takes flags over environment variables over defaults', () => {
    const env = { IDGRAPH_STORE: 'kuzu:/env', IDGRAPH_PORT: '4200', IDGRAPH_HOST: '0.0.0.0' };
    expect(loadConfig({ store: 'kuzu:/flag', port: '4100' }, env)).toMatchObject({ store: { dir: '/flag' }, port: 4100, host: '0.0.0.0' });
  });

  it('reads Neo4j credentials from the environment for a neo4j:// store', () => {
    const env = { IDGRAPH_NEO4J_USER: 'neo4j', IDGRAPH_NEO4J_PASSWORD: 'secret', IDGRAPH_NEO4J_DATABASE: 'graph' };
    expect(loadConfig({ store: 'neo4j://db.internal:7687' }, env).store).toEqual({
      kind: 'neo4j', uri: 'neo4j://db.internal:7687', user: 'neo4j', password: 'secret', database: 'graph',
    });
  });

  it('names every bad value, by the flag or variable it came from', () => {
    const error = thrownBy(() => loadConfig({ store: 'postgres://x', port: '70000' }, { IDGRAPH_LOG_LEVEL: 'loud' }), 'BAD_USER_INPUT');
    expect(error.issues.map((i) => i.path).sort()).toEqual(['--port', '--store', 'IDGRAPH_LOG_LEVEL']);
    expect(error.message).toContain('--store: must be kuzu:<dir> or a neo4j:// or bolt:// URI (got "postgres://x")');
    expect(error.message).toContain('(got "70000")');
  });

  it('reads the server limits and switches from the environment', () => {
    const env = { NODE_ENV: 'production', IDGRAPH_MAX_FIRST: '100', IDGRAPH_QUERY_TIMEOUT_MS: '2000', IDGRAPH_SEED_WHEN_EMPTY: 'false' };
    expect(loadConfig({}, env)).toMatchObject({ production: true, maxFirst: 100, queryTimeoutMs: 2000, seedWhenEmpty: false });
    const error = thrownBy(() => loadConfig({}, { IDGRAPH_MAX_FIRST: '0', IDGRAPH_SEED_WHEN_EMPTY: 'maybe' }), 'BAD_USER_INPUT');
    expect(error.issues.map((i) => i.path).sort()).toEqual(['IDGRAPH_MAX_FIRST', 'IDGRAPH_SEED_WHEN_EMPTY']);
  });

  it('takes an empty variable as unset', () => {
    expect(loadConfig({}, { IDGRAPH_PORT: '', IDGRAPH_STORE: '' })).toMatchObject({ port: 4000, store: { kind: 'kuzu', dir: './data' } });
  });

  it('rejects an empty kuzu directory', () => {
    expect(thrownBy(() => loadConfig({}, { IDGRAPH_STORE: 'kuzu:' }), 'BAD_USER_INPUT').issues[0]?.path).toBe('IDGRAPH_STORE');
  });

  it('reads the JWT settings from the environment', () => {
    const env = {
      IDGRAPH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json', IDGRAPH_JWT_ISSUER: 'https://idp.example.com/',
      IDGRAPH_JWT_AUDIENCE: 'idgraph-api', IDGRAPH_JWT_ALGORITHMS: ' PS256 , ES384,Ed25519', IDGRAPH_JWT_KEY_DIR: '/keys',
    };
    expect(loadConfig({}, env).auth).toEqual({
      jwksUrl: 'https://idp.example.com/.well-known/jwks.json', issuer: 'https://idp.example.com/', audience: 'idgraph-api',
      algorithms: ['PS256', 'ES384', 'Ed25519'], localKeyDir: '/keys',
    });
  });

  it('keeps the local key in the Kuzu data directory, and has none for Neo4j unless IDGRAPH_JWT_KEY_DIR is set', () => {
    expect(loadConfig({ store: 'kuzu:/srv/graph' }, {}).auth.localKeyDir).toBe('/srv/graph');
    expect(loadConfig({ store: 'neo4j://db:7687' }, {}).auth.localKeyDir).toBeUndefined();
    expect(loadConfig({ store: 'neo4j://db:7687' }, { IDGRAPH_JWT_KEY_DIR: '/keys' }).auth.localKeyDir).toBe('/keys');
  });

  it('takes a JWKS over http only from a loopback host', () => {
    expect(loadConfig({}, { IDGRAPH_JWKS_URL: 'http://127.0.0.1:8080/jwks' }).auth.jwksUrl).toBe('http://127.0.0.1:8080/jwks');
    expect(loadConfig({}, { IDGRAPH_JWKS_URL: 'http://[::1]:8080/jwks' }).auth.jwksUrl).toBe('http://[::1]:8080/jwks');
    for (const url of ['http://idp.example.com/jwks', 'ftp://idp.example.com/jwks', 'idp.example.com/jwks']) {
      expect(thrownBy(() => loadConfig({}, { IDGRAPH_JWKS_URL: url }), 'BAD_USER_INPUT').message).toBe(
        `IDGRAPH_JWKS_URL: must be an https:// URL (http:// only on a loopback host) (got ${JSON.stringify(url)})`,
      );
    }
  });

  it('allows asymmetric JWT algorithms only, and names every bad JWT setting', () => {
    const error = thrownBy(() => loadConfig({}, { IDGRAPH_JWT_ALGORITHMS: 'RS256,HS256', IDGRAPH_JWKS_URL: 'http://idp/jwks' }), 'BAD_USER_INPUT');
    expect(error.issues.map((i) => i.path).sort()).toEqual(['IDGRAPH_JWKS_URL', 'IDGRAPH_JWT_ALGORITHMS']);
    expect(error.message).toContain('IDGRAPH_JWT_ALGORITHMS: must be a comma-separated list of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519 (got "RS256,HS256")');
    for (const value of ['none', ' , ', 'rs256']) {
      expect(thrownBy(() => loadConfig({}, { IDGRAPH_JWT_ALGORITHMS: value }), 'BAD_USER_INPUT').issues[0]?.path).toBe('IDGRAPH_JWT_ALGORITHMS');
    }
  });
});
