/**
 * The messes that a real estate accumulates, written by hand so that each is exactly what it claims to be,
 * plus the ordinary noise around them (revoked grants, a disabled account, a revoked password, a pending
 * request). `DEMO_MESSES` names the ids that make each mess findable.
 */
import type { EstateBuilder } from './estate-builder.js';
import { SECURITY_LEAD } from './organisation.js';

export const DEMO_MESSES = {
  /** 1. A service account nobody owns, still ACTIVE and still reading payments and the warehouse. */
  orphanedServiceAccount: { identity: 'sa:reporting-export', credential: 'cred:reporting-export-password' },
  /** 2. An SSH key last used 246 days ago, never expiring, never revoked, opening ledger writes. */
  staleKey: { credential: 'cred:ledger-sftp-ssh', identity: 'sa:ledger-sftp', lastUsedDaysAgo: 246 },
  /** 3. A vendor whose integration reaches a CRITICAL scope through a group and an inherited role. */
  vendorToCritical: {
    vendor: 'vendor:clearpath',
    identity: 'sa:clearpath-kyc-sync',
    group: 'grp:kyc-partners',
    role: 'role:kyc-partner',
    inheritedRole: 'role:identity-writer',
    scope: 'scope:identity:users:write',
  },
  /** 4. An AI agent that can assume the prod Payments deployer. */
  agentAssumesDeployer: { agent: 'agent:deploy-copilot', deployer: 'sa:payments-deployer', scope: 'scope:payments:deploy:admin' },
  /** 5. A read-only role whose INHERITS chain ends in an ADMIN scope on customer accounts. */
  quietAdminChain: {
    role: 'role:support-readonly',
    chain: ['role:support-readonly', 'role:support-agent', 'role:support-escalation', 'role:support-lead', 'role:customer-data-admin'],
    scope: 'scope:identity:users:admin',
    holders: ['grp:support', 'agent:support-copilot'],
  },
  /** 6. A live grant of a local role of a retired service (which still inherits ledger writes). */
  grantOnRetiredService: { identity: 'sa:recon-batch', role: 'role:legacy-reconciler-operator', service: 'svc:legacy-reconciler' },
  /** 7. An access token that expired 30 days ago and was never revoked. */
  expiredUnrevokedToken: { credential: 'cred:checkout-migration-token', identity: 'sa:checkout-deployer' },
  /** 8. A dev workload with a LOCAL grant of a role that writes on prod Payments. */
  devToProd: { identity: 'wl:checkout-dev-api', role: 'role:payments-writer', scope: 'scope:payments:transactions:write', service: 'svc:payments' },
} as const;

/** Every mess above, then the noise. */
export function addMesses(b: EstateBuilder): void {
  orphanedServiceAccount(b);
  staleKey(b);
  vendorToCritical(b);
  agentAssumesDeployer(b);
  quietAdminChain(b);
  grantOnRetiredService(b);
  expiredUnrevokedToken(b);
  devToProd(b);
  noise(b);
}

function orphanedServiceAccount(b: EstateBuilder): void {
  const { identity, credential } = DEMO_MESSES.orphanedServiceAccount;
  b.identity(identity, {
    kind: 'SERVICE_ACCOUNT',
    environment: 'prod',
    owner: null,
    description: 'Nightly merchant report export, set up by a contractor whose engagement ended',
    createdDaysAgo: 610,
    lastSeenDaysAgo: 0.5,
  });
  b.credential(credential, { kind: 'PASSWORD', authenticates: identity, heldBy: ['svc:data-warehouse'], issuedDaysAgo: 610, lastUsedDaysAgo: 0.5 });
  b.grant('HAS_ROLE', identity, 'role:data-warehouse-reader', { by: 'human:victor', domain: 'svc:data-warehouse', grantedDaysAgo: 600 });
  b.grant('HAS_ROLE', identity, 'role:payments-reader', { by: 'human:victor', domain: 'svc:payments', grantedDaysAgo: 600, justification: 'merchant reports' });
}

function staleKey(b: EstateBuilder): void {
  const { credential, identity, lastUsedDaysAgo } = DEMO_MESSES.staleKey;
  b.identity(identity, {
    kind: 'SERVICE_ACCOUNT',
    environment: 'prod',
    owner: 'team:ledger',
    description: 'Imports bank statements over SFTP (replaced by the bank API, never cleaned up)',
    createdDaysAgo: 1100,
    lastSeenDaysAgo: lastUsedDaysAgo,
  });
  b.credential(credential, { kind: 'SSH_KEY', authenticates: identity, owner: 'team:ledger', issuedDaysAgo: 1100, lastUsedDaysAgo });
  b.grant('HAS_ROLE', identity, 'role:ledger-writer', { by: 'human:chen', domain: 'svc:ledger', grantedDaysAgo: 1100, justification: 'post bank statement entries' });
}

function vendorToCritical(b: EstateBuilder): void {
  const { identity, group, role, inheritedRole } = DEMO_MESSES.vendorToCritical;
  b.group(group, 'KYC vendors');
  b.role(role, { service: 'svc:kyc', inherits: ['role:kyc-writer'], description: 'What a KYC vendor may do' });
  // Added to let ClearPath mark users as verified; it hands the vendor every write on identity.
  b.edge('INHERITS', role, inheritedRole, { origin: 'LOCAL', domain: 'svc:kyc', grantedBy: 'human:gustav', grantedAt: b.daysAgo(140), justification: 'mark users verified' });
  b.grant('HAS_ROLE', group, role, { by: 'human:gustav', domain: 'svc:kyc' });
  b.grant('MEMBER_OF', identity, group, { by: 'human:gustav', domain: 'svc:kyc', justification: 'ClearPath onboarding' });
}

function agentAssumesDeployer(b: EstateBuilder): void {
  const { agent, deployer } = DEMO_MESSES.agentAssumesDeployer;
  b.grant('CAN_ASSUME', agent, deployer, {
    by: 'human:alice',
    domain: 'svc:payments',
    grantedDaysAgo: 19,
    lastUsedDaysAgo: 2,
    justification: 'let the copilot roll back failed releases',
  });
}

function quietAdminChain(b: EstateBuilder): void {
  const local = { service: 'svc:support-desk' };
  b.scope('scope:identity:users:admin', 'ADMIN', 'CRITICAL', 'CENTRAL');
  b.role('role:customer-data-admin', { grants: ['scope:identity:users:admin'], description: 'Merge, close and unlock customer accounts' });
  b.role('role:support-lead', { ...local, description: 'Support leads' });
  b.role('role:support-escalation', { ...local, inherits: ['role:support-lead'], grants: ['scope:identity:users:read'], description: 'Second line: sees customer profiles' });
  b.role('role:support-agent', { ...local, inherits: ['role:support-escalation'], grants: ['scope:support-desk:tickets:write'], description: 'Answers tickets' });
  b.role('role:support-readonly', { ...local, inherits: ['role:support-agent'], grants: ['scope:support-desk:tickets:read'], description: 'Read-only access to tickets' });
  // The quiet step: "temporary" for an account-merge incident, never removed.
  b.edge('INHERITS', 'role:support-lead', 'role:customer-data-admin', {
    origin: 'CENTRAL',
    grantedBy: SECURITY_LEAD,
    grantedAt: b.daysAgo(300),
    justification: 'temporary: account-merge incident INC-1874',
  });
  b.grant('HAS_ROLE', 'grp:support', 'role:support-readonly', { by: 'human:nadia', domain: 'svc:support-desk' });
  b.grant('HAS_ROLE', 'agent:support-copilot', 'role:support-readonly', {
    by: 'human:nadia',
    domain: 'svc:support-desk',
    grantedDaysAgo: 75,
    justification: 'read-only access to answer tickets',
  });
}

function grantOnRetiredService(b: EstateBuilder): void {
  const { identity, role, service } = DEMO_MESSES.grantOnRetiredService;
  b.service(service, { environment: 'prod', criticality: 'HIGH', owner: 'team:ledger', status: 'RETIRED', description: 'Nightly reconciliation; replaced by the ledger itself' });
  b.scope('scope:legacy-reconciler:ledger-sync:write', 'WRITE', 'HIGH');
  b.role(role, { service, inherits: ['role:ledger-writer'], grants: ['scope:legacy-reconciler:ledger-sync:write'] });
  b.identity('wl:legacy-reconciler', { kind: 'WORKLOAD', environment: 'prod', owner: 'team:ledger', status: 'RETIRED', lastSeenDaysAgo: 230 });
  b.edge('RUNS_AS', service, 'wl:legacy-reconciler');
  b.identity(identity, { kind: 'SERVICE_ACCOUNT', environment: 'prod', owner: 'team:ledger', description: 'Batch reconciliation jobs' });
  b.grant('HAS_ROLE', identity, role, { by: 'human:chen', domain: service, grantedDaysAgo: 700, justification: 'run reconciliation' });
}

function expiredUnrevokedToken(b: EstateBuilder): void {
  const { credential, identity } = DEMO_MESSES.expiredUnrevokedToken;
  b.credential(credential, {
    kind: 'ACCESS_TOKEN',
    authenticates: identity,
    heldBy: ['svc:checkout-dev'],
    owner: 'team:checkout',
    description: 'Issued for the cart-schema migration; still sitting in the dev environment file',
    issuedDaysAgo: 120,
    expiresInDays: -30,
    lastUsedDaysAgo: 31,
  });
}

function devToProd(b: EstateBuilder): void {
  const { identity, role, service } = DEMO_MESSES.devToProd;
  b.grant('HAS_ROLE', identity, role, {
    by: 'human:alice',
    domain: service,
    grantedDaysAgo: 160,
    justification: 'staging smoke tests against real refunds (temporary)',
  });
}

function noise(b: EstateBuilder): void {
  b.grant('HAS_ROLE', 'human:bilal', 'role:payments-deployer', {
    by: 'human:alice',
    domain: 'svc:payments',
    grantedDaysAgo: 70,
    status: 'REVOKED',
    revokedDaysAgo: 40,
    revokedBy: SECURITY_LEAD,
    justification: 'hotfix for INC-2291',
  });
  b.grant('CAN_ASSUME', 'bot:renovate', 'sa:ci-platform-deployer', {
    by: 'human:kofi',
    domain: 'svc:ci-platform',
    grantedDaysAgo: 200,
    status: 'REVOKED',
    revokedDaysAgo: 150,
    revokedBy: 'human:kofi',
    justification: 'auto-merge experiment',
  });
  b.grant('HAS_ROLE', 'human:sven', 'role:ledger-reader', { by: 'human:chen', domain: 'svc:ledger', grantedDaysAgo: 40, expiresInDays: -10, justification: 'month-end close' });
  b.grant('MEMBER_OF', 'bot:pagerly-responder', 'grp:oncall', {
    by: 'human:lucia',
    status: 'PENDING',
    grantedDaysAgo: 2,
    justification: 'let Pagerly acknowledge alerts and run runbooks',
  });

  b.identity('sa:old-jenkins', { kind: 'SERVICE_ACCOUNT', environment: 'prod', owner: 'team:platform', status: 'DISABLED', description: 'The Jenkins that CI replaced', lastSeenDaysAgo: 400 });
  b.credential('cred:old-jenkins-password', { kind: 'PASSWORD', authenticates: 'sa:old-jenkins', owner: 'team:platform', issuedDaysAgo: 1300, lastUsedDaysAgo: 400, revokedDaysAgo: 395 });
  b.grant('HAS_ROLE', 'sa:old-jenkins', 'role:ci-platform-deployer', { by: 'human:kofi', domain: 'svc:ci-platform', grantedDaysAgo: 1300 });
}
