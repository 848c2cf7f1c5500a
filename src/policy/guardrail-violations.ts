/**
 * Drift: the existing grants that today's guardrails would not allow. Each live grant edge is decided
 * again, as if its grantor made it today, through the same policies and the same facts builder as a
 * mutation, so the report and the mutations never disagree about a rule.
 */
import type { EdgeKey } from '../model/records.js';
import type { Origin } from '../model/vocabulary.js';
import { isLiveAt } from '../model/liveness.js';
import type { Adjacency } from '../paths/adjacency.js';
import { grantFacts, grantFactsCache, type GraphProps } from './grant-facts.js';
import type { Actor, GrantEdgeType, GrantFacts } from './guardrail-request.js';
import type { Guardrails } from './guardrails.js';

export interface GuardrailViolationsOptions {
  /**
   * Also hold each grant to the TTL rules of a new grant, its TTL being the time left until it ends (none
   * when it never ends). Off by default: the TTL rules bind the act of granting, and most standing grants
   * predate them, so they would bury the rest of the report.
   */
  readonly ttl?: boolean;
}

/** One grant that the guardrails would deny today. */
export interface GuardrailViolation {
  readonly edge: EdgeKey & { readonly origin: Origin; readonly domain?: string | undefined };
  /** Who it was decided as: the owner of its domain, or a central admin (see `guardrailViolations`). */
  readonly actor: Actor;
  readonly policyIds: readonly string[];
  readonly reasons: readonly string[];
  /**
   * What the decision read: recipients, scopes, environments; made again on demand, since a drift report
   * over a million grants would otherwise hold every grant's facts (~2 KB each) that nobody reads.
   */
  readonly facts: () => GrantFacts;
}

export interface GuardrailViolationsResult {
  readonly at: number;
  readonly entries: readonly GuardrailViolation[];
  /** How many live grant edges were decided. */
  readonly checked: number;
}

const GRANT_TYPES: ReadonlySet<string> = new Set<GrantEdgeType>(['HAS_ROLE', 'MEMBER_OF', 'CAN_ASSUME']);

/**
 * Decides every grant edge (HAS_ROLE, MEMBER_OF, CAN_ASSUME) live at `at` whose two ends are live, as the
 * `reviewGrant` action (or `grant` with `ttl: true`) by its grantor: for a LOCAL grant, a service owner
 * whose only service is the grant's domain (none when the grant names no domain); for a CENTRAL grant (or
 * one without an origin), a central admin. Reports the ones decided DENY, sorted by grantee, target, type
 * and key. NEEDS_APPROVAL is not drift: it is what the grantor would have to ask for.
 * @example guardrailViolations(projection, graphPropsOf(nodes, edges), loadGuardrails(), Date.now())
 */
export function guardrailViolations(
  adj: Adjacency,
  props: GraphProps,
  guardrails: Guardrails,
  at: number,
  options: GuardrailViolationsOptions = {},
): GuardrailViolationsResult {
  const entries: GuardrailViolation[] = [];
  let checked = 0;
  const cache = grantFactsCache();
  for (let edge = 0; edge < adj.edgeCount; edge++) {
    if (!GRANT_TYPES.has(adj.edgeType(edge)) || !isLive(adj, edge, at)) continue;
    checked++;
    const key: EdgeKey = { type: adj.edgeType(edge), from: adj.idOf(adj.edgeFrom(edge)), to: adj.idOf(adj.edgeTo(edge)), key: adj.edgeKey(edge) };
    const origin: Origin = adj.edgeOrigin(edge) ?? 'CENTRAL';
    const domain = domainOf(adj, props, key);
    const facts = grantFacts(adj, props.node, { ...key, type: key.type as GrantEdgeType, origin, domain }, at, cache);
    const actor = grantorOf(origin, domain);
    const end = adj.edgeEnd(edge);
    const decision = options.ttl
      ? guardrails.decide({ action: 'grant', actor, grant: facts, ttlSeconds: Number.isFinite(end) ? Math.floor((end - at) / 1000) : undefined })
      : guardrails.decide({ action: 'reviewGrant', actor, grant: facts });
    if (decision.outcome !== 'DENY') continue;
    const subject = { ...key, type: key.type as GrantEdgeType, origin, domain };
    entries.push({ edge: { ...key, origin, domain }, actor, policyIds: decision.policyIds, reasons: decision.reasons, facts: () => grantFacts(adj, props.node, subject, at) });
  }
  entries.sort((a, b) => compare(a.edge.from, b.edge.from) || compare(a.edge.to, b.edge.to) || compare(a.edge.type, b.edge.type) || compare(a.edge.key, b.edge.key));
  return { at, entries, checked };
}

/** The grantor a grant is decided as: the rule stated in `guardrailViolations`. */
function grantorOf(origin: Origin, domain: string | undefined): Actor {
  if (origin === 'CENTRAL') return { id: 'drift:central-admin', roles: ['central-admin'], services: [] };
  return { id: `drift:owner-of:${domain ?? 'no-domain'}`, roles: ['service-owner'], services: domain === undefined ? [] : [domain] };
}

/** The grant's domain; one that names no Service counts as none, which the local rules then deny. */
function domainOf(adj: Adjacency, props: GraphProps, key: EdgeKey): string | undefined {
  const domain = props.edge(key)?.['domain'];
  if (typeof domain !== 'string') return undefined;
  const node = adj.indexOf(domain);
  return node !== undefined && adj.labelOf(node) === 'Service' ? domain : undefined;
}

function isLive(adj: Adjacency, edge: number, at: number): boolean {
  const from = adj.edgeFrom(edge);
  const to = adj.edgeTo(edge);
  return (
    isLiveAt(adj.edgeStart(edge), adj.edgeEnd(edge), at) &&
    isLiveAt(adj.nodeStart(from), adj.nodeEnd(from), at) &&
    isLiveAt(adj.nodeStart(to), adj.nodeEnd(to), at)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
