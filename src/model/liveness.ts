/**
 * What "live at time T" means (DESIGN.md, Semantics). Every node and edge reduces to one validity
 * interval `[start, end)` in epoch milliseconds; live at T is `start ≤ T < end`. A status other than
 * ACTIVE makes the interval empty, so a central block wins over any grant without a second rule.
 */
import type { Props } from './properties.js';
import type { EdgeType, NodeLabel } from './vocabulary.js';

export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** Live at every time: no status, no times. */
export const ALWAYS: Interval = { start: -Infinity, end: Infinity };
/** Never live: a status other than ACTIVE. */
export const NEVER_LIVE: Interval = { start: Infinity, end: -Infinity };

/** The validity interval of a node from its label and properties. */
export function nodeInterval(label: NodeLabel, props: Props): Interval {
  if (!isActive(props['status'])) return NEVER_LIVE;
  if (label !== 'Credential') return ALWAYS;
  return {
    start: timeOr(props['issuedAt'], -Infinity),
    end: earliest(props['expiresAt'], props['revokedAt']),
  };
}

/** The validity interval of an edge: ACTIVE (or no status), from `grantedAt`, until expiry or revocation. */
export function edgeInterval(_type: EdgeType, props: Props): Interval {
  if (!isActive(props['status'])) return NEVER_LIVE;
  return {
    start: timeOr(props['grantedAt'], -Infinity),
    end: earliest(props['expiresAt'], props['revokedAt']),
  };
}

/** Live at `at`: granted at or before it, and neither ended at or before it. */
export function isLiveAt(start: number, end: number, at: number): boolean {
  return start <= at && at < end;
}

/**
 * The end of something live at `at`: the earliest of its expiry and revocation, both of which lie after
 * `at` when it is live (a revocation scheduled for later is an end too). Infinity means never.
 */
export function endOf(interval: Interval): number {
  return interval.end;
}

/** Epoch ms of an ISO time, or NaN when it does not parse. */
export function parseTime(value: string): number {
  return Date.parse(value);
}

/** An epoch-ms end as the API prints it: ISO-8601 in UTC, or null for never. */
export function formatEnd(end: number): string | null {
  return Number.isFinite(end) ? new Date(end).toISOString() : null;
}

function isActive(status: unknown): boolean {
  return status === undefined || status === null || status === 'ACTIVE';
}

function timeOr(value: unknown, fallback: number): number {
  if (typeof value !== 'string') return fallback;
  const t = parseTime(value);
  return Number.isNaN(t) ? fallback : t;
}

function earliest(a: unknown, b: unknown): number {
  return Math.min(timeOr(a, Infinity), timeOr(b, Infinity));
}
