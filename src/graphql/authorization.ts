/**
 * Who may read what: the one rule module (DESIGN.md, API conventions), applied with graphql-shield.
 * Deny by default: a field without a rule here is FORBIDDEN, so a field added to the SDL stays closed
 * until someone decides who may read it (test/graphql/authorization.test.ts walks the schema to keep
 * every field explicit). Entities (`_entities`, `__resolveReference`) get the same rules as lookups.
 *
 * Every API role reads the graph today (analyst, auditor, service owner, central admin); governance
 * mutations and the audit log will bring rules that tell them apart.
 */
import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, deny, rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import { IdGraphError } from '../model/errors.js';
import type { GraphqlContext } from './context.js';

/** Any authenticated caller that holds one of the API roles. */
const isReader = rule({ cache: 'contextual' })((_parent, _args, ctx: GraphqlContext) =>
  ctx.caller.roles.length > 0 ? true : new IdGraphError('FORBIDDEN', 'This token holds no API role (analyst, auditor, service-owner, central-admin)'),
);

/** A caller holding one of `roles`; a service owner's own services are the guardrails' business. */
const holds = (...roles: string[]) =>
  rule({ cache: 'contextual' })((_parent, _args, ctx: GraphqlContext) =>
    ctx.caller.roles.some((role) => roles.includes(role)) ? true : new IdGraphError('FORBIDDEN', `Only ${roles.join(' or ')} may do this`),
  );
/** Who may read posture findings: analysts, auditors and the central team. */
const postureReader = holds('analyst', 'auditor', 'central-admin');
/**
 * A mutation only `roles` may call. A refusal is a denied attempt, so it is audited like a guardrail's
 * denial (DESIGN.md: every denied attempt appends an AuditEvent), then answered FORBIDDEN.
 */
const mutationBy = (...roles: string[]) =>
  rule({ cache: 'no_cache' })(async (_parent, _args, ctx: GraphqlContext, info: { fieldName: string }) => {
    if (ctx.caller.roles.some((role) => roles.includes(role))) return true;
    const reason = `only ${roles.join(' or ')} may call ${info.fieldName}`;
    await ctx.deps.governance?.writer.commit([], [], {
      actor: ctx.caller.subject,
      action: info.fieldName,
      decision: 'DENY',
      reason,
      requestId: ctx.requestId,
    });
    return new IdGraphError('FORBIDDEN', `Only ${roles.join(' or ')} may do this`);
  });
const grantor = mutationBy('service-owner', 'central-admin');
const centralAdmin = mutationBy('central-admin');

/** The types a reader reads whole: nodes, connections, path results and their parts. */
const READ_TYPES = [
  'Identity', 'Credential', 'Group', 'Role', 'Scope', 'Service', 'Owner', 'Vendor',
  'NodeConnection', 'NodeEdge', 'IdentityConnection', 'IdentityEdge', 'CredentialConnection', 'CredentialEdge',
  'GroupConnection', 'GroupEdge', 'RoleConnection', 'RoleEdge', 'ScopeConnection', 'ScopeEdge',
  'ServiceConnection', 'ServiceEdge', 'OwnerConnection', 'OwnerEdge', 'VendorConnection', 'VendorEdge',
  'PageInfo', 'Grant', 'PathQueryResult', 'BlastRadiusResult', 'ExplainResult', 'PathEntry', 'Path', 'PathStep',
  'QueryStats', 'LabelCount', 'BlastRadiusSummary', 'GrantChange', 'Decision', 'GuardrailViolation', 'GuardrailReport', 'AuditEvent', 'AuditEventConnection', 'Ended', 'LifecycleResult', 'CredentialChange', 'DefinitionChange',
  'FindingConnection', 'FindingEdge', 'Finding', 'FindingOwner', 'FindingEvidence', 'Remediation', 'PostureSummary', 'SeverityCount', 'OwaspCount',
] as const;

/** Every rule, by type and field. Query fields are listed one by one: each is an entry point. */
export const RULES: IRules = {
  Query: {
    node: isReader,
    nodes: isReader,
    identity: isReader,
    credential: isReader,
    group: isReader,
    role: isReader,
    scope: isReader,
    service: isReader,
    owner: isReader,
    vendor: isReader,
    identities: isReader,
    services: isReader,
    reach: isReader,
    whoCan: isReader,
    explain: isReader,
    path: isReader,
    blastRadius: isReader,
    // Entities answer with the same types, so the same rule; the gateway forwards the caller's token.
    _entities: isReader,
    // The subgraph's SDL, for a gateway's composition: no data, but still only for a known caller.
    _service: isReader,
    // Drift is posture, like a path query: every reader may see it.
    guardrailViolations: isReader,
    // The evidence of who did what: auditors and the central team.
    auditLog: holds('auditor', 'central-admin'),
    // Posture names every weakness of the estate with its path: the people who assess it, not service owners.
    findings: postureReader,
    postureSummary: postureReader,
  },
  _Service: isReader,
  // Who may ask at all; what they may change inside that is the Cedar guardrails' decision.
  Mutation: {
    grant: grantor,
    requestAccess: grantor,
    revoke: grantor,
    approve: centralAdmin,
    reject: centralAdmin,
    defineRole: grantor,
    defineScope: grantor,
    issueCredential: grantor,
    rotateCredential: grantor,
    revokeCredential: grantor,
    retireIdentity: centralAdmin,
    retireService: centralAdmin,
    offboardVendor: centralAdmin,
    quarantine: centralAdmin,
    reassignOwner: centralAdmin,
  },
  ...Object.fromEntries(READ_TYPES.map((type) => [type, allow])),
};

/**
 * The schema with the rules applied. Types below Query are `allow`: a caller only reaches them through
 * a Query field that its rule let through, and rules per nested field would cost a check per item.
 * @example new ApolloServer({ schema: authorize(buildSchema()) })
 */
export function authorize(schema: GraphQLSchema): GraphQLSchema {
  const permissions = shield(RULES, {
    fallbackRule: deny,
    fallbackError: () => new IdGraphError('FORBIDDEN', 'Not authorized'),
    // A resolver's own IdGraphError (NOT_FOUND, BAD_USER_INPUT…) reaches the caller as it is.
    allowExternalErrors: true,
  });
  return applyMiddleware(schema, permissions);
}
