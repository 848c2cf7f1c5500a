/**
 * Central lifecycle events (issue 5): retire an identity or a service, offboard a vendor, quarantine after
 * an incident. Each is one commit that ends (revokes, never deletes) every grant and credential the
 * event ends, as `cascade.ts` plans it, with one audit event; `dryRun` returns the same plan and writes
 * nothing. The guardrails decide first: only the central team runs them.
 */
import { IdGraphError } from '../model/errors.js';
import type { Decision } from '../policy/index.js';
import { loadCascadePlan } from './load-cascade-plan.js';
import type { CascadePlan, LifecycleEvent } from './cascade.js';
import { actorOf, auditOf, decided } from './decide.js';
import type { Acting, GovernanceDeps } from './grant-mutations.js';
import { withArticle } from '../model/text.js';

export type LifecycleKind = 'retireIdentity' | 'retireService' | 'offboardVendor' | 'quarantine';

export interface LifecycleOutcome {
  readonly plan: CascadePlan;
  readonly decision: Decision;
  /** The commit's sequence, or null for a dry run. */
  readonly sequence: number | null;
}

const TARGET_LABELS = { retireIdentity: ['Identity'], retireService: ['Service'], offboardVendor: ['Vendor'], quarantine: ['Identity', 'Credential'] } as const;

/**
 * @throws IdGraphError NOT_FOUND; BAD_USER_INPUT for a node of the wrong label; POLICY_DENIED.
 */
export async function runLifecycle(deps: GovernanceDeps, acting: Acting, kind: LifecycleKind, id: string, reason: string, dryRun: boolean): Promise<LifecycleOutcome> {
  const node = deps.projection.indexOf(id);
  if (node === undefined) throw new IdGraphError('NOT_FOUND', `No node with id "${id}"`);
  const label = deps.projection.labelOf(node);
  if (!(TARGET_LABELS[kind] as readonly string[]).includes(label)) {
    throw new IdGraphError('BAD_USER_INPUT', `${kind} takes ${TARGET_LABELS[kind].join(' or ')}, but "${id}" is ${withArticle(label)}`);
  }
  const decision = await decided(deps, acting, { action: kind, actor: actorOf(acting), target: { id, label: label as 'Identity' | 'Credential' | 'Service' | 'Vendor' } }, [id]);
  const { plan, write } = await loadCascadePlan(deps.projection, deps.store, eventOf(kind, id), acting.now, { by: acting.caller.subject });
  if (dryRun) return { plan, decision, sequence: null };
  const ended = plan.revoked.length;
  // The event names what it ended (nodes, credentials, grantees), so the evidence stays with each identity.
  const targets = [...new Set([id, ...plan.revoked.map((entry) => ('id' in entry ? entry.id : entry.edge.from))])];
  const commit = await deps.writer.commit(write.nodes, write.edges, auditOf(acting, kind, targets, decision, `${reason} (ends ${ended})`));
  return { plan, decision, sequence: commit.sequence };
}

function eventOf(kind: LifecycleKind, id: string): LifecycleEvent {
  switch (kind) {
    case 'retireIdentity':
      return { kind, identity: id };
    case 'retireService':
      return { kind, service: id };
    case 'offboardVendor':
      return { kind, vendor: id };
    case 'quarantine':
      return { kind, node: id };
  }
}

/**
 * Moves everything Owner `from` owns to Owner `to` (the old OWNS edges revoked, new ones added), in one
 * commit; the guardrails decide for each node that changes hands.
 * @throws IdGraphError NOT_FOUND; BAD_USER_INPUT (not two different owners, or `to` not ACTIVE); POLICY_DENIED.
 */
export async function reassignOwner(deps: GovernanceDeps, acting: Acting, from: string, to: string, reason: string, dryRun: boolean): Promise<LifecycleOutcome> {
  const { plan, write } = await loadCascadePlan(deps.projection, deps.store, { kind: 'reassignOwner', from, to }, acting.now, { by: acting.caller.subject });
  let decision: Decision = { outcome: 'ALLOW', policyIds: [], reasons: [] };
  for (const entry of plan.revoked) {
    if (!('edge' in entry)) continue;
    const node = deps.projection.indexOf(entry.edge.to)!;
    const label = deps.projection.labelOf(node) as 'Identity' | 'Credential' | 'Service';
    decision = await decided(deps, acting, { action: 'reassignOwner', actor: actorOf(acting), target: { id: entry.edge.to, label } }, [from, to, entry.edge.to]);
  }
  if (dryRun) return { plan, decision, sequence: null };
  const targets = [from, to, ...plan.revoked.map((entry) => ('edge' in entry ? entry.edge.to : entry.id))];
  const commit = await deps.writer.commit(write.nodes, write.edges, auditOf(acting, 'reassignOwner', [...new Set(targets)], decision, `${reason} (moves ${plan.revoked.length})`));
  return { plan, decision, sequence: commit.sequence };
}
