/**
 * Every way a bearer token can be wrong, each refused with UNAUTHENTICATED (or UNAVAILABLE when the
 * issuer's keys cannot be fetched) and a short reason that never quotes the token.
 */
import { writeFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator, type Authenticator, type AuthenticatorOptions } from '../../src/auth/authenticator.js';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, ensureLocalKey, localKeyPath } from '../../src/auth/local-key.js';
import { mintLocalToken } from '../../src/auth/mint-local-token.js';
import type { ErrorCode } from '../../src/model/errors.js';
import { failureOf } from '../support/failure.js';
import { tempDir } from '../support/temp-store.js';
import { AUDIENCE, ISSUER, NOW, NOW_S, jwksEndpoint, remoteClaims, sign, signingKey, unsecured, type JwksEndpoint, type SigningKey } from './jwt-fixtures.js';

let rsa: SigningKey;
let impostor: SigningKey;
let idp: JwksEndpoint;
let localDir: string;

beforeAll(async () => {
  [rsa, impostor] = await Promise.all([signingKey('RS256', 'rsa-1'), signingKey('RS256', 'rsa-1')]);
  idp = await jwksEndpoint([rsa.jwk]);
  localDir = tempDir();
  await ensureLocalKey(localDir);
});

function authenticator(overrides: Partial<AuthenticatorOptions> = {}): Authenticator {
  return createAuthenticator({
    host: '127.0.0.1', jwksUrl: idp.url, issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256', 'ES256'], localKeyDir: localDir, now: () => NOW, ...overrides,
  });
}

/** Asserts the refusal and that its message leaks no part of the token. */
async function expectRefused(auth: Authenticator, header: string | undefined, reason: string, code: ErrorCode = 'UNAUTHENTICATED'): Promise<void> {
  const error = await failureOf(auth.authenticate(header), code);
  expect(error.message).toBe(reason);
  for (const part of (header ?? '').replace(/^\S+\s+/, '').split('.').filter((p) => p.length >= 8)) expect(error.message).not.toContain(part);
}

const bearer = (token: string): string => `Bearer ${token}`;
const local = (dir = localDir) => mintLocalToken({ dir, roles: ['central-admin'], now: () => NOW });

describe('authenticate refuses', () => {
  it.each([
    ['no header', undefined, 'no bearer token: send Authorization: Bearer <token>'],
    ['an empty header', '  ', 'no bearer token: send Authorization: Bearer <token>'],
    ['another scheme', 'Basic YWxpY2U6c2VjcmV0', 'the Authorization header is not a bearer token'],
    ['a scheme without a token', 'Bearer', 'the Authorization header is not a bearer token'],
    ['two tokens', 'Bearer a.b.c d.e.f', 'the Authorization header is not a bearer token'],
    ['garbage', 'Bearer not-a-jwt-at-all', 'the token is not a well-formed JWT'],
    ['three parts that are not JSON', 'Bearer aaaaaaaa.bbbbbbbb.cccccccc', 'the token is not a well-formed JWT'],
    ['an encrypted token (five parts)', 'Bearer eyJhbGciOiJkaXIifQ..aaaa.bbbb.cccc', 'the token is not a well-formed JWT'],
    ['a huge token', `Bearer ${'a'.repeat(20_000)}.b.c`, 'the token is too long'],
  ])('%s', async (_name, header, reason) => {
    await expectRefused(authenticator(), header, reason);
  });

  it.each([
    ['an expired token', { exp: NOW_S - 61 }, 'the token has expired'],
    ['a token not valid yet, beyond the skew', { nbf: NOW_S + 3600 }, 'the token is not valid yet'],
    ['a token of another issuer', { iss: 'https://evil.example.test/' }, 'the token issuer is not accepted'],
    ['a token without an issuer', { iss: undefined }, 'the token issuer is not accepted'],
    ['a token for another audience', { aud: 'some-other-api' }, 'the token audience is not accepted'],
    ['a token without an audience', { aud: undefined }, 'the token has no aud claim'],
    ['a token without exp', { exp: undefined }, 'the token has no exp claim'],
    ['a token without a subject', { sub: undefined }, 'the token has no sub claim'],
    ['a token with an empty subject', { sub: '' }, 'the token has no subject (sub)'],
    ['a token whose exp is not a number', { exp: 'tomorrow' }, 'the token\'s exp claim is invalid'],
  ])('%s', async (_name, claims, reason) => {
    await expectRefused(authenticator(), bearer(await sign(rsa, remoteClaims(claims))), reason);
  });

  it('alg: none, for the issuer and for local tokens, crafted by hand', async () => {
    await expectRefused(authenticator(), bearer(unsecured(remoteClaims())), 'the token algorithm is not allowed');
    const localClaims = { iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, sub: 'x', exp: NOW_S + 60, idgraph_roles: ['central-admin'] };
    await expectRefused(authenticator(), bearer(unsecured(localClaims)), 'the token algorithm is not allowed');
  });

  it('HS256, signed with a secret or with the public key as the secret (algorithm confusion)', async () => {
    for (const secret of [new TextEncoder().encode('a-shared-secret-of-32-characters'), new TextEncoder().encode(JSON.stringify(rsa.jwk))]) {
      const token = await new SignJWT(remoteClaims()).setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' }).sign(secret);
      await expectRefused(authenticator(), bearer(token), 'the token algorithm is not allowed');
    }
  });

  it('an algorithm off the allow-list, before fetching any key', async () => {
    const own = await jwksEndpoint([rsa.jwk]);
    await expectRefused(authenticator({ jwksUrl: own.url, algorithms: ['ES256'] }), bearer(await sign(rsa, remoteClaims())), 'the token algorithm is not allowed');
    expect(own.fetches()).toBe(0);
  });

  it('a token signed by another key under the issuer\'s kid, or under an unknown kid', async () => {
    await expectRefused(authenticator(), bearer(await sign(impostor, remoteClaims())), 'the token signature does not verify');
    await expectRefused(authenticator(), bearer(await sign(impostor, remoteClaims(), { kid: 'rsa-2' })), 'no signing key of the issuer matches the token');
  });

  it('a local token signed by another data directory\'s key', async () => {
    const { token } = await local(tempDir());
    await expectRefused(authenticator(), bearer(token), 'the token signature does not verify');
  });

  it('a local token that has expired, or names another audience', async () => {
    const { token } = await mintLocalToken({ dir: localDir, roles: ['analyst'], ttl: '1h', now: () => new Date(NOW.getTime() - 3_661_000) });
    await expectRefused(authenticator(), bearer(token), 'the token has expired');
    const key = await ensureLocalKey(localDir);
    const wrongAudience = await new SignJWT({ idgraph_roles: ['central-admin'] })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid }).setIssuer(LOCAL_ISSUER).setAudience(AUDIENCE).setSubject('x').setExpirationTime(NOW_S + 60).sign(key.privateKey);
    await expectRefused(authenticator(), bearer(wrongAudience), 'the token audience is not accepted');
  });

  it('a local token when the server does not listen on loopback', async () => {
    const { token } = await local();
    await expectRefused(authenticator({ host: '0.0.0.0' }), bearer(token), 'local tokens are accepted only by a server on a loopback address');
  });

  it('an issuer token when no issuer is configured', async () => {
    const auth = authenticator({ jwksUrl: undefined, issuer: undefined });
    await expectRefused(auth, bearer(await sign(rsa, remoteClaims())), 'the token issuer is not accepted');
  });

  it('a local token before any local key exists, or when the key file is corrupt', async () => {
    const { token } = await local(tempDir());
    const empty = tempDir();
    await expectRefused(authenticator({ localKeyDir: empty }), bearer(token), 'no local signing key exists yet');
    writeFileSync(localKeyPath(empty), '{"version":1,"alg":"ES256"', { mode: 0o600 });
    await expectRefused(authenticator({ localKeyDir: empty }), bearer(token), 'the local signing key cannot be read');
  });
});

describe('authenticate when the JWKS cannot be fetched', () => {
  const unavailable = 'the issuer\'s signing keys (JWKS) cannot be fetched; try again';

  it('is UNAVAILABLE when nothing listens at the JWKS URL', async () => {
    const gone = await jwksEndpoint([rsa.jwk]);
    await gone.close();
    await expectRefused(authenticator({ jwksUrl: gone.url }), bearer(await sign(rsa, remoteClaims())), unavailable, 'UNAVAILABLE');
  });

  it('is UNAVAILABLE when the JWKS endpoint fails or hangs', async () => {
    const failing = await jwksEndpoint([rsa.jwk]);
    failing.status(500);
    await expectRefused(authenticator({ jwksUrl: failing.url }), bearer(await sign(rsa, remoteClaims())), unavailable, 'UNAVAILABLE');
    const hung = await jwksEndpoint([rsa.jwk]);
    hung.hang();
    await expectRefused(authenticator({ jwksUrl: hung.url, jwksTimeoutMs: 200 }), bearer(await sign(rsa, remoteClaims())), unavailable, 'UNAVAILABLE');
  });
});
