import { rmSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator, type AuthenticatorOptions } from '../../src/auth/authenticator.js';
import { localKeyPath } from '../../src/auth/local-key.js';
import { mintLocalToken } from '../../src/auth/mint-local-token.js';
import { failureOf, thrownBy } from '../support/failure.js';
import { tempDir } from '../support/temp-store.js';
import { AUDIENCE, ISSUER, NOW, NOW_S, jwksEndpoint, remoteClaims, sign, signingKey, type JwksEndpoint, type SigningKey } from './jwt-fixtures.js';

let rsa: SigningKey;
let ec: SigningKey;
let ed: SigningKey;
let idp: JwksEndpoint;

beforeAll(async () => {
  [rsa, ec, ed] = await Promise.all([signingKey('RS256', 'rsa-1'), signingKey('ES256', 'ec-1'), signingKey('EdDSA', 'ed-1')]);
  idp = await jwksEndpoint([rsa.jwk, ec.jwk, ed.jwk]);
});

function authenticator(overrides: Partial<AuthenticatorOptions> = {}) {
  return createAuthenticator({
    host: '127.0.0.1',
    jwksUrl: idp.url,
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['RS256', 'ES256', 'EdDSA'],
    localKeyDir: tempDir(),
    now: () => NOW,
    ...overrides,
  });
}

const bearer = (token: string): string => `Bearer ${token}`;

describe('createAuthenticator', () => {
  it('returns the caller of a local token minted with the key in the data directory', async () => {
    const dir = tempDir();
    const { token } = await mintLocalToken({ dir, roles: ['service-owner'], services: ['svc:payments'], subject: 'dev:ana', now: () => NOW });
    const caller = await authenticator({ localKeyDir: dir }).authenticate(bearer(token));
    expect(caller).toEqual({ subject: 'dev:ana', issuer: 'idgraph-local', roles: ['service-owner'], services: ['svc:payments'] });
  });

  it('returns the caller of an issuer token verified against its JWKS over HTTP', async () => {
    const token = await sign(rsa, remoteClaims({ idgraph_roles: ['auditor', 'central-admin'] }));
    expect(await authenticator().authenticate(bearer(token))).toEqual({
      subject: 'alice@example.test', issuer: ISSUER, roles: ['auditor', 'central-admin'], services: [],
    });
  });

  it('accepts each allowed algorithm: RS256, ES256 and EdDSA from one JWKS', async () => {
    const auth = authenticator();
    for (const key of [rsa, ec, ed]) {
      const caller = await auth.authenticate(bearer(await sign(key, remoteClaims({ sub: key.kid }))));
      expect(caller.subject).toBe(key.kid);
    }
  });

  it('fetches the JWKS once and verifies many tokens with it', async () => {
    const own = await jwksEndpoint([rsa.jwk]);
    const auth = authenticator({ jwksUrl: own.url });
    for (let i = 0; i < 5; i += 1) await auth.authenticate(bearer(await sign(rsa, remoteClaims({ sub: `user-${i}` }))));
    expect(own.fetches()).toBe(1);
  });

  it('tolerates 60 seconds of clock skew on exp and nbf, and not one more', async () => {
    const auth = authenticator();
    const at = async (claims: Record<string, unknown>) => auth.authenticate(bearer(await sign(ec, remoteClaims(claims))));
    await expect(at({ exp: NOW_S - 59 })).resolves.toMatchObject({ subject: 'alice@example.test' });
    await expect(at({ nbf: NOW_S + 59 })).resolves.toMatchObject({ subject: 'alice@example.test' });
    expect((await failureOf(at({ exp: NOW_S - 61 }), 'UNAUTHENTICATED')).message).toBe('the token has expired');
    expect((await failureOf(at({ nbf: NOW_S + 61 }), 'UNAUTHENTICATED')).message).toBe('the token is not valid yet');
  });

  it('ignores unknown roles, keeps services only for a service owner, and leaves authorization to refuse no role', async () => {
    const auth = authenticator();
    const caller = async (claims: Record<string, unknown>) => auth.authenticate(bearer(await sign(rsa, remoteClaims(claims))));
    expect(await caller({ idgraph_roles: ['superuser', 'service-owner', 'analyst', 'analyst'], idgraph_services: ['svc:a', 'svc:b', 'svc:a', 7] }))
      .toMatchObject({ roles: ['analyst', 'service-owner'], services: ['svc:a', 'svc:b'] });
    expect(await caller({ idgraph_roles: ['analyst'], idgraph_services: ['svc:a'] })).toMatchObject({ roles: ['analyst'], services: [] });
    expect(await caller({ idgraph_roles: 'auditor' })).toMatchObject({ roles: ['auditor'] });
    expect(await caller({ idgraph_roles: undefined })).toMatchObject({ roles: [], services: [] });
    expect(await caller({ idgraph_roles: { analyst: true } })).toMatchObject({ roles: [] });
  });

  it('accepts local and issuer tokens side by side on loopback', async () => {
    const dir = tempDir();
    const auth = authenticator({ localKeyDir: dir });
    const local = await mintLocalToken({ dir, roles: ['analyst'], subject: 'dev:bo', now: () => NOW });
    expect((await auth.authenticate(bearer(local.token))).issuer).toBe('idgraph-local');
    expect((await auth.authenticate(bearer(await sign(rsa, remoteClaims())))).issuer).toBe(ISSUER);
    expect(auth.mode).toEqual({ local: true, remote: true });
  });

  it('takes the scheme in any case and tolerates extra spaces', async () => {
    const token = await sign(rsa, remoteClaims());
    for (const header of [`bearer ${token}`, `BEARER  ${token}`, `Bearer ${token} `]) {
      expect((await authenticator().authenticate(header)).subject).toBe('alice@example.test');
    }
  });

  it('uses a key created after it started, and a replacement key once the file changes', async () => {
    const dir = tempDir();
    const auth = createAuthenticator({ host: 'localhost', algorithms: ['ES256'], localKeyDir: dir, now: () => NOW });
    const first = await mintLocalToken({ dir, roles: ['analyst'], subject: 'dev:one', now: () => NOW });
    expect((await auth.authenticate(bearer(first.token))).subject).toBe('dev:one');
    rmSync(localKeyPath(dir));
    const second = await mintLocalToken({ dir, roles: ['analyst'], subject: 'dev:two', now: () => NOW });
    expect((await auth.authenticate(bearer(second.token))).subject).toBe('dev:two');
    expect((await failureOf(auth.authenticate(bearer(first.token)), 'UNAUTHENTICATED')).message).toBe('the token signature does not verify');
  });

  it('checks its settings once, at construction', () => {
    expect(thrownBy(() => authenticator({ algorithms: ['HS256'] }), 'BAD_USER_INPUT').message).toContain('algorithms must be a non-empty list of RS256');
    expect(thrownBy(() => authenticator({ algorithms: [] }), 'BAD_USER_INPUT').message).toContain('got []');
    expect(thrownBy(() => authenticator({ host: '0.0.0.0', issuer: undefined }), 'BAD_USER_INPUT').message)
      .toBe('IDGRAPH_JWT_ISSUER and IDGRAPH_JWKS_URL must be set to listen on 0.0.0.0');
    expect(authenticator({ host: '0.0.0.0' }).mode).toEqual({ local: false, remote: true });
  });
});
