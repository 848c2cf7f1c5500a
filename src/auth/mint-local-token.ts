/**
 * Local tokens: JWTs for local use (a developer, a script, the README walkthrough) signed with the key in
 * the data directory, accepted only by a server that listens on loopback (`auth-mode.ts`).
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { SignJWT } from 'jose';
import { badInput, type Issue } from '../model/errors.js';
import { API_ROLES, ROLES_CLAIM, SERVICES_CLAIM, type ApiRole } from './caller.js';
import { LOCAL_ALGORITHM, LOCAL_AUDIENCE, LOCAL_ISSUER, ensureLocalKey } from './local-key.js';

/** What a token should say; validated by `getValidTokenRequest`. Issues are named by the CLI flags. */
export interface LocalTokenRequest {
  readonly roles: readonly string[];
  readonly services?: readonly string[] | undefined;
  /** Default `local:<user name>`. */
  readonly subject?: string | undefined;
  /** A duration such as `30m`, `8h`, `7d`; default 8h, from 1 minute to 30 days. */
  readonly ttl?: string | undefined;
}

export interface ValidTokenRequest {
  readonly roles: readonly ApiRole[];
  readonly services: readonly string[];
  readonly subject: string;
  readonly ttlSeconds: number;
}

export interface LocalToken {
  readonly token: string;
  readonly expiresAt: Date;
  readonly subject: string;
  readonly roles: readonly ApiRole[];
  readonly services: readonly string[];
}

export const DEFAULT_TTL = '8h';
const MIN_TTL_SECONDS = 60;
/** Local tokens cannot be revoked one by one (only by replacing the key), so they must not live long. */
const MAX_TTL_SECONDS = 30 * 86_400;
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400 };
const MAX_NAME_LENGTH = 200;

/**
 * Mints a local token, creating the key in `dir` on first use.
 * @throws IdGraphError BAD_USER_INPUT naming every bad field (as `--role`, `--service`, `--subject`, `--ttl`);
 *   UNAVAILABLE when the key cannot be read or created.
 * @example const { token } = await mintLocalToken({ dir: './data', roles: ['analyst'] })
 */
export async function mintLocalToken(options: LocalTokenRequest & { readonly dir: string; readonly now?: () => Date }): Promise<LocalToken> {
  const request = getValidTokenRequest(options);
  const now = (options.now ?? (() => new Date()))();
  const key = await ensureLocalKey(options.dir, now);
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = new Date((issuedAt + request.ttlSeconds) * 1000);
  const claims: Record<string, unknown> = { [ROLES_CLAIM]: request.roles };
  if (request.services.length > 0) claims[SERVICES_CLAIM] = request.services;
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: LOCAL_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(request.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + request.ttlSeconds)
    .setJti(randomUUID())
    .sign(key.privateKey);
  return { token, expiresAt, subject: request.subject, roles: request.roles, services: request.services };
}

/**
 * Checks a token request and reports every problem at once.
 * @throws IdGraphError BAD_USER_INPUT with one issue per problem.
 * @example getValidTokenRequest({ roles: ['service-owner'], services: ['svc:payments'], ttl: '1h' })
 */
export function getValidTokenRequest(request: LocalTokenRequest): ValidTokenRequest {
  const issues: Issue[] = [];
  const expected = `expected one of ${API_ROLES.join(', ')}`;
  if (request.roles.length === 0) issues.push({ path: '--role', message: `give at least one role; ${expected}` });
  for (const role of request.roles) {
    if (!(API_ROLES as readonly string[]).includes(role)) issues.push({ path: '--role', message: `unknown role ${JSON.stringify(role)}; ${expected}` });
  }
  const roles = API_ROLES.filter((role) => request.roles.includes(role));
  const services = [...new Set(request.services ?? [])];
  for (const service of services) {
    if (!isName(service)) issues.push({ path: '--service', message: `must be a service id such as svc:payments, got ${JSON.stringify(service)}` });
  }
  if (request.roles.includes('service-owner') && services.length === 0) {
    issues.push({ path: '--service', message: 'a service-owner token needs at least one --service <id>' });
  }
  if (!request.roles.includes('service-owner') && services.length > 0) {
    issues.push({ path: '--service', message: `only a service-owner token names services, got ${JSON.stringify(services[0])}` });
  }
  const subject = request.subject ?? defaultSubject();
  if (!isName(subject)) issues.push({ path: '--subject', message: `must be 1-${MAX_NAME_LENGTH} characters without spaces, got ${JSON.stringify(subject)}` });
  const ttl = request.ttl ?? DEFAULT_TTL;
  const ttlSeconds = parseTtl(ttl);
  if (ttlSeconds === undefined) issues.push({ path: '--ttl', message: `must be a duration such as 30m, 8h or 7d, from 1m to 30d, got ${JSON.stringify(ttl)}` });
  if (issues.length > 0 || ttlSeconds === undefined) throw badInput(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  return { roles, services, subject, ttlSeconds };
}

/**
 * `90s`, `30m`, `8h`, `7d` → seconds; undefined when malformed or outside 1 minute to 30 days.
 * @example parseTtl('8h') // 28800
 */
export function parseTtl(value: string): number | undefined {
  const match = /^(\d{1,7})([smhd])$/.exec(value.trim());
  if (match === null) return undefined;
  const seconds = Number(match[1]) * (UNIT_SECONDS[match[2]!] ?? Number.NaN);
  return seconds >= MIN_TTL_SECONDS && seconds <= MAX_TTL_SECONDS ? seconds : undefined;
}

/** Names go into tokens and audit events: printable, no whitespace, bounded. */
function isName(value: string): boolean {
  return value.length > 0 && value.length <= MAX_NAME_LENGTH && /^[^\s\p{Cc}]+$/u.test(value);
}

/** The OS user, so a local token says who minted it; some containers have no passwd entry. */
function defaultSubject(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    return 'local:user';
  }
}
