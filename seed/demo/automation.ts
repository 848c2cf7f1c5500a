/**
 * The automation around Northwind Pay's services: bots, AI agents, and the two vendors with the
 * identities they operate. Tables, not literals: one row a bot or agent, its roles and its credential.
 */
import { spread, type CredentialKind, type EstateBuilder } from './estate-builder.js';
import { SECURITY_LEAD } from './organisation.js';
import { leadOf } from './services.js';

interface Automaton {
  readonly id: string;
  readonly environment: string;
  readonly owner: string;
  readonly description: string;
  /** Local roles: `role:<service>-<level>`, granted in the domain of that service. */
  readonly roles?: readonly string[];
  /** Service accounts it may act as, granted centrally by the platform lead. */
  readonly assumes?: readonly string[];
  readonly credential?: { readonly kind: CredentialKind; readonly heldBy?: string; readonly expiresInDays?: number };
}

const BOTS: readonly Automaton[] = [
  {
    id: 'bot:release',
    environment: 'prod',
    owner: 'team:platform',
    description: 'Runs the weekly release train',
    assumes: ['sa:checkout-deployer', 'sa:merchant-portal-deployer', 'sa:notifications-deployer'],
    credential: { kind: 'SSH_KEY', heldBy: 'svc:ci-platform' },
  },
  { id: 'bot:dependabot', environment: 'prod', owner: 'team:platform', description: 'Dependency update pull requests', roles: ['role:ci-platform-writer'], credential: { kind: 'ACCESS_TOKEN', expiresInDays: 7 } },
  { id: 'bot:renovate', environment: 'prod', owner: 'team:platform', description: 'Lockfile maintenance', roles: ['role:ci-platform-reader'] },
  { id: 'bot:slack-ops', environment: 'prod', owner: 'team:platform', description: 'ChatOps: posts graphs and runs read-only commands', roles: ['role:observability-reader'], credential: { kind: 'ACCESS_TOKEN', expiresInDays: 60 } },
  { id: 'bot:pager-relay', environment: 'prod', owner: 'team:platform', description: 'Relays alerts to SMS and phone', roles: ['role:notifications-writer'], credential: { kind: 'SECRET', heldBy: 'svc:notifications' } },
  { id: 'bot:backup', environment: 'prod', owner: 'team:data', description: 'Nightly backups of the warehouse and the ledger', roles: ['role:data-warehouse-reader', 'role:ledger-reader'], credential: { kind: 'SSH_KEY', heldBy: 'svc:data-warehouse' } },
  { id: 'bot:cert-renewer', environment: 'prod', owner: 'team:platform', description: 'Renews TLS certificates and pushes them through CI', roles: ['role:ci-platform-writer'], credential: { kind: 'API_KEY', expiresInDays: 90 } },
  { id: 'bot:changelog', environment: 'prod', owner: 'team:platform', description: 'Writes release notes from merged pull requests', roles: ['role:ci-platform-reader'] },
  { id: 'bot:dw-sync', environment: 'prod', owner: 'team:data', description: 'Copies payments and ledger data into the warehouse', roles: ['role:data-warehouse-writer', 'role:payments-reader', 'role:ledger-reader'], credential: { kind: 'PASSWORD', heldBy: 'svc:data-warehouse' } },
  { id: 'bot:chargeback-sync', environment: 'prod', owner: 'team:payments', description: 'Imports chargebacks from the card schemes', roles: ['role:payments-writer'], credential: { kind: 'SECRET', heldBy: 'svc:payments' } },
  { id: 'bot:sandbox-reset', environment: 'dev', owner: 'team:checkout', description: 'Resets the dev sandboxes every night', roles: ['role:payments-dev-writer', 'role:checkout-dev-writer'] },
  { id: 'bot:status-page', environment: 'prod', owner: 'team:platform', description: 'Updates the public status page from alerts', roles: ['role:observability-reader'], credential: { kind: 'API_KEY' } },
];

const AGENTS: readonly Automaton[] = [
  { id: 'agent:support-copilot', environment: 'prod', owner: 'team:support', description: 'Drafts answers to support tickets (LLM agent)', credential: { kind: 'ACCESS_TOKEN', expiresInDays: 1 } },
  { id: 'agent:deploy-copilot', environment: 'prod', owner: 'person:tomas-novak', description: 'Watches releases and proposes rollbacks (LLM agent)', credential: { kind: 'OAUTH_CLIENT', heldBy: 'svc:ci-platform' } },
  { id: 'agent:code-reviewer', environment: 'prod', owner: 'team:platform', description: 'Reviews pull requests (LLM agent)', roles: ['role:ci-platform-reader'], credential: { kind: 'ACCESS_TOKEN', expiresInDays: 3 } },
  { id: 'agent:finops-analyst', environment: 'prod', owner: 'person:raj-patel', description: 'Answers revenue questions from the warehouse (LLM agent)', roles: ['role:data-warehouse-reader', 'role:ledger-reader'], credential: { kind: 'ACCESS_TOKEN', expiresInDays: 5 } },
  { id: 'agent:incident-responder', environment: 'prod', owner: 'team:platform', description: 'Triages alerts and runs runbooks (LLM agent)', credential: { kind: 'ACCESS_TOKEN', expiresInDays: 2 } },
  { id: 'agent:kyc-reviewer', environment: 'prod', owner: 'team:identity', description: 'Pre-screens KYC documents (LLM agent)', roles: ['role:kyc-reader'], credential: { kind: 'ACCESS_TOKEN', expiresInDays: 4 } },
  { id: 'agent:test-writer', environment: 'dev', owner: 'team:checkout', description: 'Writes and runs integration tests in dev (LLM agent)', roles: ['role:checkout-dev-writer'] },
];

/** Bots and AI agents with their roles and credentials; the vendors and what they operate. */
export function addAutomation(b: EstateBuilder): void {
  for (const bot of BOTS) addAutomaton(b, bot, 'BOT');
  b.group('grp:ai-agents', 'Every AI agent: a floor of read access');
  b.grant('HAS_ROLE', 'grp:ai-agents', 'role:viewer', { by: SECURITY_LEAD });
  for (const agent of AGENTS) {
    addAutomaton(b, agent, 'AI_AGENT');
    b.grant('MEMBER_OF', agent.id, 'grp:ai-agents', { by: SECURITY_LEAD });
  }
  b.grant('MEMBER_OF', 'agent:incident-responder', 'grp:oncall', {
    by: 'human:lucia',
    expiresInDays: 14,
    justification: 'pilot: the agent joins the on-call rotation for a month',
  });
  addVendors(b);
}

function addVendors(b: EstateBuilder): void {
  b.identity('sa:clearpath-kyc-sync', { kind: 'SERVICE_ACCOUNT', environment: 'prod', owner: 'team:identity', description: 'ClearPath pulls documents and pushes verdicts' });
  b.identity('sa:clearpath-webhook', { kind: 'SERVICE_ACCOUNT', environment: 'prod', owner: 'team:identity', description: 'ClearPath verdict callbacks' });
  b.vendor('vendor:clearpath', { name: 'ClearPath Identity', description: 'KYC and document verification provider', operates: ['sa:clearpath-kyc-sync', 'sa:clearpath-webhook'] });
  b.credential('cred:clearpath-oauth', { kind: 'OAUTH_CLIENT', authenticates: 'sa:clearpath-kyc-sync', owner: 'team:identity', issuedDaysAgo: 410 });
  b.credential('cred:clearpath-webhook-secret', { kind: 'SECRET', authenticates: 'sa:clearpath-webhook', heldBy: ['svc:kyc'], owner: 'team:identity' });
  b.grant('HAS_ROLE', 'sa:clearpath-webhook', 'role:kyc-writer', { by: 'human:gustav', domain: 'svc:kyc', justification: 'write verdicts back' });

  b.identity('sa:pagerly-integration', { kind: 'SERVICE_ACCOUNT', environment: 'prod', owner: 'team:platform', description: 'Pagerly reads alerts' });
  b.identity('bot:pagerly-responder', { kind: 'BOT', environment: 'prod', owner: 'team:platform', description: 'Pagerly auto-responder' });
  b.vendor('vendor:pagerly', { name: 'Pagerly', description: 'Incident management and paging', operates: ['sa:pagerly-integration', 'bot:pagerly-responder'] });
  b.credential('cred:pagerly-api-key', { kind: 'API_KEY', authenticates: 'sa:pagerly-integration', owner: 'team:platform', heldBy: ['svc:observability'] });
  b.grant('HAS_ROLE', 'sa:pagerly-integration', 'role:observability-reader', { by: 'human:kofi', domain: 'svc:observability' });
}

function addAutomaton(b: EstateBuilder, a: Automaton, kind: 'BOT' | 'AI_AGENT'): void {
  b.identity(a.id, { kind, environment: a.environment, owner: a.owner, description: a.description });
  for (const role of a.roles ?? []) {
    const service = serviceOfRole(role);
    b.grant('HAS_ROLE', a.id, role, { by: leadOf(service), domain: service });
  }
  for (const target of a.assumes ?? []) {
    b.grant('CAN_ASSUME', a.id, target, { by: 'human:kofi', justification: 'release train' });
  }
  if (a.credential === undefined) return;
  const short = a.credential.kind === 'ACCESS_TOKEN';
  b.credential(`cred:${a.id.slice(a.id.indexOf(':') + 1)}-${credentialSuffix(a.credential.kind)}`, {
    kind: a.credential.kind,
    authenticates: a.id,
    owner: a.owner,
    heldBy: a.credential.heldBy === undefined ? [] : [a.credential.heldBy],
    issuedDaysAgo: short ? spread(a.id, 1, 6, 24) : spread(a.id, 40, 500),
    expiresInDays: a.credential.expiresInDays,
  });
}

/** `role:payments-dev-writer` → `svc:payments-dev`. */
function serviceOfRole(role: string): string {
  return `svc:${role.slice('role:'.length, role.lastIndexOf('-'))}`;
}

function credentialSuffix(kind: CredentialKind): string {
  const suffixes: Record<CredentialKind, string> = {
    API_KEY: 'key',
    OAUTH_CLIENT: 'oauth',
    ACCESS_TOKEN: 'token',
    CERTIFICATE: 'cert',
    SSH_KEY: 'ssh',
    PASSWORD: 'password',
    SECRET: 'secret',
  };
  return suffixes[kind];
}
