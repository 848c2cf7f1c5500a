/**
 * Verifying the audit log (DESIGN.md, Policy: evidence): re-compute the hash chain over every stored
 * event, in pages, and name the first sequence at which it breaks and how.
 */
import { auditHash, type AuditEvent } from '../model/audit-chain.js';
import type { GraphStore } from '../store/port.js';
import { GENESIS_HEAD, getValidHead, type AuditHead } from './audit-head.js';
import { DEFAULT_AUDIT_PAGE_SIZE, auditPages, getValidPageSize } from './audit-pages.js';

/**
 * How the chain broke, from what the stored events show:
 * - `hash-mismatch`: the event's content no longer gives its stored hash: it was edited;
 * - `prev-hash-mismatch`: the event is self-consistent but does not chain onto the one before: that one
 *   was rewritten with a recomputed hash, or this one was inserted;
 * - `sequence-gap`: a sequence number is missing: the event was deleted;
 * - `out-of-order`: the event belongs after a later one (its prevHash is a later event's hash), or its
 *   sequence does not increase: events were reordered;
 * - `truncated`: the log ends before the anchored head;
 * - `head-mismatch`: the event at the anchored head's sequence has another hash: the log was rewritten.
 */
export type AuditBreakReason =
  | 'hash-mismatch'
  | 'prev-hash-mismatch'
  | 'sequence-gap'
  | 'out-of-order'
  | 'truncated'
  | 'head-mismatch';

/** The first place the log fails verification. */
export interface AuditBreak {
  readonly sequence: number;
  readonly reason: AuditBreakReason;
  /** One sentence for a person: what was expected, what was found, what that means. */
  readonly detail: string;
}

export interface VerifyAuditOptions {
  /** A head recorded earlier, outside the store: the log must still reach it with the same hash. */
  readonly head?: AuditHead;
  /** Events per store call (default 10,000, at most 100,000). */
  readonly batchSize?: number;
}

export interface VerifyReport {
  /** True when every link holds (and the anchored head, if given, is still there). */
  readonly ok: boolean;
  /** Events read and checked. */
  readonly events: number;
  readonly firstBad?: AuditBreak;
  /** The last stored event's sequence and hash (genesis for an empty log), whether or not the chain holds. */
  readonly head: AuditHead;
  readonly elapsedMs: number;
  /** `events` over the wall time of the whole walk, store reads included. */
  readonly eventsPerSecond: number;
}

/**
 * Events after a suspect one that are searched for the hash it claims to follow: a swap within this
 * distance is named `out-of-order` rather than `hash-mismatch`. The sequence reported is the same either way.
 */
const REORDER_WINDOW = 10_000;

/**
 * Re-computes the audit chain of `store`: every event's hash from its content, every prevHash against the
 * event before, sequences contiguous from 1; with `options.head`, that the log still reaches that head
 * with the same hash. Reads the whole log in pages even after a break, so `events` and `head` describe
 * what is stored.
 * @throws IdGraphError BAD_USER_INPUT for a bad `head` or `batchSize` (before reading anything);
 *   UNAVAILABLE when the store cannot be read.
 * @example
 * const report = await verifyAudit(store, { head: { sequence: 50, hash } })
 * if (!report.ok) console.log(`broken at ${report.firstBad?.sequence}: ${report.firstBad?.detail}`)
 */
export async function verifyAudit(
  store: Pick<GraphStore, 'auditEvents'>,
  options: VerifyAuditOptions = {},
): Promise<VerifyReport> {
  const anchor = options.head === undefined ? undefined : getValidHead(options.head);
  const batchSize = getValidPageSize(options.batchSize ?? DEFAULT_AUDIT_PAGE_SIZE);
  const started = performance.now();
  const walk = new ChainWalk(anchor);
  for await (const page of auditPages(store, batchSize)) {
    for (const event of page) walk.visit(event);
  }
  const firstBad = walk.finish();
  const elapsedMs = performance.now() - started;
  return {
    ok: firstBad === undefined,
    events: walk.events,
    ...(firstBad === undefined ? {} : { firstBad }),
    head: walk.last,
    elapsedMs: Math.round(elapsedMs * 1000) / 1000,
    eventsPerSecond: Math.round(walk.events / Math.max(elapsedMs / 1000, 1e-6)),
  };
}

/** The chain state as events go by; only the first break is kept (every later link depends on it). */
class ChainWalk {
  events = 0;
  /** The last event seen, as stored. */
  last: AuditHead = GENESIS_HEAD;
  #firstBad: AuditBreak | undefined;
  /** A break whose reason waits on the events after it: is the hash it follows a later event's? */
  #suspect: { readonly sequence: number; readonly prevHash: string; remaining: number } | undefined;
  readonly #anchor: AuditHead | undefined;

  constructor(anchor: AuditHead | undefined) {
    this.#anchor = anchor;
  }

  visit(event: AuditEvent): void {
    this.events += 1;
    if (this.#suspect !== undefined) this.#lookAhead(event);
    else if (this.#firstBad === undefined) this.#firstBad = this.#check(event);
    this.last = { sequence: event.sequence, hash: event.hash };
  }

  /** The first break, once every event has been seen. */
  finish(): AuditBreak | undefined {
    this.#suspect = undefined;
    const anchor = this.#anchor;
    if (this.#firstBad === undefined && anchor !== undefined && this.last.sequence < anchor.sequence) {
      const missing = anchor.sequence - this.last.sequence;
      this.#firstBad = {
        sequence: this.last.sequence + 1,
        reason: 'truncated',
        detail: `the log ends at sequence ${this.last.sequence} but the anchored head is ${anchor.sequence}: ${missing} event(s) cut off the tail`,
      };
    }
    return this.#firstBad;
  }

  #check(event: AuditEvent): AuditBreak | undefined {
    const prev = this.last;
    const expected = prev.sequence + 1;
    if (event.sequence < expected) {
      return {
        sequence: event.sequence,
        reason: 'out-of-order',
        detail: `sequence ${event.sequence} comes after sequence ${prev.sequence}: events are out of order or repeated`,
      };
    }
    if (event.sequence > expected) {
      const missing = event.sequence - expected;
      const which = missing === 1 ? `sequence ${expected} is` : `sequences ${expected}–${event.sequence - 1} are`;
      return { sequence: expected, reason: 'sequence-gap', detail: `${which} missing (deleted); the next stored event is ${event.sequence}` };
    }
    const chains = event.prevHash === prev.hash;
    const computed = auditHash(event);
    const holds = computed === event.hash;
    if (chains && holds) return this.#checkAnchor(event);
    if (holds) {
      return {
        sequence: event.sequence,
        reason: 'prev-hash-mismatch',
        detail: `its prevHash ${short(event.prevHash)} is not the hash of sequence ${prev.sequence} (${short(prev.hash)}): the event before was rewritten, or this one was inserted`,
      };
    }
    // Neither link holds: an edit of everything, or a later event moved here. Which one, the events
    // after it tell (see #lookAhead); until then it reads as an edit.
    if (!chains) this.#suspect = { sequence: event.sequence, prevHash: event.prevHash, remaining: REORDER_WINDOW };
    return {
      sequence: event.sequence,
      reason: 'hash-mismatch',
      detail: `its content gives hash ${short(computed)}, not the stored ${short(event.hash)}: the event was edited${chains ? '' : `, and it does not chain onto sequence ${prev.sequence}`}`,
    };
  }

  /** A moved event carries the prevHash it had where it belongs: the hash of the event before it there. */
  #lookAhead(event: AuditEvent): void {
    const suspect = this.#suspect!;
    if (event.hash === suspect.prevHash) {
      this.#firstBad = {
        sequence: suspect.sequence,
        reason: 'out-of-order',
        detail: `sequence ${suspect.sequence} holds an event that belongs after sequence ${event.sequence} (its prevHash is the hash stored there): events were reordered`,
      };
      this.#suspect = undefined;
      return;
    }
    suspect.remaining -= 1;
    if (suspect.remaining === 0) this.#suspect = undefined;
  }

  #checkAnchor(event: AuditEvent): AuditBreak | undefined {
    const anchor = this.#anchor;
    if (anchor === undefined || event.sequence !== anchor.sequence || event.hash === anchor.hash) return undefined;
    return {
      sequence: event.sequence,
      reason: 'head-mismatch',
      detail: `the anchored head ${anchor.sequence} has hash ${short(anchor.hash)} but the log holds ${short(event.hash)} there: the log was rewritten`,
    };
  }
}

/** Enough of a hash to tell two apart in a message. */
function short(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : JSON.stringify(hash);
}
