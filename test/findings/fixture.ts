/**
 * What the findings tests share: an input from a fixture estate at a fixed instant, the ids of a run, and
 * a small well-governed estate that yields no findings (each rule spec breaks it in one place).
 */
import type { EdgeRecord, NodeRecord } from '../../src/model/records.js';
import { FindingsInput, runFindings, type Finding, type RuleId, type Thresholds } from '../../src/findings/index.js';
import { DEFAULT_THRESHOLDS } from '../../src/findings/thresholds.js';
import { loadGuardrails, type Guardrails } from '../../src/policy/index.js';
import { Projection } from '../../src/projection/projection.js';
import { day, dayMs, estate, type EstateBuilder } from '../support/estate.js';

/** Every fixture is judged at T0 (2026-01-01). */
export const AT = dayMs(0);

let loaded: Guardrails | undefined;
/** The default guardrails of policy/, loaded once. */
export function guardrails(): Guardrails {
  loaded ??= loadGuardrails();
  return loaded;
}

export function inputOf(records: { nodes: readonly NodeRecord[]; edges: readonly EdgeRecord[] }, options: { at?: number; guardrails?: Guardrails } = {}): FindingsInput {
  return FindingsInput.fromRecords(records.nodes, records.edges, Projection.fromRecords(records.nodes, records.edges), {
    at: options.at ?? AT,
    guardrails: options.guardrails,
  });
}

/** The findings of one rule over a fixture estate. */
export function findingsOf(b: EstateBuilder, rule: RuleId, thresholds: Thresholds = DEFAULT_THRESHOLDS, options: { at?: number; guardrails?: Guardrails } = {}): Finding[] {
  return runFindings(inputOf(b.build(), options), thresholds, { rules: [rule] });
}

/** The ids of findings, for `toEqual`. */
export const ids = (findings: readonly Finding[]): string[] => findings.map((f) => f.id);

/** A live grant with its provenance, LOCAL to `domain`. */
export function localGrant(domain: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { origin: 'LOCAL', domain, status: 'ACTIVE', grantedBy: 'human:lead', grantedAt: day(-30), ...extra };
}

/** A credential issued 30 days ago that expires in 60 and was used yesterday. */
export function freshCredential(kind: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind, issuedAt: day(-30), expiresAt: day(60), lastUsedAt: day(-1), ...extra };
}

/**
 * A small, well-governed estate: one team owns a prod and a dev service, each with its workload (which the
 * service runs as, with a certificate the service holds) and a deployer (a direct grant of ADMIN, an OAuth
 * client that expires); a person in a team group with reads; a vendor account reading a LOW scope.
 * Every credential expires within the rotation period and is in use; every grant is direct and recent.
 */
export function cleanEstate(): EstateBuilder {
  const b = estate()
    .owner('team:pay', { kind: 'TEAM', status: 'ACTIVE' })
    .service('svc:pay', { environment: 'prod', criticality: 'CRITICAL', status: 'ACTIVE' })
    .service('svc:pay-dev', { environment: 'dev', criticality: 'LOW', status: 'ACTIVE' })
    .owns('team:pay', 'svc:pay')
    .owns('team:pay', 'svc:pay-dev');
  for (const [svc, env, sensitivity] of [
    ['pay', 'prod', 'CRITICAL'],
    ['pay-dev', 'dev', 'LOW'],
  ] as const) {
    const service = `svc:${svc}`;
    b.scope(`scope:${svc}:tx:read`, { level: 'READ', sensitivity })
      .scope(`scope:${svc}:tx:write`, { level: 'WRITE', sensitivity })
      .scope(`scope:${svc}:deploy:admin`, { level: 'ADMIN', sensitivity })
      .on(`scope:${svc}:tx:read`, service)
      .on(`scope:${svc}:tx:write`, service)
      .on(`scope:${svc}:deploy:admin`, service)
      .role(`role:${svc}-writer`, { origin: 'LOCAL', service })
      .role(`role:${svc}-deployer`, { origin: 'LOCAL', service })
      .grants(`role:${svc}-writer`, `scope:${svc}:tx:read`, { origin: 'LOCAL' })
      .grants(`role:${svc}-writer`, `scope:${svc}:tx:write`, { origin: 'LOCAL' })
      .grants(`role:${svc}-deployer`, `scope:${svc}:deploy:admin`, { origin: 'LOCAL' })
      .identity(`wl:${svc}-api`, { kind: 'WORKLOAD', environment: env, status: 'ACTIVE', lastSeenAt: day(-1) })
      .owns('team:pay', `wl:${svc}-api`)
      .runsAs(service, `wl:${svc}-api`)
      .hasRole(`wl:${svc}-api`, `role:${svc}-writer`, localGrant(service, { lastUsedAt: day(-1) }))
      .credential(`cred:${svc}-api-cert`, freshCredential('CERTIFICATE'))
      .owns('team:pay', `cred:${svc}-api-cert`)
      .authenticates(`cred:${svc}-api-cert`, `wl:${svc}-api`)
      .holds(service, `cred:${svc}-api-cert`)
      .identity(`sa:${svc}-deployer`, { kind: 'SERVICE_ACCOUNT', environment: env, status: 'ACTIVE', lastSeenAt: day(-2) })
      .owns('team:pay', `sa:${svc}-deployer`)
      .hasRole(`sa:${svc}-deployer`, `role:${svc}-deployer`, localGrant(service))
      .credential(`cred:${svc}-deployer-oauth`, freshCredential('OAUTH_CLIENT'))
      .owns('team:pay', `cred:${svc}-deployer-oauth`)
      .authenticates(`cred:${svc}-deployer-oauth`, `sa:${svc}-deployer`);
  }
  return b
    .identity('human:ann', { kind: 'HUMAN', environment: 'corp', status: 'ACTIVE' })
    .owns('team:pay', 'human:ann')
    .group('grp:pay')
    .memberOf('human:ann', 'grp:pay', { origin: 'CENTRAL', status: 'ACTIVE', grantedAt: day(-100) })
    .hasRole('grp:pay', 'role:pay-writer', localGrant('svc:pay'))
    .vendor('vendor:acme', { status: 'ACTIVE' })
    .identity('sa:acme-sync', { kind: 'SERVICE_ACCOUNT', environment: 'prod', status: 'ACTIVE', lastSeenAt: day(-1) })
    .owns('team:pay', 'sa:acme-sync')
    .operates('vendor:acme', 'sa:acme-sync')
    .scope('scope:pay:reports:read', { level: 'READ', sensitivity: 'LOW' })
    .on('scope:pay:reports:read', 'svc:pay')
    .role('role:pay-reports', { origin: 'LOCAL', service: 'svc:pay' })
    .grants('role:pay-reports', 'scope:pay:reports:read', { origin: 'LOCAL' })
    .hasRole('sa:acme-sync', 'role:pay-reports', localGrant('svc:pay'));
}
