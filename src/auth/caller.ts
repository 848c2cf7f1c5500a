/**
 * Who is calling, as the API sees it once a token has verified: a subject and its API roles, read from
 * the token's claims. Pure: no keys, no clock; `authenticator.ts` calls it on a verified payload only.
 */
import { IdGraphError } from '../model/errors.js';
import { API_ROLES, type ApiRole } from '../model/api-roles.js';

export { API_ROLES, type ApiRole } from '../model/api-roles.js';

/** The claim that carries the caller's API roles: an array of strings (one string is taken as one role). */
export const ROLES_CLAIM = 'idgraph_roles';
/** The claim that names the services a `service-owner` owns: an array of service ids. */
export const SERVICES_CLAIM = 'idgraph_services';

/**
 * An authenticated caller. `roles` may be empty (a valid token without a known role): authentication
 * succeeded and authorization refuses it with FORBIDDEN, so the two failures stay distinguishable.
 */
export interface Caller {
  /** The token's `sub`. */
  readonly subject: string;
  /** The token's `iss`, so that audit can tell `alice` of one issuer from `alice` of another. */
  readonly issuer: string;
  /** Known roles only, deduplicated, in `API_ROLES` order. */
  readonly roles: readonly ApiRole[];
  /** The services of a `service-owner`; always empty for a caller without that role. */
  readonly services: readonly string[];
}

/**
 * Reads a caller from a verified JWT payload. Unknown roles are ignored (an identity provider may carry
 * roles of other applications in the same claim); services count only with the `service-owner` role.
 * @throws IdGraphError UNAUTHENTICATED when the payload has no string `sub` or `iss`.
 * @example callerFromClaims({ sub: 'alice', iss: 'https://idp', idgraph_roles: ['analyst'] })
 */
export function callerFromClaims(payload: Readonly<Record<string, unknown>>): Caller {
  const subject = payload['sub'];
  if (typeof subject !== 'string' || subject.length === 0) {
    throw new IdGraphError('UNAUTHENTICATED', 'the token has no subject (sub)');
  }
  const issuer = payload['iss'];
  if (typeof issuer !== 'string' || issuer.length === 0) {
    throw new IdGraphError('UNAUTHENTICATED', 'the token has no issuer (iss)');
  }
  const named = new Set(strings(payload[ROLES_CLAIM]));
  const roles = API_ROLES.filter((role) => named.has(role));
  const services = roles.includes('service-owner') ? [...new Set(strings(payload[SERVICES_CLAIM]))] : [];
  return { subject, issuer, roles, services };
}

/** The non-empty strings of a claim that should be a string array; anything else counts as none. */
function strings(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.length > 0 ? [claim] : [];
  if (!Array.isArray(claim)) return [];
  return claim.filter((item): item is string => typeof item === 'string' && item.length > 0);
}
