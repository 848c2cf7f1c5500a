/**
 * Northwind Pay's services, generated from one table: each in prod and in dev, with its scopes, its local
 * role ladder (deployer → writer → reader), its workload identity, its deployer account and the
 * credentials they use. Prod services also get a worker, a CI account and a CI key.
 */
import { invariant } from '../../src/model/errors.js';
import type { ScopeLevel, Severity } from '../../src/model/vocabulary.js';
import { spread, type CredentialSpec, type EstateBuilder } from './estate-builder.js';
import { teamOf } from './organisation.js';

export interface ServiceDef {
  readonly slug: string;
  readonly name: string;
  readonly team: string;
  readonly criticality: Severity;
  /** The main resource its scopes act on: `scope:<slug>:<resource>:read`. */
  readonly resource: string;
  readonly description: string;
}

export const SERVICES: readonly ServiceDef[] = [
  def('payments', 'Payments API', 'payments', 'CRITICAL', 'transactions', 'Authorises and captures card payments, issues refunds'),
  def('ledger', 'Ledger', 'ledger', 'CRITICAL', 'entries', 'The double-entry ledger of every money movement'),
  def('settlements', 'Settlements', 'ledger', 'CRITICAL', 'payouts', 'Pays merchants out through the partner banks'),
  def('identity', 'Identity', 'identity', 'CRITICAL', 'users', 'Customer and merchant accounts, login and MFA'),
  def('checkout', 'Checkout', 'checkout', 'HIGH', 'carts', 'Hosted checkout pages and the checkout SDK backend'),
  def('merchant-portal', 'Merchant Portal', 'checkout', 'HIGH', 'merchants', 'Where merchants see payments and manage keys'),
  def('kyc', 'KYC', 'identity', 'HIGH', 'documents', 'Know-your-customer checks on merchants'),
  def('fraud-ml', 'Fraud ML', 'data', 'HIGH', 'models', 'Scores every payment for fraud'),
  def('data-warehouse', 'Data Warehouse', 'data', 'HIGH', 'tables', 'Analytics copy of payments, ledger and customers'),
  def('ci-platform', 'CI Platform', 'platform', 'HIGH', 'pipelines', 'Builds, tests and deploys everything; stores deploy secrets'),
  def('notifications', 'Notifications', 'checkout', 'MEDIUM', 'messages', 'Receipts, emails, SMS and webhooks to merchants'),
  def('observability', 'Observability', 'platform', 'MEDIUM', 'dashboards', 'Metrics, logs, traces and alerting'),
  def('support-desk', 'Support Desk', 'support', 'MEDIUM', 'tickets', 'Customer support tickets and account tools'),
];

export const ENVIRONMENTS = ['prod', 'dev'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The slug of a service in an environment: `payments` in prod, `payments-dev` in dev. */
export function slugIn(slug: string, env: Environment): string {
  return env === 'prod' ? slug : `${slug}-dev`;
}

/** Every service of the table, in both environments, with what lives around it. */
export function addServices(b: EstateBuilder): void {
  for (const service of SERVICES) {
    for (const env of ENVIRONMENTS) addService(b, service, env);
  }
}

function addService(b: EstateBuilder, d: ServiceDef, env: Environment): void {
  const team = teamOf(d.team);
  const s = slugIn(d.slug, env);
  const svc = `svc:${s}`;
  const prod = env === 'prod';
  const local = { by: team.lead, domain: svc };

  b.service(svc, {
    environment: env,
    criticality: prod ? d.criticality : 'LOW',
    owner: team.id,
    name: prod ? d.name : `${d.name} (dev)`,
    description: d.description,
  });

  const read = `scope:${s}:${d.resource}:read`;
  const write = `scope:${s}:${d.resource}:write`;
  const deploy = `scope:${s}:deploy:admin`;
  b.scope(read, 'READ', sensitivity(d.criticality, 'READ', env));
  b.scope(write, 'WRITE', sensitivity(d.criticality, 'WRITE', env));
  b.scope(deploy, 'ADMIN', sensitivity(d.criticality, 'ADMIN', env));
  b.role(`role:${s}-reader`, { service: svc, grants: [read] });
  b.role(`role:${s}-writer`, { service: svc, inherits: [`role:${s}-reader`], grants: [write] });
  b.role(`role:${s}-deployer`, { service: svc, inherits: [`role:${s}-writer`], grants: [deploy], description: `Deploys and administers ${d.name}` });

  // The runtime identity of the service: whoever controls the service acts as it.
  const api = `wl:${s}-api`;
  b.identity(api, { kind: 'WORKLOAD', environment: env, owner: team.id, description: `${d.name} runtime` });
  b.edge('RUNS_AS', svc, api);
  b.grant('HAS_ROLE', api, `role:${s}-writer`, local);
  b.credential(`cred:${s}-api-cert`, certificate(`cred:${s}-api-cert`, api, svc, team.id));

  const deployer = `sa:${s}-deployer`;
  b.identity(deployer, { kind: 'SERVICE_ACCOUNT', environment: env, owner: team.id, description: `Deploys ${d.name}` });
  b.grant('HAS_ROLE', deployer, `role:${s}-deployer`, { ...local, justification: 'deployments' });
  b.credential(`cred:${s}-deployer-oauth`, {
    kind: 'OAUTH_CLIENT',
    authenticates: deployer,
    heldBy: [`svc:${slugIn('ci-platform', env)}`],
    owner: team.id,
    issuedDaysAgo: spread(deployer, 100, 700),
    lastUsedDaysAgo: spread(deployer, 0, 6, 24),
  });

  b.grant('HAS_ROLE', team.group, `role:${s}-${prod ? 'reader' : 'deployer'}`, local);
  if (!prod) return;

  const worker = `wl:${s}-worker`;
  b.identity(worker, { kind: 'WORKLOAD', environment: env, owner: team.id, description: `${d.name} background jobs` });
  b.grant('HAS_ROLE', worker, `role:${s}-reader`, local);

  const ci = `sa:${s}-ci`;
  b.identity(ci, { kind: 'SERVICE_ACCOUNT', environment: env, owner: team.id, description: `CI pipeline of ${d.name}` });
  b.grant('MEMBER_OF', ci, 'grp:ci-runners', { by: 'human:kofi' });
  b.grant('CAN_ASSUME', ci, deployer, { ...local, justification: 'deploy to prod from the main branch' });
  b.grant('CAN_ASSUME', ci, `sa:${slugIn(d.slug, 'dev')}-deployer`, { ...local, domain: `svc:${slugIn(d.slug, 'dev')}` });
  b.credential(`cred:${s}-ci-key`, {
    kind: 'API_KEY',
    authenticates: ci,
    heldBy: ['svc:ci-platform'],
    owner: team.id,
    description: `${d.name} CI key, stored in the CI platform`,
    issuedDaysAgo: ciKeyAgeDays(s),
    lastUsedDaysAgo: spread(ci, 0, 1, 24),
  });

  b.edge('GRANTS', 'role:security-auditor', read, { origin: 'CENTRAL' });
}

/** Who grants the local roles of a service (`svc:payments` or `svc:payments-dev`): its team's lead. */
export function leadOf(service: string): string {
  const slug = service.slice('svc:'.length).replace(/-dev$/, '');
  const found = SERVICES.find((d) => d.slug === slug);
  invariant(found !== undefined, `service "${service}" is in the demo estate`);
  return teamOf(found.team).lead;
}

/** Days since the CI key of a prod service was issued (its last rotation). */
export function ciKeyAgeDays(slug: string): number {
  return spread(`sa:${slug}-ci`, 30, 300);
}

/** Prod scopes are as sensitive as their service (reads one step less); dev scopes are low. */
function sensitivity(criticality: Severity, level: ScopeLevel, env: Environment): Severity {
  if (env === 'dev') return 'LOW';
  if (level !== 'READ') return criticality;
  const lower: Record<Severity, Severity> = { LOW: 'LOW', MEDIUM: 'LOW', HIGH: 'MEDIUM', CRITICAL: 'HIGH' };
  return lower[criticality];
}

/** A one-year TLS certificate, renewed on a rolling schedule, stored in the service it identifies. */
function certificate(id: string, identity: string, service: string, owner: string): CredentialSpec {
  const expiresInDays = spread(id, 12, 330);
  return {
    kind: 'CERTIFICATE',
    authenticates: identity,
    heldBy: [service],
    owner,
    issuedDaysAgo: 365 - expiresInDays,
    expiresInDays,
  };
}

function def(slug: string, name: string, team: string, criticality: Severity, resource: string, description: string): ServiceDef {
  return { slug, name, team, criticality, resource, description };
}
