/**
 * `findings` and `postureSummary` (schema/findings.graphql): the findings core (src/findings) over the
 * request's store and projection, computed once per sequence and instant (findings-cache.ts), then filtered
 * and paged here. A run counts as a path query against the request budget, and each finding served as an item.
 */
import { OWASP_ITEMS, RULE_IDS, SEVERITY_ORDER, atOrAbove, postureSummary, type Finding, type OwaspItem, type RuleId } from '../findings/index.js';
import { parseSince } from '../findings/since.js';
import { IdGraphError, type Issue } from '../model/errors.js';
import type { Severity } from '../model/vocabulary.js';
import { badArguments, pageInfoOf, pageOf, type ConnectionEdge, type PageArgs } from './connection.js';
import type { GraphqlContext } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { computedFindings, type ComputedFindings, type FindingStatus, type ServedFinding } from './findings-cache.js';
import type { NodeRef } from './node-ref.js';

export interface FindingFilter {
  readonly minSeverity?: Severity | null;
  readonly severities?: readonly Severity[] | null;
  readonly owasp?: readonly OwaspItem[] | null;
  readonly rules?: readonly string[] | null;
  readonly subject?: string | null;
  readonly owner?: string | null;
  readonly statuses?: readonly FindingStatus[] | null;
}

export interface FindingsArgs extends PageArgs {
  readonly filter?: FindingFilter | null;
  readonly at?: Date | null;
  /** A duration such as `30d` (`parseSince`). */
  readonly since?: string | null;
}

const MINUTE = 60_000;

/** The top-level queries. */
export const findingsQueryResolvers = {
  findings: async (_: unknown, args: FindingsArgs, ctx: GraphqlContext) => {
    const issues: Issue[] = [];
    const page = pageOf(args, ctx.deps.limits, issues);
    const sinceMs = sinceOf(args.since, issues);
    const filter = args.filter ?? {};
    if (filter.statuses != null && args.since == null) issues.push({ path: 'filter.statuses', message: 'needs since: a status says what changed since then' });
    const matches = matcherOf(filter, issues);
    if (issues.length > 0) throw badArguments(issues);
    const computed = await run(ctx, args.at, sinceMs);
    const listed = computed.findings.filter(matches);
    const start = startOf(page.after, listed);
    const end = Math.min(listed.length, start + page.first);
    const edges: ConnectionEdge<ServedFinding>[] = listed.slice(start, end).map((node) => ({ node, cursor: encodeCursor('finding', [node.id]) }));
    ctx.budget.take(edges.length);
    return {
      edges,
      pageInfo: pageInfoOf(edges, end < listed.length, page),
      totalCount: listed.length,
      at: new Date(computed.at),
      since: computed.since === undefined ? null : new Date(computed.since),
      sequence: computed.sequence,
    };
  },
  postureSummary: async (_: unknown, args: { at?: Date | null }, ctx: GraphqlContext) => {
    const computed = await run(ctx, args.at);
    const summary = postureSummary(computed.findings);
    return {
      total: summary.total,
      bySeverity: SEVERITY_ORDER.map((severity) => ({ severity, count: summary.bySeverity[severity] })),
      byOwasp: OWASP_ITEMS.map((owasp) => ({ owasp, count: summary.byOwasp[owasp] })),
      other: summary.byOwasp.other,
      at: new Date(computed.at),
      sequence: computed.sequence,
    };
  },
};

/** Resolvers of the finding types: the core's `Finding` is the parent; only the owner needs mapping. */
export const findingsTypeResolvers = {
  Finding: {
    // `{ id, label }`: already the NodeRef that the Node types resolve from.
    subject: (finding: Finding): NodeRef => finding.subject,
  },
  FindingOwner: {
    id: (owner: Finding['owner']): string | null => (owner.id === '' ? null : owner.id),
    via: (owner: Finding['owner']): string => (owner.via === 'OWNS' ? 'OWNS' : owner.via === 'team' ? 'TEAM' : 'NONE'),
  },
};

/**
 * The run for this request: at `at` exactly when given; else at the request's now rounded down to the
 * minute, so that every request of that minute shares one run.
 */
function run(ctx: GraphqlContext, at: Date | null | undefined, sinceMs?: number): Promise<ComputedFindings> {
  ctx.budget.pathQuery();
  const instant = at != null ? at.getTime() : Math.floor(ctx.now / MINUTE) * MINUTE;
  const { store, projection, governance, findingThresholds } = ctx.deps;
  // Guardrail drift is judged against the write side's guardrails; a read-only server reports no drift.
  return computedFindings({ store, projection, guardrails: governance?.guardrails, thresholds: findingThresholds }, instant, sinceMs);
}

/** The `since` duration in ms; a bad one is added to `issues`. */
function sinceOf(since: string | null | undefined, issues: Issue[]): number | undefined {
  if (since == null) return undefined;
  try {
    return parseSince(since);
  } catch (error) {
    if (!(error instanceof IdGraphError) || error.code !== 'BAD_USER_INPUT') throw error;
    issues.push(...error.issues);
    return undefined;
  }
}

/** One predicate for the filter; bad values are added to `issues`, each with its path. */
function matcherOf(filter: FindingFilter, issues: Issue[]): (finding: ServedFinding) => boolean {
  const rules = filter.rules ?? undefined;
  const unknown = (rules ?? []).filter((id) => !(RULE_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) {
    issues.push({ path: 'filter.rules', message: `names unknown rule ${unknown.map((id) => JSON.stringify(id)).join(', ')}; expected one of ${RULE_IDS.join(', ')}` });
  }
  const severities = filter.severities ?? undefined;
  const owasp = filter.owasp ?? undefined;
  const statuses = filter.statuses ?? undefined;
  return (f) =>
    (statuses === undefined || (f.status !== null && statuses.includes(f.status))) &&
    (filter.minSeverity == null || atOrAbove(f.severity, filter.minSeverity)) &&
    (severities === undefined || severities.includes(f.severity)) &&
    (owasp === undefined || (f.owasp !== null && owasp.includes(f.owasp))) &&
    (rules === undefined || rules.includes(f.rule as RuleId)) &&
    (filter.subject == null || f.subject.id === filter.subject) &&
    (filter.owner == null || f.owner.id === filter.owner);
}

/**
 * The index in `listed` of the first finding after the one the cursor names. A cursor names a finding id,
 * not a position, so a page after a change neither skips nor repeats a finding unnoticed.
 * @throws IdGraphError BAD_USER_INPUT for a cursor of another list, or a finding no longer listed.
 */
function startOf(after: string | undefined, listed: readonly ServedFinding[]): number {
  if (after === undefined) return 0;
  const [id] = decodeCursor('finding', after, ['string']) as [string];
  const index = listed.findIndex((f) => f.id === id);
  if (index < 0) {
    throw new IdGraphError('BAD_USER_INPUT', `after names ${JSON.stringify(id)}, which is not in these findings (the graph changed, or the cursor is from another filter): start again without after`, {
      issues: [{ path: 'after', message: `names ${JSON.stringify(id)}, which is not in these findings` }],
    });
  }
  return index + 1;
}
