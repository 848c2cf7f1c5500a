/** A findings run: every rule or the chosen ones, sorted by severity then id; the posture summary; the input. */
import { describe, expect, it } from 'vitest';
import { FindingsInput, RULES, RULE_IDS, postureSummary, runFindings, type Finding } from '../../src/findings/index.js';
import { IdGraphError } from '../../src/model/errors.js';
import type { EdgeRecord, NodeRecord } from '../../src/model/records.js';
import { Projection } from '../../src/projection/projection.js';
import type { GraphStore } from '../../src/store/port.js';
import { day } from '../support/estate.js';
import { AT, cleanEstate, freshCredential, ids, inputOf, localGrant } from './fixture.js';

/** The clean estate with a prod password (NHI4 HIGH, NHI7 none), a dev route to prod (NHI8 CRITICAL) and a stale account. */
function messy() {
  return cleanEstate()
    .credential('cred:db-password', freshCredential('PASSWORD'))
    .owns('team:pay', 'cred:db-password')
    .authenticates('cred:db-password', 'sa:pay-deployer')
    .hasRole('wl:pay-dev-api', 'role:pay-writer', localGrant('svc:pay'))
    .identity('sa:acme-sync', { kind: 'SERVICE_ACCOUNT', environment: 'prod', status: 'ACTIVE', lastSeenAt: day(-200) });
}

describe('runFindings', () => {
  it('runs every rule, sorted by severity (CRITICAL first) then id', () => {
    const found = runFindings(inputOf(messy().build()));
    expect(found.map((f) => `${f.severity} ${f.id}`)).toEqual([
      'CRITICAL environment-isolation:wl:pay-dev-api:grant:HAS_ROLE:role:pay-writer',
      'HIGH insecure-authentication:cred:db-password',
      'MEDIUM stale-identity:sa:acme-sync',
    ]);
  });

  it('runs only the rules asked for, and names an unknown one', () => {
    expect(ids(runFindings(inputOf(messy().build()), undefined, { rules: ['stale-identity'] }))).toEqual(['stale-identity:sa:acme-sync']);
    expect(() => runFindings(inputOf(messy().build()), undefined, { rules: ['nhi6' as never] })).toThrow(IdGraphError);
    expect(() => runFindings(inputOf(messy().build()), undefined, { rules: ['nhi6' as never] })).toThrow(/Unknown rule "nhi6"/);
  });

  it('has one module per rule id, each with its OWASP item (null for the extras)', () => {
    expect(RULES.map((r) => r.id).sort()).toEqual([...RULE_IDS].sort());
    expect(Object.fromEntries(RULES.map((r) => [r.id, r.owasp]))).toEqual({
      'improper-offboarding': 'NHI1',
      'secret-leakage': 'NHI2',
      'vulnerable-third-party': 'NHI3',
      'insecure-authentication': 'NHI4',
      'unused-access': 'NHI5',
      'admin-through-inheritance': 'NHI5',
      'overlapping-entitlements': 'NHI5',
      'peer-outlier': 'NHI5',
      'long-lived-secret': 'NHI7',
      'environment-isolation': 'NHI8',
      'identity-reuse': 'NHI9',
      'human-use-of-nhi': 'NHI10',
      'stale-identity': null,
      'guardrail-drift': null,
    });
  });

  it('holds at `at`: before the password was issued there is no password to report', () => {
    const b = messy().credential('cred:db-password', freshCredential('PASSWORD', { issuedAt: day(5) }));
    expect(ids(runFindings(inputOf(b.build()), undefined, { rules: ['insecure-authentication'] }))).toEqual([]);
    expect(ids(runFindings(inputOf(b.build(), { at: AT + 10 * 86_400_000 }), undefined, { rules: ['insecure-authentication'] }))).toEqual([
      'insecure-authentication:cred:db-password',
    ]);
  });
});

describe('postureSummary', () => {
  it('counts by severity and by OWASP item, with the extras under other', () => {
    const summary = postureSummary(runFindings(inputOf(messy().build())));
    expect(summary).toEqual({
      total: 3,
      bySeverity: { CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 0 },
      byOwasp: { NHI1: 0, NHI2: 0, NHI3: 0, NHI4: 1, NHI5: 0, NHI7: 0, NHI8: 1, NHI9: 0, NHI10: 0, other: 1 },
    });
  });

  it('is all zeros for no findings', () => {
    expect(postureSummary([] as Finding[]).total).toBe(0);
  });
});

describe('FindingsInput.load', () => {
  it('reads every node and edge from the store, in batches, and gives the same findings as the records', async () => {
    const { nodes, edges } = messy().build();
    const store = batchingStore(nodes, edges, 3);
    const input = await FindingsInput.load(store, Projection.fromRecords(nodes, edges), { at: AT });
    expect(ids(runFindings(input))).toEqual(ids(runFindings(inputOf({ nodes, edges }))));
  });
});

/** Only what the input reads of a store: the two scans, in batches of `size`. */
function batchingStore(nodes: readonly NodeRecord[], edges: readonly EdgeRecord[], size: number): GraphStore {
  async function* batches<T>(items: readonly T[]): AsyncIterable<T[]> {
    for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
  }
  return { scanNodes: () => batches(nodes), scanEdges: () => batches(edges) } as unknown as GraphStore;
}
