/**
 * The guardrails: a validated Cedar policy set that decides every governance request ALLOW, DENY or
 * NEEDS_APPROVAL and names the policies that made the decision. Needs-approval lives in the policies
 * themselves: a forbid annotated `@outcome("needs-approval")` asks for a central admin instead of denying
 * (see `policy/approval.cedar`). Built by `loadGuardrails`, which validates the policies first.
 */
import { preparsePolicySet, preparseSchema, statefulIsAuthorized, type CheckParseAnswer, type EntityUidJson, type Response } from '@cedar-policy/cedar-wasm/nodejs';
import { IdGraphError } from '../model/errors.js';
import { NAMESPACE, cedarRequest, type CedarRequest } from './cedar-request.js';
import type { Decision, GuardrailRequest } from './guardrail-request.js';

/** What a policy does when it applies: permit, deny, or send the request to a central admin. */
export type PolicyOutcome = 'allow' | 'deny' | 'needs-approval';

/** One policy of the set, as loaded from `policy/*.cedar`. */
export interface GuardrailPolicy {
  /** Its `@id`, unique across files. */
  readonly id: string;
  /** The file it came from, relative to the policy folder. */
  readonly file: string;
  /** The line of the file where it starts. */
  readonly line: number;
  readonly effect: 'permit' | 'forbid';
  readonly outcome: PolicyOutcome;
  /** Its `@reason`, or its id. */
  readonly reason: string;
  /** The policy's Cedar text, annotations included. */
  readonly text: string;
}

/**
 * @example
 * const guardrails = loadGuardrails();
 * guardrails.decide({ action: 'grant', actor, grant: grantFacts(projection, props, subject, Date.now()), ttlSeconds: 3600 });
 */
export class Guardrails {
  /** Every policy, in file order then position within the file. */
  readonly policies: readonly GuardrailPolicy[];
  private readonly byId: ReadonlyMap<string, GuardrailPolicy>;
  /** Names of the schema and policy sets preparsed in Cedar's cache, unique to this instance. */
  private readonly schemaName: string;
  private readonly everything: string;
  /** Everything but the approval forbids: what the request would get if a central admin approved it. */
  private readonly withoutApproval: string;
  /**
   * Decisions by what Cedar sees of a request with the resource's id left out, while no policy names a
   * Grant or a Credential by id: the drift report asks the same question for thousands of grants, and a
   * Cedar call costs ~0.1 ms where a look-up costs ~5 µs. Bounded; cleared when full.
   */
  private readonly memo: Map<string, Decision> | undefined;

  /**
   * Takes a schema and policies already validated together; use `loadGuardrails`, which checks them.
   * Both are parsed once, into Cedar's per-thread cache: a decision then costs about half a millisecond
   * instead of the ~30 ms of parsing the schema text on every call.
   * @throws IdGraphError INTERNAL when Cedar cannot parse them (they were not validated first).
   */
  constructor(schema: string, policies: readonly GuardrailPolicy[]) {
    this.policies = [...policies];
    this.byId = new Map(policies.map((p) => [p.id, p]));
    const name = `idgraph-guardrails-${++instances}`;
    this.schemaName = `${name}-schema`;
    this.everything = `${name}-all`;
    this.withoutApproval = `${name}-without-approval`;
    check(preparseSchema(this.schemaName, schema), 'schema');
    check(preparsePolicySet(this.everything, setOf(policies)), 'policies');
    check(preparsePolicySet(this.withoutApproval, setOf(policies.filter((p) => p.outcome !== 'needs-approval'))), 'policies');
    this.memo = policies.some((p) => NAMES_AN_ENTITY.test(p.text)) ? undefined : new Map();
  }

  /** The policy with that `@id`. */
  policy(id: string): GuardrailPolicy | undefined {
    return this.byId.get(id);
  }

  /**
   * Decides a request. DENY when a forbid that is not an approval applies, when nothing permits (deny by
   * default, no policy named), or when a forbid fails to evaluate (fail closed, that forbid named);
   * NEEDS_APPROVAL when only approval forbids apply and a permit would allow the request without them;
   * ALLOW otherwise, naming the permits.
   * @throws IdGraphError BAD_USER_INPUT for a malformed request (ttlSeconds not finite);
   *   INTERNAL when Cedar rejects the request against the schema (a bug in the facts mapping).
   */
  decide(request: GuardrailRequest): Decision {
    const call = cedarRequest(request);
    const key = this.memo === undefined ? undefined : memoKey(call);
    if (this.memo === undefined || key === undefined) return this.decideCall(request, call);
    let decision = this.memo.get(key);
    if (decision === undefined) {
      decision = this.decideCall(request, call);
      // A reason that names the actor (nothing permits) or the resource (a policy that failed to evaluate)
      // is this request's own.
      const ids = [idOf(call.resource), idOf(call.principal)];
      if (decision.reasons.some((reason) => ids.some((id) => reason.includes(id)))) return decision;
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(key, decision);
    }
    return decision;
  }

  private decideCall(request: GuardrailRequest, call: CedarRequest): Decision {
    const first = this.authorize(request.action, call, this.everything);
    // Cedar skips a policy that fails to evaluate; a skipped forbid would let the request through, so a
    // forbid that fails counts as one that applies, and denies (fail closed).
    const failed = new Map(
      first.diagnostics.errors.filter((e) => this.byId.get(e.policyId)?.effect === 'forbid').map((e) => [e.policyId, e.error.message]),
    );
    if (first.decision === 'allow' && failed.size === 0) return this.decision('ALLOW', first.diagnostics.reason);
    const forbids = first.decision === 'deny' ? first.diagnostics.reason : [];
    const hard = [...forbids.filter((id) => this.byId.get(id)?.outcome !== 'needs-approval'), ...failed.keys()];
    if (hard.length > 0) {
      return this.decision('DENY', hard, (id) => {
        const message = failed.get(id);
        return message === undefined ? undefined : `policy "${id}" could not be evaluated, so it denies: ${message}`;
      });
    }
    if (forbids.length > 0 && this.authorize(request.action, call, this.withoutApproval).decision === 'allow') return this.decision('NEEDS_APPROVAL', forbids);
    const { actor } = request;
    return {
      outcome: 'DENY',
      policyIds: [],
      reasons: [`no policy permits "${request.action}" for actor "${actor.id}" with roles [${actor.roles.join(', ')}]`],
    };
  }

  private authorize(action: string, request: CedarRequest, policySet: string): Response {
    const answer = statefulIsAuthorized({ ...request, preparsedSchemaName: this.schemaName, validateRequest: true, preparsedPolicySetId: policySet });
    if (answer.type === 'failure') {
      throw new IdGraphError('INTERNAL', `Cedar rejected the ${action} request: ${answer.errors.map((e) => e.message).join('; ')}`);
    }
    return answer.response;
  }

  private decision(outcome: Decision['outcome'], ids: readonly string[], reasonOf?: (id: string) => string | undefined): Decision {
    const policyIds = [...new Set(ids)].sort();
    return { outcome, policyIds, reasons: policyIds.map((id) => reasonOf?.(id) ?? this.byId.get(id)?.reason ?? id) };
  }
}

let instances = 0;

const MEMO_LIMIT = 100_000;

/**
 * An entity literal of a type whose ids differ from request to request (`IdGraph::Grant::"…"`): a policy
 * that names one makes the ids matter, and then nothing is memoised.
 */
const NAMES_AN_ENTITY = /\b(?:Grant|Credential|Service|Actor)\s*::\s*"/;

/**
 * The request as Cedar sees it up to a renaming of ids that no policy can tell apart (see `memo`): the
 * resource loses its id, and the actor and the services are numbered in order of first appearance, since
 * policies only compare them with each other (`resource.domain in principal.services`). Undefined for a
 * request about anything but a Grant or a Credential, whose id a policy may name.
 */
function memoKey(call: CedarRequest): string | undefined {
  const type = typeOf(call.resource);
  if (type !== `${NAMESPACE}::Grant` && type !== `${NAMESPACE}::Credential`) return undefined;
  const renamed = new Map<string, string>();
  const rename = (uid: EntityUidJson): string => {
    const key = `${typeOf(uid)}::${idOf(uid)}`;
    let name = renamed.get(key);
    if (name === undefined) renamed.set(key, (name = `${typeOf(uid)}#${renamed.size}`));
    return name;
  };
  const entities = call.entities.map((e) => ({
    uid: e.uid === call.resource ? type : rename(e.uid),
    parents: e.parents,
    attrs: JSON.stringify(e.attrs, (_key, value: unknown) => (isServiceRef(value) ? rename(value) : value)),
  }));
  return JSON.stringify([rename(call.principal), call.action, call.context, entities]);
}

function isServiceRef(value: unknown): value is EntityUidJson {
  return typeof value === 'object' && value !== null && '__entity' in value && (value as { __entity: { type: string } }).__entity.type === `${NAMESPACE}::Service`;
}

function typeOf(uid: EntityUidJson): string {
  return '__entity' in uid ? uid.__entity.type : uid.type;
}

function idOf(uid: EntityUidJson): string {
  return '__entity' in uid ? uid.__entity.id : uid.id;
}

function setOf(policies: readonly GuardrailPolicy[]): { staticPolicies: Record<string, string> } {
  return { staticPolicies: Object.fromEntries(policies.map((p) => [p.id, p.text])) };
}

function check(answer: CheckParseAnswer, what: string): void {
  if (answer.type === 'failure') throw new IdGraphError('INTERNAL', `Cedar cannot parse the guardrail ${what}: ${answer.errors.map((e) => e.message).join('; ')}`);
}
