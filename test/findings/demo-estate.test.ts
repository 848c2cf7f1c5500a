/**
 * The specification of the rules against the demo estate: every planted mess (seed/demo/messes.ts) is found
 * by exactly the rules that should find it, and a well-governed estate yields nothing.
 *
 * The mapping, decided from issue 8's definitions:
 * 1. orphanedServiceAccount: the account, live and owned by nobody → NHI1 (no owner), and its grants break
 *    `owner-required` (drift); its password → NHI4 (a prod password) and NHI7 (never expires, 610 days old).
 * 2. staleKey: the SSH key → NHI7 (never expires, 1100 days old) and NHI5 (unused for 246 days); the account
 *    → stale (not seen for 246 days, still holding ledger writes). An SSH key is not a static API key or
 *    secret, so not NHI4.
 * 3. vendorToCritical: the vendor's account → NHI3 (its blast radius reaches a CRITICAL scope), and its
 *    membership and the group's role break `vendor-never-critical` (drift).
 * 4. agentAssumesDeployer: an AI agent is not a human, so not NHI10; it holds ADMIN on prod Payments only
 *    by assuming the deployer, never by a grant of its own → NHI5 admin through inheritance (delegation is
 *    inherited privilege, DESIGN.md Semantics).
 * 5. quietAdminChain: the copilot holds ADMIN five INHERITS down from a read-only role → NHI5 admin through
 *    inheritance (the people of grp:support hold it too, but the NHI rules judge non-human identities).
 * 6. grantOnRetiredService: a live grant of a local role of a retired service → NHI1.
 * 7. expiredUnrevokedToken: not live, so no rule about live secrets sees it; expired, never revoked and
 *    still stored in a service → NHI1 (offboarding left it behind).
 * 8. devToProd: a dev workload that reaches prod Payments → NHI8, and its grant breaks `dev-never-prod` (drift).
 */
import { describe, expect, it } from 'vitest';
import { recordsOf } from '../../src/model/interchange.js';
import { RULE_IDS, postureSummary, runFindings, type Finding } from '../../src/findings/index.js';
import { DEMO_MESSES, demoEstate } from '../../seed/demo-estate.js';
import { cleanEstate, guardrails, ids, inputOf } from './fixture.js';
import { remediationProblems } from './remediation-schema.js';

const ANCHOR = new Date('2026-11-23T00:00:00Z');
const records = recordsOf(demoEstate(ANCHOR));
const findings = runFindings(inputOf(records, { at: ANCHOR.getTime(), guardrails: guardrails() }));

/** For each subject, the rules that report it (sorted), as `rule:discriminator` would be too fine. */
function rulesOf(subjects: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(subjects.map((s) => [s, [...new Set(findings.filter((f) => f.subject.id === s).map((f) => f.rule))].sort()]));
}

function subjectsOf(rule: Finding['rule'], discriminator?: string): string[] {
  return [...new Set(findings.filter((f) => f.rule === rule && (discriminator === undefined || f.id.endsWith(`:${discriminator}`))).map((f) => f.subject.id))].sort();
}

describe('findings on the demo estate', () => {
  const m = DEMO_MESSES;

  it('1. finds the orphaned service account (NHI1 no owner, drift) and its password (NHI4, NHI7)', () => {
    expect(rulesOf([m.orphanedServiceAccount.identity, m.orphanedServiceAccount.credential])).toEqual({
      [m.orphanedServiceAccount.identity]: ['guardrail-drift', 'improper-offboarding'],
      [m.orphanedServiceAccount.credential]: ['insecure-authentication', 'long-lived-secret'],
    });
    expect(subjectsOf('improper-offboarding', 'no-owner')).toEqual([m.orphanedServiceAccount.identity]);
  });

  it('2. finds the stale key (NHI7, NHI5 unused) and its stale account', () => {
    expect(rulesOf([m.staleKey.credential, m.staleKey.identity])).toEqual({
      [m.staleKey.credential]: ['long-lived-secret', 'unused-access'],
      [m.staleKey.identity]: ['stale-identity'],
    });
  });

  it('3. finds the vendor path to a CRITICAL scope (NHI3), with that path as evidence', () => {
    expect(rulesOf([m.vendorToCritical.identity])).toEqual({ [m.vendorToCritical.identity]: ['guardrail-drift', 'vulnerable-third-party'] });
    const finding = findings.find((f) => f.id === `vulnerable-third-party:${m.vendorToCritical.identity}`);
    expect(finding?.severity).toBe('CRITICAL');
    expect(finding?.evidence.path?.nodes).toEqual([m.vendorToCritical.identity, m.vendorToCritical.group, m.vendorToCritical.role, m.vendorToCritical.inheritedRole, m.vendorToCritical.scope]);
  });

  it('4. finds the AI agent that holds prod deploy ADMIN by assuming the deployer (NHI5 admin through inheritance)', () => {
    expect(rulesOf([m.agentAssumesDeployer.agent])).toEqual({ [m.agentAssumesDeployer.agent]: ['admin-through-inheritance'] });
    expect(ids(findings.filter((f) => f.subject.id === m.agentAssumesDeployer.agent))).toEqual([`admin-through-inheritance:${m.agentAssumesDeployer.agent}:grant:CAN_ASSUME:${m.agentAssumesDeployer.deployer}`]);
  });

  it('5. finds the quiet ADMIN chain of the support copilot (NHI5 admin through inheritance), with the chain as the path', () => {
    const holder = m.quietAdminChain.holders[1];
    expect(rulesOf([holder])).toEqual({ [holder]: ['admin-through-inheritance'] });
    const finding = findings.find((f) => f.id === `admin-through-inheritance:${holder}:grant:HAS_ROLE:${m.quietAdminChain.role}`);
    expect(finding?.evidence.path?.nodes).toEqual([holder, ...m.quietAdminChain.chain, m.quietAdminChain.scope]);
  });

  it('6. finds the live grant on the retired service (NHI1)', () => {
    expect(rulesOf([m.grantOnRetiredService.identity])).toEqual({ [m.grantOnRetiredService.identity]: ['improper-offboarding'] });
    expect(ids(findings.filter((f) => f.subject.id === m.grantOnRetiredService.identity))).toEqual([
      `improper-offboarding:${m.grantOnRetiredService.identity}:grant:HAS_ROLE:${m.grantOnRetiredService.role}`,
    ]);
  });

  it('7. finds the expired, unrevoked token still stored in dev checkout (NHI1), and nothing treats it as live', () => {
    expect(rulesOf([m.expiredUnrevokedToken.credential])).toEqual({ [m.expiredUnrevokedToken.credential]: ['improper-offboarding'] });
  });

  it('8. finds the dev workload that writes prod Payments (NHI8) with the path', () => {
    expect(rulesOf([m.devToProd.identity])).toEqual({ [m.devToProd.identity]: ['environment-isolation', 'guardrail-drift'] });
    const finding = findings.find((f) => f.id === `environment-isolation:${m.devToProd.identity}:grant:HAS_ROLE:${m.devToProd.role}`);
    expect(finding?.evidence.path?.nodes).toEqual([m.devToProd.identity, m.devToProd.role, m.devToProd.scope]);
    expect(finding?.evidence.props?.['scopes']).toContainEqual({ id: m.devToProd.scope, service: m.devToProd.service, sensitivity: 'CRITICAL' });
  });

  it('finds no other dev-to-prod route than the dev AI agent’s floor of prod dashboard reads, and no other vendor identity than ClearPath’s', () => {
    expect(subjectsOf('environment-isolation')).toEqual(['agent:test-writer', m.devToProd.identity]);
    expect(subjectsOf('vulnerable-third-party')).toEqual([m.vendorToCritical.identity, 'sa:clearpath-webhook']);
  });

  it('gives stable ids: a second run over a fresh input gives the same findings', () => {
    const again = runFindings(inputOf(recordsOf(demoEstate(ANCHOR)), { at: ANCHOR.getTime(), guardrails: guardrails() }));
    expect(ids(again)).toEqual(ids(findings));
    expect(new Set(ids(findings)).size).toBe(findings.length);
  });

  it('names, for every finding, a governance mutation with exactly the arguments the schema declares', () => {
    expect(findings.flatMap((f) => remediationProblems(f.remediation).map((p) => `${f.id}: ${p}`))).toEqual([]);
  });

  it('names an accountable owner for every finding but the orphan’s and a central grant to a group', () => {
    const unowned = findings.filter((f) => f.owner.via === 'none').map((f) => f.subject.id);
    expect([...new Set(unowned)].sort()).toEqual([m.orphanedServiceAccount.credential, 'grp:ai-agents', m.orphanedServiceAccount.identity]);
  });

  it('summarises by severity and OWASP item', () => {
    const summary = postureSummary(findings);
    expect(summary.total).toBe(findings.length);
    expect(Object.values(summary.bySeverity).reduce((a, b) => a + b, 0)).toBe(findings.length);
    expect(summary.byOwasp.NHI8).toBe(findings.filter((f) => f.owasp === 'NHI8').length);
  });
});

describe('findings on a well-governed estate', () => {
  it('yields none, from any rule', () => {
    expect(runFindings(inputOf(cleanEstate().build(), { guardrails: guardrails() }), undefined, { rules: [...RULE_IDS] })).toEqual([]);
  });
});
