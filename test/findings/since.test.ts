/**
 * The specification of `findingsSince` (`--since`): on a fixture with a known history, judged at T0 against
 * T0 − 30 days, a grant revoked 10 days ago resolves its finding, a credential that expired 5 days ago makes
 * a new one, and a problem that did not change stays.
 */
import { describe, expect, it } from 'vitest';
import { findingsSince, parseSince } from '../../src/findings/since.js';
import { DEFAULT_THRESHOLDS } from '../../src/findings/thresholds.js';
import { IdGraphError } from '../../src/model/errors.js';
import type { Caller } from '../../src/auth/caller.js';
import { FindingsInput } from '../../src/findings/index.js';
import { revokeGrant } from '../../src/governance/grant-mutations.js';
import { GraphWriter } from '../../src/governance/graph-writer.js';
import { importLines } from '../../src/interchange/import.js';
import { formatLine } from '../../src/model/interchange.js';
import { Projection } from '../../src/projection/projection.js';
import { DEMO_MESSES, demoEstate } from '../../seed/demo-estate.js';
import { day, dayMs } from '../support/estate.js';
import { tempStore } from '../support/temp-store.js';
import { AT, cleanEstate, findingsOf, freshCredential, guardrails, ids, inputOf, localGrant } from './fixture.js';

const DAY = 86_400_000;

/**
 * The clean estate with three histories:
 * - wl:pay-dev-api (dev) held prod writes through a grant revoked 10 days ago by the security team;
 * - cred:pay-dev-token, stored in dev Payments, expired 5 days ago and was never revoked;
 * - cred:pay-legacy-key, issued 100 days ago, never expires.
 */
function history() {
  return cleanEstate()
    .hasRole('wl:pay-dev-api', 'role:pay-writer', localGrant('svc:pay', { status: 'REVOKED', grantedAt: day(-60), revokedAt: day(-10), revokedBy: 'human:sec' }))
    .credential('cred:pay-dev-token', freshCredential('ACCESS_TOKEN', { issuedAt: day(-60), expiresAt: day(-5), lastUsedAt: day(-6) }))
    .owns('team:pay', 'cred:pay-dev-token')
    .authenticates('cred:pay-dev-token', 'wl:pay-dev-api')
    .holds('svc:pay-dev', 'cred:pay-dev-token')
    .credential('cred:pay-legacy-key', freshCredential('CERTIFICATE', { issuedAt: day(-100), expiresAt: undefined }))
    .owns('team:pay', 'cred:pay-legacy-key')
    .authenticates('cred:pay-legacy-key', 'wl:pay-api');
}

describe('findingsSince', () => {
  const since = findingsSince(inputOf(history().build()), DEFAULT_THRESHOLDS, { at: AT, sinceMs: parseSince('30d') });

  it('reports as resolved the finding of a grant revoked 10 days ago, as it was then', () => {
    expect(ids(since.resolved)).toEqual(['environment-isolation:wl:pay-dev-api:grant:HAS_ROLE:role:pay-writer']);
    expect(since.resolved[0]?.evidence.path?.nodes).toEqual(['wl:pay-dev-api', 'role:pay-writer', 'scope:pay:tx:read']);
  });

  it('reports as new the finding of a credential that expired 5 days ago and is still stored', () => {
    expect(ids(since.new)).toEqual(['improper-offboarding:cred:pay-dev-token:expired-unrevoked']);
  });

  it('reports as stayed a problem that did not change', () => {
    expect(ids(since.stayed)).toEqual(['long-lived-secret:cred:pay-legacy-key:no-expiry']);
  });

  it('agrees with plain runs at both instants', () => {
    const now = findingsOf(history(), 'environment-isolation', DEFAULT_THRESHOLDS, { at: AT });
    expect(now).toEqual([]);
    const input = inputOf(history().build());
    const both = findingsSince(input, DEFAULT_THRESHOLDS, { at: AT, sinceMs: 30 * DAY });
    expect(ids([...both.new, ...both.stayed]).sort()).toEqual(ids(findingsOf(history(), 'improper-offboarding').concat(findingsOf(history(), 'long-lived-secret'))).sort());
  });

  it('sees nothing of a grant before it was granted', () => {
    // 90 days back, the revoked grant (granted 60 days ago) was not live yet: no finding then, none now.
    const longAgo = findingsSince(inputOf(history().build()), DEFAULT_THRESHOLDS, { at: AT, sinceMs: parseSince('90d') });
    expect(ids(longAgo.resolved)).toEqual([]);
  });

  it('compares other instants than the input’s own', () => {
    // From T0 − 20 d back to T0 − 50 d the grant was live at both: its findings stayed; the token was live then.
    const earlier = findingsSince(inputOf(history().build()), DEFAULT_THRESHOLDS, { at: dayMs(-20), sinceMs: parseSince('30d') });
    expect(ids(earlier.stayed)).toContain('environment-isolation:wl:pay-dev-api:grant:HAS_ROLE:role:pay-writer');
    expect(ids(earlier.new)).toEqual([]);
    expect(ids(earlier.resolved)).toEqual([]);
  });

  it('rejects a since that is not positive', () => {
    expect(() => findingsSince(inputOf(history().build()), DEFAULT_THRESHOLDS, { at: AT, sinceMs: 0 })).toThrow(IdGraphError);
  });
});

describe('findingsSince over a store with a governance revocation', () => {
  it('reports as resolved what a revoke of the security team ended, from the records it wrote', async () => {
    const anchor = new Date('2026-11-23T00:00:00Z');
    const store = await tempStore();
    await importLines(store, demoEstate(anchor).map(formatLine), { source: 'demo estate', action: 'seed' });
    const projection = await Projection.build(store);
    const deps = { store, projection, writer: new GraphWriter(store, projection), guardrails: guardrails() };
    const securityTeam: Caller = { subject: 'sam', issuer: 'test', roles: ['central-admin'], services: [] };
    const { identity, role } = DEMO_MESSES.devToProd;
    const revokedAt = anchor.getTime() + 3_600_000;
    await revokeGrant(deps, { caller: securityTeam, requestId: 'since-1', now: revokedAt }, { type: 'HAS_ROLE', from: identity, to: role, key: '' }, 'dev must not reach prod');

    const at = revokedAt + 3_600_000;
    const input = await FindingsInput.load(store, projection, { at, guardrails: guardrails() });
    const since = findingsSince(input, DEFAULT_THRESHOLDS, { at, sinceMs: parseSince('2h') });
    expect(ids(since.resolved)).toEqual(expect.arrayContaining([`environment-isolation:${identity}:grant:HAS_ROLE:${role}`, `guardrail-drift:${identity}:grant:HAS_ROLE:${role}`]));
    expect(since.resolved.every((f) => f.subject.id === identity)).toBe(true);
    expect(ids(since.new)).toEqual([]);
  });
});

describe('parseSince', () => {
  it('reads days, hours, minutes and seconds as ms', () => {
    expect([parseSince('30d'), parseSince('12h'), parseSince('15m'), parseSince('90s')]).toEqual([30 * DAY, 12 * 3_600_000, 15 * 60_000, 90_000]);
  });

  it('rejects anything else, quoting it', () => {
    expect(() => parseSince('a month')).toThrow('since must be a duration such as 30m, 8h or 7d, got "a month"');
    expect(() => parseSince('0d')).toThrow(IdGraphError);
  });
});
