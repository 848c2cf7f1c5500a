/**
 * What the guardrails are asked and what they answer: one request per governance mutation (DESIGN.md,
 * Policy), carrying the facts the policies read, and a decision that names the policies that made it.
 * The facts come from `grant-facts.ts`; `guardrails.ts` turns a request into a
 * Cedar call whose shape is `policy/idgraph.cedarschema`.
 */
import type { Origin, ScopeLevel, Severity } from '../model/vocabulary.js';
import type { ApiRole } from '../model/api-roles.js';

export { API_ROLES, type ApiRole } from '../model/api-roles.js';

/** Who asks: the authenticated caller. */
export interface Actor {
  readonly id: string;
  readonly roles: readonly ApiRole[];
  /** The services it owns (service ids, `svc:payments`); meaningful for service-owner. */
  readonly services: readonly string[];
}

/**
 * Actions on a grant edge. `reviewGrant` is an existing grant re-read by the drift report: the standing
 * guardrails bind it, the TTL rules of a new grant do not.
 */
export const GRANT_ACTIONS = ['grant', 'requestAccess', 'approve', 'reviewGrant', 'revoke', 'reject'] as const;
export type GrantAction = (typeof GRANT_ACTIONS)[number];

export const CREDENTIAL_ACTIONS = ['issueCredential', 'rotateCredential', 'revokeCredential'] as const;
export type CredentialAction = (typeof CREDENTIAL_ACTIONS)[number];

export const DEFINITION_ACTIONS = ['defineRole', 'defineScope'] as const;
export type DefinitionAction = (typeof DEFINITION_ACTIONS)[number];

/** Central lifecycle events; each names the label of the node it acts on. */
export const LIFECYCLE_ACTIONS = {
  retireIdentity: ['Identity'],
  retireService: ['Service'],
  offboardVendor: ['Vendor'],
  quarantine: ['Identity', 'Credential', 'Service'],
  reassignOwner: ['Identity', 'Credential', 'Service'],
} as const;
export type LifecycleAction = keyof typeof LIFECYCLE_ACTIONS;

export type GuardrailAction = GrantAction | CredentialAction | DefinitionAction | LifecycleAction;

export type GrantEdgeType = 'HAS_ROLE' | 'MEMBER_OF' | 'CAN_ASSUME';

/** An identity as the guardrails see it (`identityFacts`). */
export interface IdentityFacts {
  readonly id: string;
  readonly environment: string | undefined;
  /** Vendors with an OPERATES edge to it. */
  readonly operatedBy: readonly string[];
  /** Live owners with an OWNS edge to it. */
  readonly ownedBy: readonly string[];
  /** The services it belongs to: those its owners own, and those that RUNS_AS it. Sorted. */
  readonly services: readonly string[];
}

/** What a grant edge, requested or existing, would hand over and to whom (`grantFacts`). */
export interface GrantFacts {
  readonly edge: {
    readonly type: GrantEdgeType;
    readonly from: string;
    readonly to: string;
    /** The edge's `props.id`, or ''. */
    readonly key: string;
    readonly origin: Origin;
    /** The service a LOCAL grant belongs to. */
    readonly domain?: string | undefined;
  };
  /** The grantee and every identity that reaches it, live, through CAN_ASSUME or MEMBER_OF; by id. */
  readonly recipients: readonly IdentityFacts[];
  /** HAS_ROLE only: the granted role's origin and, for a LOCAL role, its service. */
  readonly role?: { readonly id: string; readonly origin: Origin; readonly service?: string | undefined } | undefined;
  /** The roles handed over: the role itself, or the roles a group or an assumed identity holds (live). */
  readonly conferredRoles: readonly string[];
  /** The services of the LOCAL roles among them. */
  readonly conferredServices: readonly string[];
  /** True when a CENTRAL role (or a LOCAL one without a service) is among them. */
  readonly confersCentral: boolean;
  /** CAN_ASSUME only: the services the assumed identity belongs to. */
  readonly assumedIdentityServices: readonly string[];
  /** Every scope reached from the grant's target, live at the time asked. */
  readonly scopes: readonly string[];
  /** Highest over `scopes` (a scope without a sensitivity counts as LOW); undefined when none. */
  readonly maxSensitivity: Severity | undefined;
  readonly maxLevel: ScopeLevel | undefined;
  /** The environments of the services those scopes are ON. */
  readonly scopeEnvironments: readonly string[];
}

/** A grant, a request for one, its approval, review, revocation or rejection. */
export interface GrantRequest {
  readonly action: GrantAction;
  readonly actor: Actor;
  readonly grant: GrantFacts;
  /** How long the grant lasts; required (by policy) for grant and requestAccess. */
  readonly ttlSeconds?: number | undefined;
}

/** Issuing, rotating or revoking a credential of an identity. */
export interface CredentialRequest {
  readonly action: CredentialAction;
  readonly actor: Actor;
  readonly credential: { readonly id: string; readonly identity: IdentityFacts };
  /** Seconds from now to the credential's `expiresAt`; absent: it never expires. */
  readonly ttlSeconds?: number | undefined;
}

/** Creating or updating a role or a scope. */
export interface DefinitionRequest {
  readonly action: DefinitionAction;
  readonly actor: Actor;
  readonly definition: { readonly id: string; readonly origin: Origin; readonly service?: string | undefined };
}

/** A central lifecycle event on a node. */
export interface LifecycleRequest {
  readonly action: LifecycleAction;
  readonly actor: Actor;
  readonly target: { readonly id: string; readonly label: 'Identity' | 'Credential' | 'Service' | 'Vendor' };
}

export type GuardrailRequest = GrantRequest | CredentialRequest | DefinitionRequest | LifecycleRequest;

export type Outcome = 'ALLOW' | 'DENY' | 'NEEDS_APPROVAL';

/**
 * The answer: ALLOW names the permits that applied; DENY the forbids that applied (none when nothing
 * permits the action: deny by default); NEEDS_APPROVAL the approval forbids. `reasons[i]` explains
 * `policyIds[i]` (its `@reason`); ids are sorted, so equal requests give equal decisions.
 */
export interface Decision {
  readonly outcome: Outcome;
  readonly policyIds: readonly string[];
  readonly reasons: readonly string[];
}
