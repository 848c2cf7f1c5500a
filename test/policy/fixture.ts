/**
 * The one small estate the guardrail tests share: a shop with prod and dev services, local roles at every
 * sensitivity, a central role, a vendor-operated account, an orphan and an account whose owner departed.
 * Helpers decide a grant in it, so that each test reads as the rule it checks.
 */
import { Projection } from '../../src/projection/projection.js';
import {
  grantFacts,
  graphPropsOf,
  loadGuardrails,
  type Actor,
  type Decision,
  type GrantAction,
  type GrantSubject,
  type Guardrails,
} from '../../src/policy/index.js';
import { T0, estate } from '../support/estate.js';

export const AT = T0;
export const HOUR = 3600;
export const DAY = 86_400;

export const shopOwner: Actor = { id: 'human:shop-lead', roles: ['service-owner'], services: ['svc:shop', 'svc:shop-dev'] };
export const bankOwner: Actor = { id: 'human:bank-lead', roles: ['service-owner'], services: ['svc:bank'] };
export const admin: Actor = { id: 'human:ciso', roles: ['central-admin'], services: [] };
export const analyst: Actor = { id: 'human:analyst', roles: ['analyst'], services: [] };

/** The fixture estate as records, for tests that build their own projection or props. */
export function shopEstate() {
  const local = (service: string) => ({ origin: 'LOCAL', service });
  return estate()
    .owner('team:shop').owner('team:bank').owner('owner:gone', { status: 'DEPARTED' }).vendor('vendor:acme')
    .service('svc:shop', { environment: 'prod' }).service('svc:shop-dev', { environment: 'dev' }).service('svc:bank', { environment: 'prod' })
    .owns('team:shop', 'svc:shop').owns('team:shop', 'svc:shop-dev').owns('team:bank', 'svc:bank')
    .scope('scope:shop:items:read', { level: 'READ', sensitivity: 'LOW' }).on('scope:shop:items:read', 'svc:shop')
    .scope('scope:shop:items:write', { level: 'WRITE', sensitivity: 'MEDIUM' }).on('scope:shop:items:write', 'svc:shop')
    .scope('scope:shop:orders:write', { level: 'WRITE', sensitivity: 'HIGH' }).on('scope:shop:orders:write', 'svc:shop')
    .scope('scope:shop:deploy:admin', { level: 'ADMIN', sensitivity: 'CRITICAL' }).on('scope:shop:deploy:admin', 'svc:shop')
    .scope('scope:shop-dev:items:write', { level: 'WRITE', sensitivity: 'LOW' }).on('scope:shop-dev:items:write', 'svc:shop-dev')
    .scope('scope:bank:ledger:write', { level: 'WRITE', sensitivity: 'CRITICAL' }).on('scope:bank:ledger:write', 'svc:bank')
    .role('role:shop-reader', local('svc:shop')).grants('role:shop-reader', 'scope:shop:items:read')
    .role('role:shop-writer', local('svc:shop')).inherits('role:shop-writer', 'role:shop-reader').grants('role:shop-writer', 'scope:shop:items:write')
    .role('role:shop-orders', local('svc:shop')).grants('role:shop-orders', 'scope:shop:orders:write')
    .role('role:shop-deployer', local('svc:shop')).inherits('role:shop-deployer', 'role:shop-writer').grants('role:shop-deployer', 'scope:shop:deploy:admin')
    .role('role:shop-dev-writer', local('svc:shop-dev')).grants('role:shop-dev-writer', 'scope:shop-dev:items:write')
    .role('role:bank-writer', local('svc:bank')).grants('role:bank-writer', 'scope:bank:ledger:write')
    .role('role:auditor', { origin: 'CENTRAL' }).grants('role:auditor', 'scope:shop:items:read')
    .role('role:empty', local('svc:shop'))
    .identity('sa:shop-ci', { environment: 'prod' }).owns('team:shop', 'sa:shop-ci')
    .identity('wl:shop-dev-api', { kind: 'WORKLOAD', environment: 'dev' }).owns('team:shop', 'wl:shop-dev-api')
    .identity('sa:acme-sync', { environment: 'prod' }).owns('team:shop', 'sa:acme-sync').operates('vendor:acme', 'sa:acme-sync')
    .identity('sa:orphan', { environment: 'prod' })
    .identity('sa:left-behind', { environment: 'prod' }).owns('owner:gone', 'sa:left-behind')
    .identity('sa:bank-ci', { environment: 'prod' }).owns('team:bank', 'sa:bank-ci')
    .hasRole('sa:bank-ci', 'role:bank-writer', { origin: 'LOCAL', domain: 'svc:bank' })
    .group('grp:partners').memberOf('sa:acme-sync', 'grp:partners', { origin: 'LOCAL', domain: 'svc:shop' })
    .group('grp:builders').memberOf('wl:shop-dev-api', 'grp:builders', { origin: 'CENTRAL', status: 'PENDING' })
    .build();
}

const records = shopEstate();
export const projection = Projection.fromRecords(records.nodes, records.edges);
export const props = graphPropsOf(records.nodes, records.edges);

let loaded: Guardrails | undefined;
/** The default policies, loaded once per test file (Cedar parses the schema in tens of milliseconds). */
export function guardrails(): Guardrails {
  loaded ??= loadGuardrails();
  return loaded;
}

/** A grant subject; `extra` sets its origin, domain or key. */
export function subject(type: GrantSubject['type'], from: string, to: string, extra: Partial<GrantSubject> = {}): GrantSubject {
  return { type, from, to, ...extra };
}

/** Decides `action` on the grant `s` by `actor` with a TTL, in the shop estate at AT. */
export function decideGrant(actor: Actor, s: GrantSubject, ttlSeconds?: number, action: GrantAction = 'grant'): Decision {
  return guardrails().decide({ action, actor, grant: grantFacts(projection, props.node, s, AT), ttlSeconds });
}

/** A local HAS_ROLE of `role` to `grantee` in `domain` (default svc:shop). */
export function localRole(grantee: string, role: string, domain = 'svc:shop'): GrantSubject {
  return subject('HAS_ROLE', grantee, role, { origin: 'LOCAL', domain });
}

/** A central HAS_ROLE of `role` to `grantee`. */
export function centralRole(grantee: string, role: string): GrantSubject {
  return subject('HAS_ROLE', grantee, role, { origin: 'CENTRAL' });
}
