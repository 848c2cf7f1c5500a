/** Drift: the existing grants that today's guardrails would deny, on the demo estate and on the shop fixture. */
import { recordsOf } from '../../src/model/interchange.js';
import { describe, expect, it } from 'vitest';
import { Projection } from '../../src/projection/projection.js';
import { graphPropsOf, guardrailViolations, type GuardrailViolationsResult } from '../../src/policy/index.js';
import { DEMO_MESSES, demoEstate } from '../../seed/demo-estate.js';
import { estate, T0 } from '../support/estate.js';
import { guardrails } from './fixture.js';

const ANCHOR = new Date('2026-11-23T00:00:00Z');
const lines = demoEstate(ANCHOR);
const { nodes, edges } = recordsOf(lines);
const demo = Projection.fromRecords(nodes, edges);
const demoProps = graphPropsOf(nodes, edges);

/** Each entry as `TYPE from -> to: policy ids`, the way a report line reads. */
const summary = (result: GuardrailViolationsResult) => result.entries.map((e) => `${e.edge.type} ${e.edge.from} -> ${e.edge.to}: ${e.policyIds.join(', ')}`);

describe('guardrailViolations on the demo estate', () => {
  const result = guardrailViolations(demo, demoProps, guardrails(), ANCHOR.getTime());

  it('lists the planted violations: the vendor path to CRITICAL, the dev→prod grant, the orphan’s grants', () => {
    const { vendorToCritical: vendor, devToProd, orphanedServiceAccount: orphan } = DEMO_MESSES;
    expect(summary(result)).toEqual(
      expect.arrayContaining([
        `MEMBER_OF ${vendor.identity} -> ${vendor.group}: vendor-never-critical`,
        `HAS_ROLE ${vendor.group} -> ${vendor.role}: vendor-never-critical`,
        `HAS_ROLE ${devToProd.identity} -> ${devToProd.role}: dev-never-prod`,
        `HAS_ROLE ${orphan.identity} -> role:data-warehouse-reader: owner-required`,
        `HAS_ROLE ${orphan.identity} -> role:payments-reader: owner-required`,
      ]),
    );
  });

  it('lists nothing else but a dev AI agent that reads prod dashboards through grp:ai-agents', () => {
    expect(summary(result)).toEqual([
      'MEMBER_OF agent:test-writer -> grp:ai-agents: dev-never-prod',
      'HAS_ROLE grp:ai-agents -> role:viewer: dev-never-prod',
      'HAS_ROLE grp:kyc-partners -> role:kyc-partner: vendor-never-critical',
      'MEMBER_OF sa:clearpath-kyc-sync -> grp:kyc-partners: vendor-never-critical',
      'HAS_ROLE sa:reporting-export -> role:data-warehouse-reader: owner-required',
      'HAS_ROLE sa:reporting-export -> role:payments-reader: owner-required',
      'HAS_ROLE wl:checkout-dev-api -> role:payments-writer: dev-never-prod',
    ]);
    expect(result.checked).toBe(224);
  });

  it('says who each grant was decided as, why, and on which facts', () => {
    const entry = result.entries.find((e) => e.edge.from === DEMO_MESSES.devToProd.identity)!;
    expect(entry.edge).toMatchObject({ origin: 'LOCAL', domain: 'svc:payments', key: '' });
    expect(entry.actor).toEqual({ id: 'drift:owner-of:svc:payments', roles: ['service-owner'], services: ['svc:payments'] });
    expect(entry.reasons).toEqual(['a dev identity never gets a scope on a prod service']);
    expect(entry.facts().scopeEnvironments).toEqual(['prod']);
    const vendor = result.entries.find((e) => e.edge.from === DEMO_MESSES.vendorToCritical.identity)!;
    expect(vendor.facts().scopes).toContain(DEMO_MESSES.vendorToCritical.scope);
    expect(vendor.facts().maxSensitivity).toBe('CRITICAL');
  });

  it('is deterministic', () => {
    const again = guardrailViolations(demo, demoProps, guardrails(), ANCHOR.getTime());
    const plain = (r: typeof result) => ({ ...r, entries: r.entries.map((e) => ({ ...e, facts: e.facts() })) });
    expect(plain(again)).toEqual(plain(result));
  });

  it('holds standing grants to the TTL rules only when asked, which flags nearly every one', () => {
    const withTtl = guardrailViolations(demo, demoProps, guardrails(), ANCHOR.getTime(), { ttl: true });
    expect(withTtl.entries.length).toBeGreaterThan(result.entries.length);
    expect(withTtl.entries.filter((e) => e.policyIds.includes('grant-ttl-required')).length).toBeGreaterThan(100);
  });
});

describe('guardrailViolations', () => {
  const { nodes: shopNodes, edges: shopEdges } = estate()
    .owner('team:t').vendor('vendor:v').service('svc:s', { environment: 'prod' }).service('svc:other', { environment: 'prod' })
    .scope('scope:crit', { sensitivity: 'CRITICAL' }).on('scope:crit', 'svc:s')
    .role('role:crit', { origin: 'LOCAL', service: 'svc:s' }).grants('role:crit', 'scope:crit')
    .identity('sa:v1').owns('team:t', 'sa:v1').operates('vendor:v', 'sa:v1')
    .identity('sa:v2').owns('team:t', 'sa:v2').operates('vendor:v', 'sa:v2')
    .identity('sa:v3').owns('team:t', 'sa:v3').operates('vendor:v', 'sa:v3')
    .identity('sa:fine').owns('team:t', 'sa:fine')
    .hasRole('sa:v3', 'role:crit', { origin: 'LOCAL', domain: 'svc:s', expiresAt: '2025-12-01T00:00:00Z' })
    .hasRole('sa:v2', 'role:crit', { origin: 'LOCAL', domain: 'svc:s', status: 'REVOKED' })
    .hasRole('sa:v1', 'role:crit', { id: 'b', origin: 'LOCAL', domain: 'svc:s' })
    .hasRole('sa:v1', 'role:crit', { id: 'a', origin: 'CENTRAL' })
    .hasRole('sa:fine', 'role:crit', { origin: 'LOCAL', domain: 'svc:other' })
    .build();
  const adj = Projection.fromRecords(shopNodes, shopEdges);
  const result = guardrailViolations(adj, graphPropsOf(shopNodes, shopEdges), guardrails(), T0);

  it('skips grants that are not live (expired, revoked), and sorts by grantee, target, type and key', () => {
    expect(result.checked).toBe(3);
    expect(result.entries.map((e) => [e.edge.from, e.edge.key, e.policyIds])).toEqual([
      ['sa:fine', '', ['local-actor-own-service']],
      ['sa:v1', 'a', ['vendor-never-critical']],
      ['sa:v1', 'b', ['vendor-never-critical']],
    ]);
  });

  it('decides a LOCAL grant as the owner of its domain and a CENTRAL one as a central admin', () => {
    expect(result.entries.map((e) => e.actor.id)).toEqual(['drift:owner-of:svc:other', 'drift:central-admin', 'drift:owner-of:svc:s']);
  });
});
