/**
 * Findings over time (issue 8, `--since 30d`): the findings at `at` compared, by stable id, with the
 * findings at `at - since`: what is new, what was resolved and what stayed.
 *
 * The earlier run reads the graph as it was then, from what the store keeps of its history: a grant
 * granted later (`grantedAt`) is not live then, a credential issued later (`issuedAt`) neither, and one
 * that expired or was revoked later still was. Governance revokes a grant by `status: REVOKED` plus
 * `revokedAt`, and a status other than ACTIVE makes an edge never live (`model/liveness.ts`); so for an
 * instant before its `revokedAt` the grant is read as ACTIVE, ending at `revokedAt`, and the projection
 * of that instant is rebuilt from those records (only when some grant needs it).
 *
 * Not historical: node statuses (a retired identity, an offboarded vendor, a departed owner) have no
 * timestamp in the graph, so they are read as they are now at both instants; nor are the usage
 * properties (`lastUsedAt`, `lastSeenAt`, `rotatedAt`), which hold their latest value. A rejected
 * request looks like a revoked grant in the records (both REVOKED with `revokedAt`), so it is read as
 * live between its request and its rejection.
 */
import { parseDuration } from '../model/duration.js';
import { badInput } from '../model/errors.js';
import type { EdgeRecord, NodeRecord } from '../model/records.js';
import { EDGE_TYPES, NODE_LABELS } from '../model/vocabulary.js';
import { Projection } from '../projection/projection.js';
import type { Finding } from './finding.js';
import { FindingsInput } from './input.js';
import { runFindings, type RunFindingsOptions } from './run-findings.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.js';

export interface FindingsSinceOptions extends RunFindingsOptions {
  /** The later instant, epoch ms. */
  readonly at: number;
  /** How far back the earlier instant lies, ms (`parseSince('30d')`). */
  readonly sinceMs: number;
}

export interface FindingsSince {
  /** Findings at `at` whose id was not found at `at - sinceMs`, as they are at `at`. */
  readonly new: Finding[];
  /** Findings at `at - sinceMs` whose id is no longer found at `at`, as they were then. */
  readonly resolved: Finding[];
  /** Findings found at both instants, as they are at `at`. */
  readonly stayed: Finding[];
}

/**
 * What changed between `at - sinceMs` and `at`. Each list is in `runFindings` order (severity, then id).
 * @throws IdGraphError BAD_USER_INPUT when `sinceMs` is not a positive number of ms, or naming an unknown rule.
 * @example findingsSince(input, DEFAULT_THRESHOLDS, { at: Date.now(), sinceMs: parseSince('30d') }).resolved
 */
export function findingsSince(input: FindingsInput, thresholds: Thresholds = DEFAULT_THRESHOLDS, options: FindingsSinceOptions): FindingsSince {
  const { at, sinceMs } = options;
  if (!Number.isFinite(sinceMs) || sinceMs <= 0) {
    throw badInput(`since must be a positive duration, got ${String(sinceMs)} ms`, [{ path: 'since', message: `must be a positive duration, got ${String(sinceMs)} ms` }]);
  }
  const run: RunFindingsOptions = { rules: options.rules };
  const records = { nodes: NODE_LABELS.flatMap((label) => input.nodesOf(label)), edges: EDGE_TYPES.flatMap((type) => input.edgesOf(type)) };
  const now = runFindings(inputAt(input, records, at), thresholds, run);
  const then = runFindings(inputAt(input, records, at - sinceMs), thresholds, run);
  const nowIds = new Set(now.map((f) => f.id));
  const thenIds = new Set(then.map((f) => f.id));
  return {
    new: now.filter((f) => !thenIds.has(f.id)),
    resolved: then.filter((f) => !nowIds.has(f.id)),
    stayed: now.filter((f) => thenIds.has(f.id)),
  };
}

/**
 * Milliseconds in a `since` duration: a whole number and a unit, s, m, h or d.
 * @throws IdGraphError BAD_USER_INPUT quoting the value, e.g. `since must be a duration such as 30m, 8h or 7d, got "a month"`.
 * @example parseSince('30d') // 2_592_000_000
 */
export function parseSince(text: string): number {
  return parseDuration(text, 'since') * 1000;
}

/** The input as the graph was at `t`: the given one when nothing differs, else one over the records of then. */
function inputAt(input: FindingsInput, records: { nodes: readonly NodeRecord[]; edges: readonly EdgeRecord[] }, t: number): FindingsInput {
  let changed = false;
  const edges = records.edges.map((edge) => {
    const then = edgeAt(edge, t);
    if (then !== edge) changed = true;
    return then;
  });
  const options = { at: t, guardrails: input.guardrails };
  if (!changed) return t === input.at ? input : FindingsInput.fromRecords(records.nodes, records.edges, input.adj, options);
  return FindingsInput.fromRecords(records.nodes, edges, Projection.fromRecords(records.nodes, edges), options);
}

/** A grant revoked after `t` was ACTIVE at `t` (until its `revokedAt`); every other edge is as it is. */
function edgeAt(edge: EdgeRecord, t: number): EdgeRecord {
  if (edge.props['status'] !== 'REVOKED') return edge;
  const revokedAt = edge.props['revokedAt'];
  const when = typeof revokedAt === 'string' ? Date.parse(revokedAt) : NaN;
  if (Number.isNaN(when) || when <= t) return edge;
  return { ...edge, props: { ...edge.props, status: 'ACTIVE' } };
}
