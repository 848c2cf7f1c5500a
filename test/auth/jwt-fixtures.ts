/**
 * Real keys, real tokens and a real JWKS endpoint (HTTP on 127.0.0.1, port 0) for the authentication
 * tests: an "identity provider" whose behaviour a test can change (status, delay) and whose fetches it counts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { afterAll } from 'vitest';

export const ISSUER = 'https://idp.example.test/';
export const AUDIENCE = 'idgraph-api';
/** The fixed clock of the tests; tokens are minted relative to it and the authenticator reads it. */
export const NOW = new Date('2026-11-23T12:00:00Z');
export const NOW_S = Math.floor(NOW.getTime() / 1000);

export interface SigningKey {
  readonly alg: string;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** The public JWK as a JWKS publishes it. */
  readonly jwk: JWK;
}

export async function signingKey(alg: 'RS256' | 'ES256' | 'EdDSA', kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** Standard claims of a valid remote token at NOW; `claims` overrides or adds (undefined removes). */
export function remoteClaims(claims: Record<string, unknown> = {}): JWTPayload {
  const base: Record<string, unknown> = { iss: ISSUER, aud: AUDIENCE, sub: 'alice@example.test', iat: NOW_S - 10, exp: NOW_S + 3600, idgraph_roles: ['analyst'] };
  return Object.fromEntries(Object.entries({ ...base, ...claims }).filter(([, value]) => value !== undefined)) as JWTPayload;
}

/** Signs claims with a key; `header` overrides the protected header (a wrong kid, say). */
export function sign(key: SigningKey, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey);
}

/** An unsecured JWT (`alg: none`), crafted by hand as an attacker would: empty signature. */
export function unsecured(claims: JWTPayload): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

export interface JwksEndpoint {
  readonly url: string;
  /** How many times the JWKS was fetched. */
  readonly fetches: () => number;
  /** Answer with this HTTP status from now on (200 serves the keys). */
  status(code: number): void;
  /** Never answer from now on (a hung identity provider). */
  hang(): void;
  close(): Promise<void>;
}

const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Serves `{ keys }` at /.well-known/jwks.json on 127.0.0.1, on a port of the system's choosing. */
export async function jwksEndpoint(keys: readonly JWK[]): Promise<JwksEndpoint> {
  let fetches = 0;
  let status = 200;
  let hung = false;
  const server = createServer((req, res) => {
    fetches += 1;
    if (hung) return;
    if (req.url !== '/.well-known/jwks.json' || status !== 200) {
      res.writeHead(req.url === '/.well-known/jwks.json' ? status : 404).end('no');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    fetches: () => fetches,
    status: (code) => void (status = code),
    hang: () => void (hung = true),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
