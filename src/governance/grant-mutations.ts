/**
 * Grants as the governance mutations make them (issue 5): `grant` and `requestAccess` (a new grant edge),
 * `revoke`, and `approve`/`reject` of a PENDING one. Each asks the Cedar guardrails first, then writes the
 * change and its audit event in one commit; a denied attempt writes its audit event alone and fails with
 * POLICY_DENIED naming the policies. Nothing is deleted: revoking is a property change.
 */
import { randomBytes } from 'node:crypto';
import type { Caller } from '../auth/caller.js';
import { parseDuration } from '../model/duration.js';
import { IdGraphError, invariant } from '../model/errors.js';
import { actorOf } from './decide.js';
import type { Props } from '../model/properties.js';
import type { EdgeKey, EdgeRecord } from '../model/records.js';
import { grantFacts, type Decision, type GrantEdgeType, type GrantSubject, type Guardrails } from '../policy/index.js';
import { auditOf, decided, iso, refuse, requireLive, withProps } from './decide.js';
import type { Projection } from '../projection/projection.js';
import type { GraphStore } from '../store/port.js';
import type { GraphWriter } from './graph-writer.js';

export interface GovernanceDeps {
  readonly store: GraphStore;
  readonly projection: Projection;
  readonly writer: GraphWriter;
  readonly guardrails: Guardrails;
}

/** Who acts, and under which request id (both land in the audit event). */
export interface Acting {
  readonly caller: Caller;
  readonly requestId: string;
  /**
   * The request's time (epoch ms): what the change is stamped with, so that the same response (and any
   * later one) sees it live; a clock read later would put `grantedAt` after the response's "now".
   */
  readonly now: number;
}

export interface NewGrant {
  readonly type: GrantEdgeType;
  readonly from: string;
  readonly to: string;
  /** How long it lasts (`8h`, `30d`); the guardrails require one no longer than the sensitivity allows. */
  readonly ttl?: string | undefined;
  readonly justification: string;
  /** The service a LOCAL MEMBER_OF or CAN_ASSUME grant belongs to; a LOCAL role names its own. */
  readonly domain?: string | undefined;
}

export interface GrantOutcome {
  readonly edge: EdgeKey;
  readonly props: Props;
  readonly decision: Decision;
  readonly sequence: number;
}

/**
 * Makes a grant (ACTIVE when the guardrails allow it, PENDING when they ask for approval) or, with
 * `requestAccess`, a PENDING request.
 * @throws IdGraphError POLICY_DENIED (after auditing the attempt); BAD_USER_INPUT; NOT_FOUND.
 */
export async function makeGrant(deps: GovernanceDeps, acting: Acting, input: NewGrant, action: 'grant' | 'requestAccess'): Promise<GrantOutcome> {
  if (input.justification.trim() === '') throw new IdGraphError('BAD_USER_INPUT', 'justification must not be empty', { issues: [{ path: 'justification', message: 'must not be empty' }] });
  const ttlSeconds = input.ttl === undefined ? undefined : parseDuration(input.ttl, 'ttl');
  const now = acting.now;
  // A central block (quarantine, retirement) is not undone by a new grant: the grantee must be live.
  await requireLive(deps, acting, action, input.from, [input.from, input.to]);
  const role = input.type === 'HAS_ROLE' ? (await deps.store.getNodes([input.to]))[0] : undefined;
  const localRole = role?.props['origin'] === 'LOCAL';
  const domain = localRole ? String(role?.props['service']) : input.domain;
  const subject: GrantSubject = { type: input.type, from: input.from, to: input.to, origin: domain === undefined ? 'CENTRAL' : 'LOCAL', domain };
  const facts = await withProps(deps, (props) => grantFacts(deps.projection, props, subject, now));
  const decision = await decided(deps, acting, { action, actor: actorOf(acting), grant: facts, ttlSeconds }, [input.from, input.to]);
  const key = `grant-${now.toString(36)}-${randomBytes(4).toString('hex')}`;
  const props: Record<string, unknown> = {
    id: key,
    origin: subject.origin,
    ...(domain === undefined ? {} : { domain }),
    status: decision.outcome === 'ALLOW' && action === 'grant' ? 'ACTIVE' : 'PENDING',
    grantedBy: acting.caller.subject,
    grantedAt: iso(now),
    ...(ttlSeconds === undefined ? {} : { expiresAt: iso(now + ttlSeconds * 1000) }),
    justification: input.justification,
  };
  const edge = edgeRecord(deps.projection, { type: input.type, from: input.from, to: input.to, key }, props);
  const commit = await deps.writer.commit([], [edge], auditOf(acting, action, [input.from, input.to], decision, input.justification));
  return { edge: { type: edge.type, from: edge.from, to: edge.to, key }, props, decision, sequence: commit.sequence };
}

/**
 * Revokes a grant (local owners inside their service, central admins anything), effective now.
 * @throws IdGraphError NOT_FOUND for no such grant; POLICY_DENIED.
 */
export async function revokeGrant(deps: GovernanceDeps, acting: Acting, key: EdgeKey, reason: string): Promise<GrantOutcome> {
  const existing = await existingGrant(deps, key);
  const status = String(existing.props['status'] ?? 'ACTIVE');
  if (status !== 'ACTIVE' && status !== 'PENDING') throw new IdGraphError('CONFLICT', `The ${key.type} grant ${key.from} → ${key.to} is already ${status}`);
  const now = acting.now;
  const facts = await withProps(deps, (props) => grantFacts(deps.projection, props, subjectOf(existing), now));
  const decision = await decided(deps, acting, { action: 'revoke', actor: actorOf(acting), grant: facts }, [key.from, key.to]);
  const props = { ...existing.props, status: 'REVOKED', revokedAt: iso(now), revokedBy: acting.caller.subject };
  const commit = await deps.writer.commit([], [{ ...existing, props }], auditOf(acting, 'revoke', [key.from, key.to], decision, reason));
  return { edge: key, props, decision, sequence: commit.sequence };
}

/**
 * Approves a PENDING grant (it becomes ACTIVE from now, for the duration it was asked for) or rejects it.
 * @throws IdGraphError NOT_FOUND; CONFLICT when the grant is not PENDING; POLICY_DENIED.
 */
export async function reviewGrant(deps: GovernanceDeps, acting: Acting, key: EdgeKey, verdict: 'approve' | 'reject', reason: string): Promise<GrantOutcome> {
  const existing = await existingGrant(deps, key);
  if (existing.props['status'] !== 'PENDING') {
    throw new IdGraphError('CONFLICT', `The ${key.type} grant ${key.from} → ${key.to} is ${String(existing.props['status'] ?? 'ACTIVE')}, not PENDING`);
  }
  const now = acting.now;
  // Four eyes: whoever asked does not approve.
  if (verdict === 'approve' && existing.props['grantedBy'] === acting.caller.subject) {
    await refuse(deps, acting, verdict, [key.from, key.to], 'a request is approved by someone other than who made it');
  }
  const facts = await withProps(deps, (props) => grantFacts(deps.projection, props, subjectOf(existing), now));
  const decision = await decided(deps, acting, { action: verdict, actor: actorOf(acting), grant: facts }, [key.from, key.to]);
  const asked = Date.parse(String(existing.props['expiresAt'])) - Date.parse(String(existing.props['grantedAt']));
  const props =
    verdict === 'approve'
      ? { ...existing.props, status: 'ACTIVE', grantedAt: iso(now), ...(Number.isFinite(asked) ? { expiresAt: iso(now + asked) } : {}) }
      : { ...existing.props, status: 'REVOKED', revokedAt: iso(now), revokedBy: acting.caller.subject };
  const commit = await deps.writer.commit([], [{ ...existing, props }], auditOf(acting, verdict, [key.from, key.to], decision, reason));
  return { edge: key, props, decision, sequence: commit.sequence };
}

async function existingGrant(deps: GovernanceDeps, key: EdgeKey): Promise<EdgeRecord> {
  const [existing] = await deps.store.getEdges([key]);
  if (existing === undefined) throw new IdGraphError('NOT_FOUND', `No ${key.type} grant ${key.from} → ${key.to}${key.key ? ` with id "${key.key}"` : ''}`);
  return existing;
}

function subjectOf(edge: EdgeRecord): GrantSubject {
  if (edge.type !== 'HAS_ROLE' && edge.type !== 'MEMBER_OF' && edge.type !== 'CAN_ASSUME') {
    throw new IdGraphError('BAD_USER_INPUT', `${edge.type} is not a grant; grants are HAS_ROLE, MEMBER_OF and CAN_ASSUME`);
  }
  const domain = typeof edge.props['domain'] === 'string' ? edge.props['domain'] : undefined;
  const origin = edge.props['origin'] === 'LOCAL' ? 'LOCAL' : edge.props['origin'] === 'CENTRAL' ? 'CENTRAL' : undefined;
  return { type: edge.type, from: edge.from, to: edge.to, key: edge.key, origin, domain };
}

function edgeRecord(projection: Projection, key: EdgeKey, props: Props): EdgeRecord {
  const from = projection.indexOf(key.from);
  const to = projection.indexOf(key.to);
  invariant(from !== undefined && to !== undefined, 'grant facts checked that both ends exist');
  return { ...key, fromLabel: projection.labelOf(from), toLabel: projection.labelOf(to), props };
}

