/**
 * A guardrail request as Cedar sees it: principal, action, resource, context and entities, in the shape
 * that `policy/idgraph.cedarschema` declares. The only place that knows both the TypeScript facts and the
 * Cedar names, so a change of either shows up here (and in the schema validation of every request).
 */
import type { CedarValueJson, EntityJson, EntityUidJson } from '@cedar-policy/cedar-wasm/nodejs';
import { IdGraphError } from '../model/errors.js';
import { SCOPE_LEVELS, SEVERITIES } from '../model/vocabulary.js';
import {
  CREDENTIAL_ACTIONS,
  DEFINITION_ACTIONS,
  GRANT_ACTIONS,
  LIFECYCLE_ACTIONS,
  type Actor,
  type CredentialAction,
  type DefinitionAction,
  type GrantAction,
  type GrantFacts,
  type GuardrailRequest,
  type LifecycleAction,
} from './guardrail-request.js';

/** The Cedar namespace of the schema. */
export const NAMESPACE = 'IdGraph';

/** The parts of a Cedar authorization call that depend on the request. */
export interface CedarRequest {
  readonly principal: EntityUidJson;
  readonly action: EntityUidJson;
  readonly resource: EntityUidJson;
  readonly context: { ttlSeconds?: number };
  readonly entities: EntityJson[];
}

/**
 * Maps a request to Cedar. Severities and levels become ranks (0 none, then LOW… or READ… from 1),
 * because Cedar compares numbers, not enums.
 * @throws IdGraphError BAD_USER_INPUT when `ttlSeconds` is not a finite number, or the facts do not fit
 *   the action (a lifecycle event on a label it does not act on).
 * @example cedarRequest({ action: 'retireService', actor, target: { id: 'svc:legacy', label: 'Service' } })
 */
export function cedarRequest(request: GuardrailRequest): CedarRequest {
  const actor = actorEntity(request.actor);
  const action = uid('Action', request.action);
  if (isGrantAction(request.action) && 'grant' in request) {
    const resource = grantEntity(request.grant);
    return { principal: actor.uid, action, resource: resource.uid, context: contextOf(request.ttlSeconds), entities: [actor, resource] };
  }
  if (isCredentialAction(request.action) && 'credential' in request) {
    const { id, identity } = request.credential;
    const resource = entity('Credential', id, {
      identity: {
        ...(identity.environment === undefined ? {} : { environment: identity.environment }),
        vendorOperated: identity.operatedBy.length > 0,
        owned: identity.ownedBy.length > 0,
        services: identity.services.map((s) => ref('Service', s)),
      },
    });
    return { principal: actor.uid, action, resource: resource.uid, context: contextOf(request.ttlSeconds), entities: [actor, resource] };
  }
  if (isDefinitionAction(request.action) && 'definition' in request) {
    const { id, origin, service } = request.definition;
    const type = request.action === 'defineRole' ? 'Role' : 'Scope';
    const resource = entity(type, id, { origin, ...(service === undefined ? {} : { service: ref('Service', service) }) });
    return { principal: actor.uid, action, resource: resource.uid, context: {}, entities: [actor, resource] };
  }
  if (isLifecycleAction(request.action) && 'target' in request) {
    const labels: readonly string[] = LIFECYCLE_ACTIONS[request.action];
    if (!labels.includes(request.target.label)) {
      const message = `${request.action} acts on ${labels.join(' or ')}, got ${request.target.label} "${request.target.id}"`;
      throw new IdGraphError('BAD_USER_INPUT', message, { issues: [{ path: 'target.label', message }] });
    }
    return { principal: actor.uid, action, resource: uid(request.target.label, request.target.id), context: {}, entities: [actor] };
  }
  throw new IdGraphError('BAD_USER_INPUT', `Action "${request.action}" does not take this request's facts`);
}

function actorEntity(actor: Actor): EntityJson {
  return {
    uid: uid('Actor', actor.id),
    attrs: { services: actor.services.map((s) => ref('Service', s)) },
    parents: actor.roles.map((role) => uid('ApiRole', role)),
  };
}

function grantEntity(facts: GrantFacts): EntityJson {
  const { edge, recipients, role } = facts;
  return entity('Grant', `${edge.type} ${edge.from} -> ${edge.to}#${edge.key}`, {
    edgeType: edge.type,
    origin: edge.origin,
    ...(edge.domain === undefined ? {} : { domain: ref('Service', edge.domain) }),
    recipients: {
      environments: [...new Set(recipients.flatMap((r) => (r.environment === undefined ? [] : [r.environment])))],
      vendorOperated: recipients.some((r) => r.operatedBy.length > 0),
      allOwned: recipients.every((r) => r.ownedBy.length > 0),
    },
    ...(role === undefined ? {} : { roleOrigin: role.origin, ...(role.service === undefined ? {} : { roleService: ref('Service', role.service) }) }),
    conferredServices: facts.conferredServices.map((s) => ref('Service', s)),
    confersCentral: facts.confersCentral,
    assumedIdentityServices: facts.assumedIdentityServices.map((s) => ref('Service', s)),
    maxSensitivity: facts.maxSensitivity === undefined ? 0 : SEVERITIES.indexOf(facts.maxSensitivity) + 1,
    maxLevel: facts.maxLevel === undefined ? 0 : SCOPE_LEVELS.indexOf(facts.maxLevel) + 1,
    scopeEnvironments: [...facts.scopeEnvironments],
  });
}

function contextOf(ttlSeconds: number | undefined): { ttlSeconds?: number } {
  if (ttlSeconds === undefined) return {};
  if (!Number.isFinite(ttlSeconds)) {
    throw new IdGraphError('BAD_USER_INPUT', `ttlSeconds must be a finite number of seconds, got ${String(ttlSeconds)}`, {
      issues: [{ path: 'ttlSeconds', message: `must be a finite number of seconds, got ${String(ttlSeconds)}` }],
    });
  }
  // Cedar's Long is an integer; a fraction of a second changes no limit.
  return { ttlSeconds: Math.floor(ttlSeconds) };
}

function entity(type: string, id: string, attrs: EntityJson['attrs']): EntityJson {
  return { uid: uid(type, id), attrs, parents: [] };
}

function uid(type: string, id: string): EntityUidJson {
  return { type: `${NAMESPACE}::${type}`, id };
}

/** An entity as an attribute value: explicit, so it never reads as a record. */
function ref(type: string, id: string): CedarValueJson {
  return { __entity: { type: `${NAMESPACE}::${type}`, id } };
}

function isGrantAction(action: string): action is GrantAction {
  return (GRANT_ACTIONS as readonly string[]).includes(action);
}

function isCredentialAction(action: string): action is CredentialAction {
  return (CREDENTIAL_ACTIONS as readonly string[]).includes(action);
}

function isLifecycleAction(action: string): action is LifecycleAction {
  return Object.hasOwn(LIFECYCLE_ACTIONS, action);
}

function isDefinitionAction(action: string): action is DefinitionAction {
  return (DEFINITION_ACTIONS as readonly string[]).includes(action);
}
