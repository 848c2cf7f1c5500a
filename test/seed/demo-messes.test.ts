/** Each mess of the demo estate is found by the query that should find it (seed/STORY.md). */
import { recordsOf } from '../../src/model/interchange.js';
import { describe, expect, it } from 'vitest';
import { resolveQueryOptions } from '../../src/model/query-options.js';
import { blastRadius, explain, reach, whoCan } from '../../src/paths/index.js';
import { Projection } from '../../src/projection/projection.js';
import { DEMO_MESSES, PAYMENTS_CI_KEY_PATH, demoEstate } from '../../seed/demo-estate.js';

const ANCHOR = new Date('2026-11-23T00:00:00Z');
const DAY = 86_400_000;
const lines = demoEstate(ANCHOR);
const { nodes, edges } = recordsOf(lines);
const graph = Projection.fromRecords(nodes, edges);
const now = resolveQueryOptions({ at: ANCHOR });
const props = (id: string) => nodes.find((n) => n.id === id)!.props;
const targets = (result: { entries: readonly { target: { id: string } }[] }) => result.entries.map((e) => e.target.id);

describe('the demo estate, queried', () => {
  it('shows what one leaked CI key reaches: a CRITICAL service, what it runs as and the secrets it holds', () => {
    const result = blastRadius(graph, PAYMENTS_CI_KEY_PATH.credential, now);
    const reached = targets(result);
    expect(reached).toEqual(expect.arrayContaining([PAYMENTS_CI_KEY_PATH.service, PAYMENTS_CI_KEY_PATH.runsAs, ...PAYMENTS_CI_KEY_PATH.held, PAYMENTS_CI_KEY_PATH.ledgerScope]));
    expect(result.summary.byLabel.map((c) => c.label)).toEqual(expect.arrayContaining(['Scope', 'Service', 'Identity', 'Credential']));
    expect(result.stats.truncated).toBe(false);
    const service = result.entries.find((e) => e.target.id === PAYMENTS_CI_KEY_PATH.service)!;
    expect(service.path.steps.map((s) => s.type)).toContain('ON');
    expect(result.entries[0]!.impact).toBeGreaterThanOrEqual(result.entries.at(-1)!.impact!);
  });

  it('says when the CI key loses its ledger write: the local grant expiring in 30 days', () => {
    const entry = reach(graph, PAYMENTS_CI_KEY_PATH.credential, now).entries.find((e) => e.target.id === PAYMENTS_CI_KEY_PATH.ledgerScope)!;
    expect(entry.accessEndsAt).toBe(ANCHOR.getTime() + 30 * DAY);
  });

  it('1. finds the orphaned service account: no owner, still privileged', () => {
    const { identity } = DEMO_MESSES.orphanedServiceAccount;
    const ownedBy: string[] = [];
    graph.forEachIn(graph.indexOf(identity)!, (e) => {
      if (graph.edgeType(e) === 'OWNS') ownedBy.push(graph.idOf(graph.edgeFrom(e)));
    });
    expect(ownedBy).toEqual([]);
    expect(reach(graph, identity, now).entries.length).toBeGreaterThan(0);
  });

  it('2. finds the stale key: unused for 200+ days, yet still opening ledger writes', () => {
    const { credential } = DEMO_MESSES.staleKey;
    expect(ANCHOR.getTime() - Date.parse(props(credential)['lastUsedAt'] as string)).toBeGreaterThanOrEqual(200 * DAY);
    expect(targets(reach(graph, credential, now))).toContain('scope:ledger:entries:write');
  });

  it('3. finds a vendor with a live path to a CRITICAL scope', () => {
    const { vendor, scope } = DEMO_MESSES.vendorToCritical;
    const entry = blastRadius(graph, vendor, now).entries.find((e) => e.target.id === scope)!;
    expect(graph.severityOf(graph.indexOf(scope)!)).toBe('CRITICAL');
    expect(entry.path.nodes).toEqual(['vendor:clearpath', 'sa:clearpath-kyc-sync', 'grp:kyc-partners', 'role:kyc-partner', 'role:identity-writer', scope]);
  });

  it('4. explains how an AI agent can deploy prod Payments: by assuming the deployer', () => {
    const { agent, deployer, scope } = DEMO_MESSES.agentAssumesDeployer;
    expect(props(agent)['kind']).toBe('AI_AGENT');
    const result = explain(graph, agent, scope, now);
    expect(result.entries[0]!.path.nodes.slice(0, 2)).toEqual([agent, deployer]);
    expect(result.entries[0]!.path.steps[0]).toMatchObject({ type: 'CAN_ASSUME', origin: 'LOCAL' });
  });

  it('5. finds the read-only role that quietly grants ADMIN, four inheritances down', () => {
    const { chain, scope } = DEMO_MESSES.quietAdminChain;
    const entry = reach(graph, 'agent:support-copilot', now).entries.find((e) => e.target.id === scope)!;
    expect(graph.scopeLevelOf(graph.indexOf(scope)!)).toBe('ADMIN');
    expect(entry.path.nodes).toEqual(expect.arrayContaining([...chain]));
    expect(entry.path.steps.filter((s) => s.type === 'INHERITS')).toHaveLength(4);
  });

  it('6. finds a live grant on a retired service, and the ledger write it still opens', () => {
    const { identity, role, service } = DEMO_MESSES.grantOnRetiredService;
    expect(props(service)['status']).toBe('RETIRED');
    const entry = reach(graph, identity, now).entries.find((e) => e.target.id === 'scope:ledger:entries:write')!;
    expect(entry.path.nodes).toContain(role);
    expect(targets(whoCan(graph, 'scope:ledger:entries:write', now))).toContain(identity);
  });

  it('7. finds the expired-but-unrevoked token: it opens nothing now, it opened the prod deployer before', () => {
    const { credential, identity } = DEMO_MESSES.expiredUnrevokedToken;
    expect(props(credential)['revokedAt']).toBeUndefined();
    expect(blastRadius(graph, credential, now).entries).toEqual([]);
    const before = resolveQueryOptions({ at: ANCHOR.getTime() - 35 * DAY });
    expect(targets(blastRadius(graph, credential, before))).toContain(identity);
  });

  it('8. finds the local grant that lets a dev workload write on prod', () => {
    const { identity, scope, service } = DEMO_MESSES.devToProd;
    expect(props(identity)['environment']).toBe('dev');
    expect(props(service)['environment']).toBe('prod');
    const entry = reach(graph, identity, now).entries.find((e) => e.target.id === scope)!;
    expect(entry.path.steps[0]).toMatchObject({ type: 'HAS_ROLE', origin: 'LOCAL' });
  });
});
