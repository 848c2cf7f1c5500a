/**
 * The gateway's enforcement of `@authenticated`, `@requiresScopes` and `@policy` in front of
 * @apollo/gateway, against the identity graph. Import from here; the modules behind it are free to move.
 */
export { AuthzGateway, type Authorizer, type AuthzDecision, type AuthzGatewayOptions, type AuthzMode, type GatewayInterface } from './authz-gateway.js';
export {
  completeResult,
  filterOperation,
  MAX_FORBIDDEN_ERRORS,
  TYPENAME_ALIAS,
  type CompletedResult,
  type Denial,
  type FilterResult,
  type Grants,
  type Missing,
  type Refusal,
} from './filter-operation.js';
export { collectRequirements, selectionRequirements, type AppliedRequirement, type OperationRequirements } from './operation-requirements.js';
export {
  andDnf,
  buildRequirementIndex,
  mergeRequirements,
  originalSupergraphOf,
  simplifyDnf,
  stripSecurityFeatures,
  type Requirement,
  type RequirementIndex,
} from './requirements.js';
export { createSubgraphDataSource, SubgraphDataSource, SUBGRAPH_UNAVAILABLE, type AuthorizationContext } from './subgraph-data-source.js';
export { authzSupergraphManager } from './supergraph-manager.js';
