/**
 * Bearer-token authentication: an `Authorization` header in, a `Caller` out, or an UNAUTHENTICATED error
 * with a short reason. Tokens of the configured issuer are verified against its JWKS, local tokens
 * against the key file (`local-key.ts`); both with jose, an algorithm allow-list and 60 s of clock skew.
 */
import { stat } from 'node:fs/promises';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyOptions } from 'jose';
import { JWT_ALGORITHMS } from '../config/config.js';
import { IdGraphError } from '../model/errors.js';
import { authMode, type AuthMode } from './auth-mode.js';
import { callerFromClaims, type Caller } from './caller.js';
import { LOCAL_ALGORITHM, LOCAL_AUDIENCE, LOCAL_ISSUER, localKeyPath, readLocalKey, type LocalKey } from './local-key.js';

export interface AuthenticatorOptions {
  readonly jwksUrl?: string | undefined;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
  /** The algorithms the issuer's tokens may use; asymmetric only. Local tokens always use ES256. */
  readonly algorithms: readonly string[];
  readonly localKeyDir?: string | undefined;
  /** Where the server listens: local tokens are accepted only on loopback (`authMode`). */
  readonly host: string;
  /** The clock tokens are checked against; now by default (tests pin it). */
  readonly now?: () => Date;
  /** How long one JWKS fetch may take, in ms (default 5000). */
  readonly jwksTimeoutMs?: number;
}

export interface Authenticator {
  /** Which tokens this authenticator accepts, for the server's start-up log. */
  readonly mode: AuthMode;
  /**
   * Verifies the `Authorization` header's bearer token and returns its caller.
   * @throws IdGraphError UNAUTHENTICATED on any problem with the token (the message never quotes it);
   *   UNAVAILABLE when the issuer's JWKS cannot be fetched, since the token may well be valid then.
   */
  authenticate(authorizationHeader: string | undefined): Promise<Caller>;
}

/** RFC 7519 leaves skew to the verifier; 60 s absorbs NTP drift without stretching a token's life much. */
export const CLOCK_SKEW_SECONDS = 60;
/** Far above any real token (a few KB with many roles), low enough that garbage is refused before parsing. */
const MAX_TOKEN_LENGTH = 16_384;
const JWKS_COOLDOWN_MS = 30_000;
const JWKS_MAX_AGE_MS = 10 * 60_000;

/**
 * Builds an authenticator; the options are checked here, once, so a server with bad settings never starts.
 * @throws IdGraphError BAD_USER_INPUT for settings `authMode` refuses, or an algorithm off the asymmetric list.
 * @example
 * const auth = createAuthenticator({ ...config.auth, host: config.host })
 * const caller = await auth.authenticate(req.headers.authorization)
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const mode = authMode(options.host, options);
  const algorithms = getValidAlgorithms(options.algorithms);
  // Each call reads the clock, so a long-running server checks `exp` against the time of the request.
  const checks = (): JWTVerifyOptions => ({
    clockTolerance: CLOCK_SKEW_SECONDS,
    requiredClaims: ['exp', 'sub'],
    ...(options.now ? { currentDate: options.now() } : {}),
  });
  const jwks = mode.remote
    ? createRemoteJWKSet(new URL(options.jwksUrl ?? ''), { timeoutDuration: options.jwksTimeoutMs ?? 5_000, cooldownDuration: JWKS_COOLDOWN_MS, cacheMaxAge: JWKS_MAX_AGE_MS })
    : undefined;
  const localKey = mode.local ? cachedLocalKey(options.localKeyDir ?? '') : undefined;

  return {
    mode,
    async authenticate(authorizationHeader) {
      const token = bearerToken(authorizationHeader);
      const { alg, iss } = peek(token);
      if (iss === LOCAL_ISSUER) {
        if (localKey === undefined) throw unauthenticated('local tokens are accepted only by a server on a loopback address');
        if (alg !== LOCAL_ALGORITHM) throw unauthenticated('the token algorithm is not allowed');
        const key = await localKey();
        const localChecks = { ...checks(), issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: [LOCAL_ALGORITHM] };
        return callerFromClaims(await verified(() => jwtVerify(token, key.publicKey, localChecks), false));
      }
      if (jwks === undefined || iss !== options.issuer) throw unauthenticated('the token issuer is not accepted');
      // Checked before any key lookup, so a forged header never makes the server fetch the JWKS.
      if (!algorithms.includes(alg)) throw unauthenticated('the token algorithm is not allowed');
      const remoteChecks = { ...checks(), issuer: options.issuer, algorithms, ...(options.audience ? { audience: options.audience } : {}) };
      return callerFromClaims(await verified(() => jwtVerify(token, jwks, remoteChecks), true));
    },
  };
}

/** Throws, with a reason, unless the header is `Bearer <compact JWS>`. */
function bearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') throw unauthenticated('no bearer token: send Authorization: Bearer <token>');
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (match === null) throw unauthenticated('the Authorization header is not a bearer token');
  const token = match[1]!;
  if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated('the token is too long');
  if (!/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) throw unauthenticated('the token is not a well-formed JWT');
  return token;
}

/** The unverified `alg` and `iss`, only to pick the key and refuse early; the verification checks both again. */
function peek(token: string): { alg: string; iss: string | undefined } {
  try {
    const { alg } = decodeProtectedHeader(token);
    const { iss } = decodeJwt(token);
    if (typeof alg !== 'string') throw new TypeError('no alg');
    return { alg, iss };
  } catch {
    throw unauthenticated('the token is not a well-formed JWT');
  }
}

async function verified(verify: () => Promise<{ payload: JWTPayload }>, remote: boolean): Promise<JWTPayload> {
  try {
    return (await verify()).payload;
  } catch (error) {
    throw failure(error, remote);
  }
}

/**
 * One reason per jose failure. jose's own messages are not passed on and its errors are not kept as
 * causes: a claim failure carries the whole payload, which must not reach a log or a client.
 */
function failure(error: unknown, remote: boolean): IdGraphError {
  if (error instanceof IdGraphError) return error;
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return unauthenticated(`the token has no ${error.claim} claim`);
    if (error.claim === 'nbf') return unauthenticated('the token is not valid yet');
    if (error.claim === 'iss') return unauthenticated('the token issuer is not accepted');
    if (error.claim === 'aud') return unauthenticated('the token audience is not accepted');
    return unauthenticated(`the token's ${error.claim} claim is invalid`);
  }
  if (error instanceof errors.JOSEError) {
    switch (error.code) {
      case 'ERR_JWT_EXPIRED':
        return unauthenticated('the token has expired');
      case 'ERR_JOSE_ALG_NOT_ALLOWED':
      case 'ERR_JOSE_NOT_SUPPORTED':
        return unauthenticated('the token algorithm is not allowed');
      case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
        return unauthenticated('the token signature does not verify');
      case 'ERR_JWKS_NO_MATCHING_KEY':
      case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
        return unauthenticated('no signing key of the issuer matches the token');
      case 'ERR_JWS_INVALID':
      case 'ERR_JWT_INVALID':
        return unauthenticated('the token is not a well-formed JWT');
    }
  }
  // What is left on the remote path is the JWKS fetch (network, timeout, HTTP status, bad JSON): the
  // token was not judged, so the client should retry rather than drop it.
  if (remote) return new IdGraphError('UNAVAILABLE', 'the issuer\'s signing keys (JWKS) cannot be fetched; try again', { cause: error });
  return unauthenticated('the token cannot be verified');
}

/**
 * The local key, read lazily (the token command may create it after the server starts) and re-read when
 * the file changes (a removed key was replaced), at the cost of one stat per local token.
 */
function cachedLocalKey(dir: string): () => Promise<LocalKey> {
  let cached: { stamp: string; key: LocalKey } | undefined;
  return async () => {
    let stamp: string;
    try {
      const stats = await stat(localKeyPath(dir));
      stamp = `${stats.ino}:${stats.mtimeMs}:${stats.size}`;
    } catch {
      throw unauthenticated('no local signing key exists yet');
    }
    if (cached?.stamp !== stamp) {
      const key = await readLocalKey(dir).catch(() => undefined);
      if (key === undefined) throw unauthenticated('the local signing key cannot be read');
      cached = { stamp, key };
    }
    return cached.key;
  };
}

function getValidAlgorithms(algorithms: readonly string[]): string[] {
  const known = JWT_ALGORITHMS as readonly string[];
  if (algorithms.length === 0 || algorithms.some((name) => !known.includes(name))) {
    throw new IdGraphError('BAD_USER_INPUT', `algorithms must be a non-empty list of ${known.join(', ')}, got ${JSON.stringify(algorithms)}`);
  }
  return [...algorithms];
}

function unauthenticated(reason: string): IdGraphError {
  return new IdGraphError('UNAUTHENTICATED', reason);
}
