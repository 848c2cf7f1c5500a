/**
 * The loopback rule: which tokens a server accepts, decided once at start from where it listens. Local
 * tokens are signed by a key any local user of the data directory can read, so they are good only for
 * a server that nobody else can reach; a server on any other address must verify a real issuer's tokens.
 */
import { isLoopbackHost, type AuthSettings } from '../config/config.js';
import { IdGraphError } from '../model/errors.js';

/** Which kinds of token a server accepts. */
export interface AuthMode {
  /** Local tokens (`idgraph token`): only on loopback, and only with a key directory. */
  readonly local: boolean;
  /** Tokens of the configured issuer, verified against its JWKS. */
  readonly remote: boolean;
}

/**
 * Decides the accepted tokens for a server listening on `host`. Pure: the server calls it at start (and
 * `createAuthenticator` calls it again), so a bad setting stops the start before anything listens.
 * @throws IdGraphError BAD_USER_INPUT when only one of issuer and JWKS URL is set; when `host` is not
 *   loopback and no issuer is configured; when no kind of token could be accepted at all.
 * @example authMode('127.0.0.1', config.auth) // { local: true, remote: false }
 */
export function authMode(host: string, settings: Partial<Pick<AuthSettings, 'jwksUrl' | 'issuer' | 'localKeyDir'>>): AuthMode {
  const hasIssuer = settings.issuer !== undefined && settings.issuer.length > 0;
  const hasJwks = settings.jwksUrl !== undefined && settings.jwksUrl.length > 0;
  const loopback = isLoopbackHost(host);
  // Tested before the pair rule: a server exposed without an issuer is the error to name first.
  if (!loopback && !(hasIssuer && hasJwks)) {
    throw new IdGraphError('BAD_USER_INPUT', `IDGRAPH_JWT_ISSUER and IDGRAPH_JWKS_URL must be set to listen on ${host}`, {
      issues: [{ path: hasIssuer ? 'IDGRAPH_JWKS_URL' : 'IDGRAPH_JWT_ISSUER', message: `must be set (with ${hasIssuer ? 'IDGRAPH_JWT_ISSUER' : 'IDGRAPH_JWKS_URL'}) to listen on ${host}, a non-loopback address` }],
    });
  }
  // An issuer without keys cannot verify anything; keys without an issuer would accept any issuer's tokens.
  if (hasIssuer !== hasJwks) {
    const missing = hasIssuer ? 'IDGRAPH_JWKS_URL' : 'IDGRAPH_JWT_ISSUER';
    throw new IdGraphError('BAD_USER_INPUT', `${missing}: must be set too: IDGRAPH_JWT_ISSUER and IDGRAPH_JWKS_URL go together`, {
      issues: [{ path: missing, message: 'must be set too: IDGRAPH_JWT_ISSUER and IDGRAPH_JWKS_URL go together' }],
    });
  }
  const mode = { local: loopback && settings.localKeyDir !== undefined, remote: hasIssuer && hasJwks };
  if (!mode.local && !mode.remote) {
    const message = 'must be set for local tokens with a Neo4j store (or set IDGRAPH_JWT_ISSUER and IDGRAPH_JWKS_URL)';
    throw new IdGraphError('BAD_USER_INPUT', `No token could be accepted: IDGRAPH_JWT_KEY_DIR ${message}`, { issues: [{ path: 'IDGRAPH_JWT_KEY_DIR', message }] });
  }
  return mode;
}
