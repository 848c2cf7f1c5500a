/**
 * How every governance mutation decides: the Cedar guardrails are asked with facts built over the
 * projection (their node properties loaded from the store first), and a denial is audited on a commit
 * of its own, then thrown as POLICY_DENIED naming the policies.
 */
import { IdGraphError, invariant } from '../model/errors.js';
import { isLiveAt } from '../model/liveness.js';
import type { Props } from '../model/properties.js';
import type { Actor, Decision, GuardrailRequest, NodeProps } from '../policy/index.js';
import type { AuditInput } from '../store/port.js';
import type { Acting, GovernanceDeps } from './grant-mutations.js';

/** The guardrails' actor for a caller. */
export function actorOf(acting: Acting): Actor {
  const { caller } = acting;
  return { id: caller.subject, roles: caller.roles, services: caller.services };
}

/**
 * The guardrails' decision on `request`; a denial is audited, then thrown.
 * @throws IdGraphError POLICY_DENIED naming the policies.
 */
export async function decided(deps: GovernanceDeps, acting: Acting, request: GuardrailRequest, targets: string[]): Promise<Decision> {
  const decision = deps.guardrails.decide(request);
  if (decision.outcome !== 'DENY') return decision;
  await deps.writer.commit([], [], auditOf(acting, request.action, targets, decision, 'denied'));
  const named = decision.policyIds.length > 0 ? decision.policyIds.join(', ') : 'no policy permits it';
  throw new IdGraphError('POLICY_DENIED', `Denied by ${named}: ${decision.reasons.join('; ')}`, {
    issues: decision.policyIds.map((id, i) => ({ path: id, message: decision.reasons[i] ?? decision.reasons[0] ?? 'denied' })),
  });
}

/**
 * Runs `build` (a facts builder that reads node properties synchronously) with the properties it asks
 * for loaded from the store in batches: it walks the projection and reads what it meets, so it runs
 * again until it asks for nothing new.
 */
export async function withProps<T>(deps: GovernanceDeps, build: (props: NodeProps) => T): Promise<T> {
  const loaded = new Map<string, Props | undefined>();
  for (let round = 0; round < 5; round++) {
    const missing = new Set<string>();
    const result = build((id) => (loaded.has(id) ? loaded.get(id) : void missing.add(id)));
    if (missing.size === 0) return result;
    const ids = [...missing];
    const nodes = await deps.store.getNodes(ids);
    ids.forEach((id, i) => loaded.set(id, nodes[i]?.props));
  }
  invariant(false, 'the guardrail facts kept asking for more node properties');
}

/** Audits a refusal by a rule outside Cedar (it names no policy) and throws POLICY_DENIED. */
export async function refuse(deps: GovernanceDeps, acting: Acting, action: string, targets: string[], reason: string): Promise<never> {
  const decision: Decision = { outcome: 'DENY', policyIds: [], reasons: [reason] };
  await deps.writer.commit([], [], auditOf(acting, action, targets, decision, reason));
  throw new IdGraphError('POLICY_DENIED', `Denied: ${reason}`);
}

/**
 * Refuses (audited) a change that would hand an Identity that is not live now (DISABLED by a quarantine,
 * RETIRED) new access: the central block stands until the central team lifts it.
 */
export async function requireLive(deps: GovernanceDeps, acting: Acting, action: string, id: string, targets: string[]): Promise<void> {
  const node = deps.projection.indexOf(id);
  if (node === undefined || deps.projection.labelOf(node) !== 'Identity') return;
  if (isLiveAt(deps.projection.nodeStart(node), deps.projection.nodeEnd(node), acting.now)) return;
  await refuse(deps, acting, action, targets, `${id} is not ACTIVE (disabled, retired or quarantined): lift the block first`);
}

/** The audit event of a governance decision: who, what, on which ids, decided how, by which policies. */
export function auditOf(acting: Acting, action: string, targets: string[], decision: Decision, reason: string): AuditInput {
  return {
    actor: acting.caller.subject,
    action,
    targets,
    decision: decision.outcome,
    policyIds: [...decision.policyIds],
    reason,
    requestId: acting.requestId,
  };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
