/**
 * The head of the audit log: the last event's sequence and hash. Anchored outside the store (a ticket, a
 * signed note, another system's log), it lets `verifyAudit` prove later that nobody cut the tail off or
 * rewrote the log up to it, which the chain alone cannot show: a truncated chain is still a valid chain.
 */
import { GENESIS_HASH } from '../model/audit-chain.js';
import { IdGraphError } from '../model/errors.js';
import type { GraphStore } from '../store/port.js';

/** Where the log ends: sequence 0 with the genesis hash for an empty log. */
export interface AuditHead {
  readonly sequence: number;
  /** SHA-256, lowercase hex. */
  readonly hash: string;
}

/** The head of an empty log: the chain starts from here. */
export const GENESIS_HEAD: AuditHead = { sequence: 0, hash: GENESIS_HASH };

const HASH = /^[0-9a-f]{64}$/;

/**
 * The head of the store's audit log, as stored (this does not verify the chain; `verifyAudit` does).
 * @throws IdGraphError NOT_FOUND when the store's last sequence has no event (the log was tampered
 *   with: run `idgraph audit verify`); UNAVAILABLE when the store cannot be read.
 * @example const { sequence, hash } = await auditHead(store)
 */
export async function auditHead(store: Pick<GraphStore, 'lastSequence' | 'auditEvents'>): Promise<AuditHead> {
  const sequence = await store.lastSequence();
  if (sequence === 0) return GENESIS_HEAD;
  const [event] = await store.auditEvents(sequence - 1, 1);
  if (event === undefined || event.sequence !== sequence) {
    throw new IdGraphError(
      'NOT_FOUND',
      `The audit log's last sequence is ${sequence} but it holds no event ${sequence}; run idgraph audit verify`,
    );
  }
  return { sequence, hash: event.hash };
}

/** The head as one token, `<sequence>:<hash>`, the form `parseAuditHead` and `verify --head` take. */
export function formatAuditHead(head: AuditHead): string {
  return `${head.sequence}:${head.hash}`;
}

/**
 * Reads `<sequence>:<hash>` (as `idgraph audit head` prints it).
 * @throws IdGraphError BAD_USER_INPUT, quoting the input, when it is not a whole number, a colon and 64
 *   hex digits, or is sequence 0 with a hash other than the genesis hash.
 * @example parseAuditHead('50:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')
 */
export function parseAuditHead(text: string, path = '--head'): AuditHead {
  const match = /^(\d{1,15}):([0-9a-fA-F]{64})$/.exec(text.trim());
  if (match === null) {
    const message = `must be <sequence>:<hash> (a whole number, a colon, 64 hex digits), got ${JSON.stringify(text)}`;
    throw new IdGraphError('BAD_USER_INPUT', `${path}: ${message}`, { issues: [{ path, message }] });
  }
  return getValidHead({ sequence: Number(match[1]), hash: match[2]!.toLowerCase() }, path);
}

/**
 * Checks a head given by a caller, once, before any store call.
 * @throws IdGraphError BAD_USER_INPUT stating the rule and quoting the bad value.
 */
export function getValidHead(head: AuditHead, path = 'head'): AuditHead {
  const problems: string[] = [];
  if (!Number.isSafeInteger(head.sequence) || head.sequence < 0) {
    problems.push(`sequence must be a whole number ≥ 0, got ${JSON.stringify(head.sequence)}`);
  }
  if (typeof head.hash !== 'string' || !HASH.test(head.hash)) {
    problems.push(`hash must be 64 lowercase hex digits, got ${JSON.stringify(head.hash)}`);
  } else if (head.sequence === 0 && head.hash !== GENESIS_HASH) {
    problems.push(`the head at sequence 0 is the genesis hash (64 zeros), got ${JSON.stringify(head.hash)}`);
  }
  if (problems.length > 0) {
    throw new IdGraphError('BAD_USER_INPUT', `${path}: ${problems.join('; ')}`, {
      issues: problems.map((message) => ({ path, message })),
    });
  }
  return { sequence: head.sequence, hash: head.hash };
}
