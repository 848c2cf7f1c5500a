/**
 * The posture findings the API serves, computed once per (projection sequence, instant, thresholds,
 * guardrails) and shared by every request that asks the same: a full run reads every record of the store,
 * so it must not run per request, per page or per field. Entries live as long as their projection (the
 * cache is keyed by it weakly), and those of an older sequence are dropped as soon as the sequence moves.
 */
import { DEFAULT_THRESHOLDS, FindingsInput, bySeverityThenId, runFindings, type Finding, type Thresholds } from '../findings/index.js';
import { findingsSince } from '../findings/since.js';
import type { GovernanceDeps } from '../governance/grant-mutations.js';
import type { Projection } from '../projection/projection.js';
import type { GraphStore } from '../store/port.js';

/** NEW, STAYED or RESOLVED, when the run compared two instants. */
export type FindingStatus = 'NEW' | 'STAYED' | 'RESOLVED';

/** A finding as the API serves it: with its status over time when `since` was asked. */
export type ServedFinding = Finding & { readonly status: FindingStatus | null };

/** One full run, as the resolvers page and count it. */
export interface ComputedFindings {
  /** Sorted by severity, highest first, then by id (`runFindings`); with `since`, the resolved ones too. */
  readonly findings: readonly ServedFinding[];
  /** Epoch ms. */
  readonly at: number;
  /** The earlier instant compared with, epoch ms; undefined without `since`. */
  readonly since: number | undefined;
  /** The projection's sequence the rules walked. */
  readonly sequence: number;
}

export interface FindingsSource {
  readonly store: GraphStore;
  readonly projection: Projection;
  /** The write side's guardrails, for the guardrail-drift rule; without them that rule reports nothing. */
  readonly guardrails?: GovernanceDeps['guardrails'] | undefined;
  readonly thresholds?: Thresholds | undefined;
}

/** Runs kept per projection: a handful of instants at the current sequence is all the API asks for. */
const MAX_ENTRIES = 16;

const caches = new WeakMap<Projection, Map<string, Promise<ComputedFindings>>>();

/**
 * The findings at `at` (epoch ms) over the store and the projection as they are now, and with `sinceMs`
 * the comparison with `at - sinceMs` (`findingsSince`); from the cache when the same run was made at this
 * sequence. Concurrent callers share one run.
 * @throws IdGraphError BAD_USER_INPUT when `sinceMs` is not a positive number of ms.
 * @example const { findings, sequence } = await computedFindings({ store, projection, guardrails }, Date.now())
 */
export function computedFindings(source: FindingsSource, at: number, sinceMs?: number): Promise<ComputedFindings> {
  const { projection } = source;
  const thresholds = source.thresholds ?? DEFAULT_THRESHOLDS;
  let cache = caches.get(projection);
  if (cache === undefined) caches.set(projection, (cache = new Map()));
  const sequence = projection.sequence;
  const key = `${sequence}\u0000${at}\u0000${sinceMs ?? '-'}\u0000${source.guardrails === undefined ? '-' : 'g'}\u0000${JSON.stringify(thresholds)}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  evict(cache, sequence);
  const run = compute(source, at, sinceMs, thresholds);
  cache.set(key, run);
  // A failed run is not kept; neither is one over a graph that moved while the store was scanned (its
  // records may be newer than the sequence it is filed under).
  run.then(
    (computed) => {
      if (computed.sequence !== sequence) cache.delete(key);
    },
    () => cache.delete(key),
  );
  return run;
}

async function compute(source: FindingsSource, at: number, sinceMs: number | undefined, thresholds: Thresholds): Promise<ComputedFindings> {
  const input = await FindingsInput.load(source.store, source.projection, { at, guardrails: source.guardrails });
  // The rules walk the projection synchronously from here on, so this is the sequence they saw.
  const sequence = source.projection.sequence;
  if (sinceMs === undefined) {
    return { findings: runFindings(input, thresholds).map((f) => ({ ...f, status: null })), at, since: undefined, sequence };
  }
  const diff = findingsSince(input, thresholds, { at, sinceMs });
  const findings: ServedFinding[] = [
    ...diff.new.map((f) => ({ ...f, status: 'NEW' as const })),
    ...diff.stayed.map((f) => ({ ...f, status: 'STAYED' as const })),
    ...diff.resolved.map((f) => ({ ...f, status: 'RESOLVED' as const })),
  ];
  // The ids are disjoint (a resolved id is not found at `at`), so one order holds all three lists.
  return { findings: findings.sort(bySeverityThenId), at, since: at - sinceMs, sequence };
}

/** Drops the runs of older sequences, then the oldest runs past the cap (a Map iterates in insertion order). */
function evict(cache: Map<string, Promise<ComputedFindings>>, sequence: number): void {
  for (const key of cache.keys()) {
    if (Number(key.slice(0, key.indexOf('\u0000'))) < sequence) cache.delete(key);
  }
  for (const key of cache.keys()) {
    if (cache.size < MAX_ENTRIES) break;
    cache.delete(key);
  }
}
