/**
 * The governance mutations over GraphQL: argument shapes in, `GrantChange` out. The rules live in
 * src/governance (what a grant is, the guardrails, the commit) and in authorization.ts (who may call).
 */
import type { EdgeKey } from '../model/records.js';
import { IdGraphError } from '../model/errors.js';
import { edgeInterval, isLiveAt } from '../model/liveness.js';
import { makeGrant, reviewGrant, revokeGrant, type GovernanceDeps, type GrantOutcome, type NewGrant } from '../governance/grant-mutations.js';
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
  },
};

async function change(ctx: GraphqlContext, run: (deps: GovernanceDeps) => Promise<GrantOutcome>) {
  const { governance } = ctx.deps;
  if (governance === undefined) throw new IdGraphError('UNAVAILABLE', 'Governance is not enabled on this server');
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

function acting(ctx: GraphqlContext) {
  return { caller: ctx.caller, requestId: ctx.requestId };
}

/** GraphQL gives absent optional fields as null; the governance layer speaks undefined. */
function clean(input: NewGrant): NewGrant {
  return { ...input, ttl: input.ttl ?? undefined, domain: input.domain ?? undefined };
}

function keyOf(grant: GrantKeyInput): EdgeKey {
  return { type: grant.type, from: grant.from, to: grant.to, key: grant.id };
}
