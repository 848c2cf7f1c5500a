/**
 * Guardrails as Cedar policy (DESIGN.md, Policy: hybrid central and local): load and validate the
 * policies of `policy/`, build the facts of a request from the projection, decide it, and report the
 * existing grants that today's policies would deny. Import from here; the modules behind it may move.
 */
export {
  API_ROLES,
  CREDENTIAL_ACTIONS,
  DEFINITION_ACTIONS,
  GRANT_ACTIONS,
  LIFECYCLE_ACTIONS,
  type Actor,
  type ApiRole,
  type CredentialAction,
  type CredentialRequest,
  type Decision,
  type DefinitionAction,
  type DefinitionRequest,
  type GrantAction,
  type GrantEdgeType,
  type GrantFacts,
  type GrantRequest,
  type GuardrailAction,
  type GuardrailRequest,
  type IdentityFacts,
  type LifecycleAction,
  type LifecycleRequest,
  type Outcome,
} from './guardrail-request.js';
export { Guardrails, type GuardrailPolicy, type PolicyOutcome } from './guardrails.js';
export { loadGuardrails, defaultPolicyDir, SCHEMA_FILE } from './load-guardrails.js';
export { grantFacts, graphPropsOf, identityFacts, type GrantSubject, type GraphProps, type NodeProps } from './grant-facts.js';
export {
  guardrailViolations,
  type GuardrailViolation,
  type GuardrailViolationsOptions,
  type GuardrailViolationsResult,
} from './guardrail-violations.js';
