import { describe, expect, it } from 'vitest';
import { authMode } from '../../src/auth/auth-mode.js';
import { isLoopbackHost } from '../../src/config/config.js';
import { thrownBy } from '../support/failure.js';

const remote = { issuer: 'https://idp.example.test/', jwksUrl: 'https://idp.example.test/jwks.json' };
const keyDir = { localKeyDir: './data' };

describe('authMode, the loopback rule', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '127.255.255.254', 'localhost', 'LocalHost', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1',
  ])('accepts local tokens on %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
    expect(authMode(host, keyDir)).toEqual({ local: true, remote: false });
    expect(authMode(host, { ...keyDir, ...remote })).toEqual({ local: true, remote: true });
  });

  it.each([
    '0.0.0.0', '::', '10.0.0.5', '192.168.1.20', '128.0.0.1', '126.255.255.255', '::2', '::ffff:10.0.0.1', 'example.com', 'localhost.example.com', '127.1', '',
  ])('refuses to start on %j without an issuer and a JWKS URL, and never takes local tokens there', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
    expect(thrownBy(() => authMode(host, keyDir), 'BAD_USER_INPUT').message).toBe(`IDGRAPH_JWT_ISSUER and IDGRAPH_JWKS_URL must be set to listen on ${host}`);
    expect(thrownBy(() => authMode(host, { ...keyDir, issuer: remote.issuer }), 'BAD_USER_INPUT').issues[0]?.path).toBe('IDGRAPH_JWKS_URL');
    expect(thrownBy(() => authMode(host, { ...keyDir, jwksUrl: remote.jwksUrl }), 'BAD_USER_INPUT').issues[0]?.path).toBe('IDGRAPH_JWT_ISSUER');
    expect(authMode(host, { ...keyDir, ...remote })).toEqual({ local: false, remote: true });
  });

  it('wants the issuer and the JWKS URL together, even on loopback', () => {
    expect(thrownBy(() => authMode('127.0.0.1', { ...keyDir, issuer: remote.issuer }), 'BAD_USER_INPUT').issues).toEqual([
      { path: 'IDGRAPH_JWKS_URL', message: 'must be set too: IDGRAPH_JWT_ISSUER and IDGRAPH_JWKS_URL go together' },
    ]);
    expect(thrownBy(() => authMode('127.0.0.1', { ...keyDir, jwksUrl: remote.jwksUrl }), 'BAD_USER_INPUT').issues[0]?.path).toBe('IDGRAPH_JWT_ISSUER');
  });

  it('refuses a loopback server that could accept no token at all (Neo4j without a key directory)', () => {
    const error = thrownBy(() => authMode('127.0.0.1', {}), 'BAD_USER_INPUT');
    expect(error.issues.map((i) => i.path)).toEqual(['IDGRAPH_JWT_KEY_DIR']);
    expect(authMode('127.0.0.1', remote)).toEqual({ local: false, remote: true });
  });
});
