/**
 * The governance mutations over GraphQL: argument shapes in, `GrantChange` out. The rules live in
 * src/governance (what a grant is, the guardrails, the commit) and in authorization.ts (who may call).
 */
import type { EdgeKey } from '../model/records.js';
import { IdGraphError } from '../model/errors.js';
import { edgeInterval, isLiveAt } from '../model/liveness.js';
import { makeGrant, reviewGrant, revokeGrant, type GovernanceDeps, type GrantOutcome, type NewGrant } from '../governance/grant-mutations.js';
import { driftReport } from '../governance/drift.js';
import { reassignOwner, runLifecycle, type LifecycleKind, type LifecycleOutcome } from '../governance/lifecycle-mutations.js';
import { defineRole, defineScope, type DefinitionOutcome, type RoleDefinition, type ScopeDefinition } from '../governance/definition-mutations.js';
import { issueCredential, revokeCredential, rotateCredential, type CredentialOutcome, type NewCredential } from '../governance/credential-mutations.js';
import type { GraphqlContext } from './context.js';

interface GrantKeyInput {
  readonly type: 'HAS_ROLE' | 'MEMBER_OF' | 'CAN_ASSUME';
  readonly from: string;
  readonly to: string;
  readonly id: string;
}

export const governanceResolvers = {
  Mutation: {
    grant: (_: unknown, { input }: { input: NewGrant }, ctx: GraphqlContext) => change(ctx, (deps) => makeGrant(deps, acting(ctx), clean(input), 'grant')),
    requestAccess: (_: unknown, { input }: { input: NewGrant }, ctx: GraphqlContext) =>
      change(ctx, (deps) => makeGrant(deps, acting(ctx), clean(input), 'requestAccess')),
    revoke: (_: unknown, args: { grant: GrantKeyInput; reason: string }, ctx: GraphqlContext) =>
      change(ctx, (deps) => revokeGrant(deps, acting(ctx), keyOf(args.grant), args.reason)),
    approve: (_: unknown, args: { grant: GrantKeyInput; reason?: string | null }, ctx: GraphqlContext) =>
      change(ctx, (deps) => reviewGrant(deps, acting(ctx), keyOf(args.grant), 'approve', args.reason ?? 'approved')),
    reject: (_: unknown, args: { grant: GrantKeyInput; reason: string }, ctx: GraphqlContext) =>
      change(ctx, (deps) => reviewGrant(deps, acting(ctx), keyOf(args.grant), 'reject', args.reason)),
    issueCredential: (_: unknown, { input }: { input: NewCredential }, ctx: GraphqlContext) =>
      credentialChange(ctx, (deps) => issueCredential(deps, acting(ctx), { ...input, expiresIn: input.expiresIn ?? undefined, name: input.name ?? undefined })),
    rotateCredential: (_: unknown, args: { id: string; fingerprint: string; expiresIn?: string | null }, ctx: GraphqlContext) =>
      credentialChange(ctx, (deps) => rotateCredential(deps, acting(ctx), args.id, args.fingerprint, args.expiresIn ?? undefined)),
    revokeCredential: (_: unknown, args: { id: string; reason: string }, ctx: GraphqlContext) =>
      credentialChange(ctx, (deps) => revokeCredential(deps, acting(ctx), args.id, args.reason)),
    defineRole: (_: unknown, { input }: { input: RoleDefinition }, ctx: GraphqlContext) =>
      definitionChange(ctx, (deps) => defineRole(deps, acting(ctx), withoutNulls(input))),
    defineScope: (_: unknown, { input }: { input: ScopeDefinition }, ctx: GraphqlContext) =>
      definitionChange(ctx, (deps) => defineScope(deps, acting(ctx), withoutNulls(input))),
    retireIdentity: lifecycle('retireIdentity'),
    retireService: lifecycle('retireService'),
    offboardVendor: lifecycle('offboardVendor'),
    quarantine: lifecycle('quarantine'),
    reassignOwner: async (_: unknown, args: { from: string; to: string; reason: string; dryRun?: boolean | null }, ctx: GraphqlContext) => {
      const governance = governanceOf(ctx);
      const outcome = await reassignOwner(governance, acting(ctx), args.from, args.to, args.reason, args.dryRun === true);
      return lifecycleResult(ctx, outcome, args.dryRun === true);
    },
  },
};

async function credentialChange(ctx: GraphqlContext, run: (deps: GovernanceDeps) => Promise<CredentialOutcome>) {
  const governance = governanceOf(ctx);
  const outcome = await run(governance);
  // The node type's fields read props through the loader; this request's loader may hold the old record.
  ctx.loaders.node.clear(outcome.credential.id).prime(outcome.credential.id, outcome.credential);
  return { credential: { id: outcome.credential.id, label: 'Credential' }, decision: outcome.decision, sequence: outcome.sequence };
}

async function definitionChange(ctx: GraphqlContext, run: (deps: GovernanceDeps) => Promise<DefinitionOutcome>) {
  const governance = governanceOf(ctx);
  const outcome = await run(governance);
  ctx.loaders.node.clear(outcome.node.id).prime(outcome.node.id, outcome.node);
  return { node: { id: outcome.node.id, label: outcome.node.label }, decision: outcome.decision, sequence: outcome.sequence };
}

/** GraphQL's null for an absent optional field, as the governance layer's undefined. */
function withoutNulls<T extends object>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null)) as T;
}

function lifecycle(kind: LifecycleKind) {
  return async (_: unknown, args: { id: string; reason: string; dryRun?: boolean | null }, ctx: GraphqlContext) => {
    const governance = governanceOf(ctx);
    const outcome = await runLifecycle(governance, acting(ctx), kind, args.id, args.reason, args.dryRun === true);
    return lifecycleResult(ctx, outcome, args.dryRun === true);
  };
}

function lifecycleResult(ctx: GraphqlContext, outcome: LifecycleOutcome, dryRun: boolean) {
  ctx.budget.take(outcome.plan.revoked.length);
  return {
    dryRun,
    decision: outcome.decision,
    sequence: outcome.sequence,
    ended: outcome.plan.revoked.map((entry) => ('edge' in entry ? { ...entry, ...entry.edge } : entry)),
  };
}

async function change(ctx: GraphqlContext, run: (deps: GovernanceDeps) => Promise<GrantOutcome>) {
  const governance = governanceOf(ctx);
  const outcome = await run(governance);
  const interval = edgeInterval(outcome.edge.type, outcome.props);
  return {
    ...outcome.edge,
    id: outcome.edge.key,
    grant: { ...outcome.props, live: ({ at }: { at?: Date | null }) => isLiveAt(interval.start, interval.end, at?.getTime() ?? ctx.now) },
    decision: outcome.decision,
    sequence: outcome.sequence,
  };
}

/** The write side, or UNAVAILABLE on a read-only server. */
function governanceOf(ctx: GraphqlContext): GovernanceDeps {
  const { governance } = ctx.deps;
  if (governance === undefined) throw new IdGraphError('UNAVAILABLE', 'Governance is not enabled on this server');
  return governance;
}

function acting(ctx: GraphqlContext) {
  return { caller: ctx.caller, requestId: ctx.requestId, now: ctx.now };
}

/** GraphQL gives absent optional fields as null; the governance layer speaks undefined. */
function clean(input: NewGrant): NewGrant {
  return { ...input, ttl: input.ttl ?? undefined, domain: input.domain ?? undefined };
}

function keyOf(grant: GrantKeyInput): EdgeKey {
  return { type: grant.type, from: grant.from, to: grant.to, key: grant.id };
}

interface AuditFilter {
  readonly actor?: string | null;
  readonly action?: string | null;
  readonly target?: string | null;
  readonly decision?: string | null;
}

/** The read side of governance: drift and the audit log. */
export const governanceQueryResolvers = {
  guardrailViolations: async (_: unknown, args: { at?: Date | null }, ctx: GraphqlContext) => {
    const governance = governanceOf(ctx);
    const sequence = ctx.deps.projection.sequence;
    const report = await driftReport(ctx.deps.store, ctx.deps.projection, governance.guardrails, args.at?.getTime() ?? ctx.now);
    ctx.budget.take(report.entries.length);
    return {
      at: new Date(report.at),
      checked: report.checked,
      sequence,
      violations: report.entries.map((v) => ({ ...v.edge, id: v.edge.key, policyIds: v.policyIds, reasons: v.reasons })),
    };
  },
  auditLog: async (_: unknown, args: { filter?: AuditFilter | null; first?: number | null; after?: number | null }, ctx: GraphqlContext) => {
    const first = args.first ?? 100;
    if (!Number.isInteger(first) || first < 1 || first > ctx.deps.limits.maxFirst) {
      throw new IdGraphError('BAD_USER_INPUT', `first must be a whole number from 1 to ${ctx.deps.limits.maxFirst}, got ${first}`);
    }
    const filter = args.filter ?? {};
    const events = [];
    let after = args.after ?? 0;
    let last = after;
    // Oldest first, a page of the store at a time, until the page asked for is full.
    for (;;) {
      const page = await ctx.deps.store.auditEvents(after, 1000);
      for (const event of page) {
        last = event.sequence;
        if (filter.actor != null && event.actor !== filter.actor) continue;
        if (filter.action != null && event.action !== filter.action) continue;
        if (filter.decision != null && event.decision !== filter.decision) continue;
        if (filter.target != null && !event.targets.includes(filter.target)) continue;
        events.push(event);
        if (events.length > first) break;
      }
      if (events.length > first || page.length < 1000) break;
      after = page.at(-1)!.sequence;
    }
    const shown = events.slice(0, first);
    ctx.budget.take(shown.length);
    return { events: shown, endCursor: shown.at(-1)?.sequence ?? (last === args.after ? null : last), hasNextPage: events.length > first };
  },
};
