/**
 * What makes the Payments CI key the estate's headline blast radius. The generated estate already gives
 * `cred:payments-ci-key` → `sa:payments-ci` → CAN_ASSUME `sa:payments-deployer`; this adds the grants that
 * accumulated on top (a release role with inheritance, a cross-team ledger grant, both expiring), the
 * secrets that the Payments service stores, and the key's revoked predecessor.
 */
import type { EstateBuilder } from './estate-builder.js';
import { ciKeyAgeDays } from './services.js';

/** The headline path, hop by hop, for the story and the tests. */
export const PAYMENTS_CI_KEY_PATH = {
  credential: 'cred:payments-ci-key',
  identity: 'sa:payments-ci',
  /** HAS_ROLE, expiring in 45 days; INHERITS payments-deployer → writer → reader. */
  releaseRole: 'role:payments-release',
  deployerRole: 'role:payments-deployer',
  adminScope: 'scope:payments:deploy:admin',
  /** CRITICAL; its ADMIN scope's ON edge hands over what it RUNS_AS and HOLDS. */
  service: 'svc:payments',
  runsAs: 'wl:payments-api',
  held: ['cred:payments-api-cert', 'cred:payments-settlements-oauth', 'cred:payments-db-password', 'cred:notifications-webhook-secret'],
  /** HAS_ROLE role:ledger-writer, expiring in 30 days: the CRITICAL ledger write. */
  ledgerScope: 'scope:ledger:entries:write',
  predecessor: 'cred:payments-ci-key-old',
} as const;

export function addPaymentsBlast(b: EstateBuilder): void {
  b.scope('scope:payments:releases:write', 'WRITE', 'HIGH');
  b.role('role:payments-release', {
    service: 'svc:payments',
    inherits: ['role:payments-deployer'],
    grants: ['scope:payments:releases:write'],
    description: 'Tags releases and deploys them',
  });
  b.grant('HAS_ROLE', 'sa:payments-ci', 'role:payments-release', {
    by: 'human:alice',
    domain: 'svc:payments',
    grantedDaysAgo: 45,
    expiresInDays: 45,
    justification: 'release automation pilot; review at the end of the quarter',
  });
  b.grant('HAS_ROLE', 'sa:payments-ci', 'role:ledger-writer', {
    by: 'human:chen',
    domain: 'svc:ledger',
    grantedDaysAgo: 60,
    expiresInDays: 30,
    justification: 'post fee entries from the payments pipeline until the ledger migration lands',
  });

  // The Payments service stores these; whoever administers it can read them and act as what they open.
  b.identity('sa:payments-settlements-client', { kind: 'SERVICE_ACCOUNT', environment: 'prod', owner: 'team:payments', description: 'Payments submits captured funds for settlement' });
  b.credential('cred:payments-settlements-oauth', { kind: 'OAUTH_CLIENT', authenticates: 'sa:payments-settlements-client', heldBy: ['svc:payments'], owner: 'team:payments', issuedDaysAgo: 520 });
  b.grant('HAS_ROLE', 'sa:payments-settlements-client', 'role:settlements-writer', { by: 'human:chen', domain: 'svc:settlements' });

  b.identity('sa:payments-db', { kind: 'SERVICE_ACCOUNT', environment: 'prod', owner: 'team:payments', description: 'Database account of Payments; also feeds change data to the warehouse' });
  b.credential('cred:payments-db-password', { kind: 'PASSWORD', authenticates: 'sa:payments-db', heldBy: ['svc:payments'], owner: 'team:payments', issuedDaysAgo: 690, rotatedDaysAgo: 180 });
  b.grant('HAS_ROLE', 'sa:payments-db', 'role:data-warehouse-writer', { by: 'human:ivan', domain: 'svc:data-warehouse', justification: 'change-data capture into the warehouse' });

  b.identity('sa:notifications-webhook', { kind: 'SERVICE_ACCOUNT', environment: 'prod', owner: 'team:checkout', description: 'Signs and sends merchant webhooks' });
  b.credential('cred:notifications-webhook-secret', { kind: 'SECRET', authenticates: 'sa:notifications-webhook', heldBy: ['svc:payments', 'svc:notifications'], owner: 'team:checkout' });
  b.grant('HAS_ROLE', 'sa:notifications-webhook', 'role:notifications-writer', { by: 'human:emeka', domain: 'svc:notifications' });

  b.grant('HAS_ROLE', 'wl:payments-api', 'role:fraud-ml-reader', { by: 'human:ivan', domain: 'svc:fraud-ml', justification: 'score every payment' });

  const rotated = ciKeyAgeDays('payments');
  b.credential(PAYMENTS_CI_KEY_PATH.predecessor, {
    kind: 'API_KEY',
    authenticates: 'sa:payments-ci',
    heldBy: ['svc:ci-platform'],
    owner: 'team:payments',
    description: 'The previous Payments CI key, revoked at rotation',
    issuedDaysAgo: rotated + 365,
    lastUsedDaysAgo: rotated,
    revokedDaysAgo: rotated,
  });
}
