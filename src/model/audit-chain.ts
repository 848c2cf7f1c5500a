/**
 * The audit log's hash chain: each event's hash covers its content and the hash before it, so editing,
 * dropping or reordering any event breaks every hash after it.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** An audit event as written: every field the hash covers plus the hash itself. */
export interface AuditEvent {
  readonly sequence: number;
  /** ISO-8601 UTC. */
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly targets: readonly string[];
  /** ALLOW, DENY, PENDING… or NONE when no policy was asked. */
  readonly decision: string;
  readonly policyIds: readonly string[];
  readonly reason: string;
  /** The API request that made the change ('' for the CLI and imports), to join the log with request logs. */
  readonly requestId: string;
  readonly prevHash: string;
  readonly hash: string;
}

export type UnhashedAuditEvent = Omit<AuditEvent, 'hash'>;

/** What a write says about itself; the store adds sequence, time (unless given), and the hash chain. */
export interface AuditInput {
  readonly actor: string;
  readonly action: string;
  readonly targets?: readonly string[];
  readonly decision?: string;
  readonly policyIds?: readonly string[];
  readonly reason?: string;
  readonly requestId?: string;
  /** ISO-8601; defaults to the commit time. */
  readonly at?: string;
}

/**
 * The event a write appends: the input with its defaults (the commit time, decision NONE, no targets,
 * policies or reason), numbered `sequence` and chained to `prevHash`.
 */
export function auditEventOf(input: AuditInput, sequence: number, prevHash: string): AuditEvent {
  const unhashed: UnhashedAuditEvent = {
    sequence,
    at: input.at ?? new Date().toISOString(),
    actor: input.actor,
    action: input.action,
    targets: [...(input.targets ?? [])],
    decision: input.decision ?? 'NONE',
    policyIds: [...(input.policyIds ?? [])],
    reason: input.reason ?? '',
    requestId: input.requestId ?? '',
    prevHash,
  };
  return { ...unhashed, hash: auditHash(unhashed) };
}

/** The hash of an event: SHA-256 over its fields in a fixed order, hex. */
export function auditHash(event: UnhashedAuditEvent): string {
  const canonical = JSON.stringify([
    event.sequence,
    event.at,
    event.actor,
    event.action,
    event.targets,
    event.decision,
    event.policyIds,
    event.reason,
    event.requestId,
    event.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** The first sequence number at which the chain breaks, or undefined when every link holds. */
export function firstBrokenLink(events: readonly AuditEvent[], prevHash = GENESIS_HASH): number | undefined {
  let expectedPrev = prevHash;
  for (const event of events) {
    if (event.prevHash !== expectedPrev || auditHash(event) !== event.hash) return event.sequence;
    expectedPrev = event.hash;
  }
  return undefined;
}
