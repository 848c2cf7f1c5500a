/**
 * Lifecycle cascades, checked against the real engine: plan an event, apply its patches to the records,
 * rebuild the projection, and ask reach / whoCan / blastRadius what is left.
 */
import { recordsOf } from '../../src/model/interchange.js';
import { describe, expect, it } from 'vitest';
import { applyCascade, storedRecordsOf } from '../../src/governance/apply-cascade.js';
import { loadCascadePlan, type RecordLoader } from '../../src/governance/load-cascade-plan.js';
import { isEmptyPlan, planCascade, type CascadePlan, type CascadeProps, type LifecycleEvent } from '../../src/governance/cascade.js';
import { IdGraphError } from '../../src/model/errors.js';
import { isLiveAt } from '../../src/model/liveness.js';
import { EDGE_PROPS, NODE_PROPS } from '../../src/model/properties.js';
import { resolveQueryOptions } from '../../src/model/query-options.js';
import { edgeKeyString, type EdgeRecord, type NodeRecord } from '../../src/model/records.js';
import { blastRadius, reach, whoCan, type Adjacency } from '../../src/paths/index.js';
import { Projection } from '../../src/projection/projection.js';
import { DEMO_MESSES, demoEstate } from '../../seed/demo-estate.js';
import { arrayAdjacency } from '../support/array-adjacency.js';
import { T0, day, estate, type EstateBuilder } from '../support/estate.js';

interface Records {
  readonly nodes: NodeRecord[];
  readonly edges: EdgeRecord[];
}

const ANCHOR = new Date('2026-11-23T00:00:00Z');
const NOW = ANCHOR.getTime();
const BY = 'human:ciso';

const demo: Records = recordsOf(demoEstate(ANCHOR));

const propsOf = (r: Records): CascadeProps => {
  const byId = new Map(r.nodes.map((n) => [n.id, n.props]));
  const byKey = new Map(r.edges.map((e) => [edgeKeyString(e), e.props]));
  return { node: (id) => byId.get(id), edge: (key) => byKey.get(edgeKeyString(key)) };
};
const graph = (r: Records): Projection => Projection.fromRecords(r.nodes, r.edges);
const plan = (r: Records, event: LifecycleEvent, at = NOW, adj: Adjacency = graph(r)): CascadePlan => planCascade(adj, propsOf(r), event, at, { by: BY });

/** The records after the plan's write: patched records replace stored ones, added ones come. */
function applyPlan(r: Records, p: CascadePlan): Records {
  const write = applyCascade(p, storedRecordsOf(r.nodes, r.edges));
  const nodes = new Map(r.nodes.map((n) => [n.id, n]));
  for (const n of write.nodes) nodes.set(n.id, n);
  const edges = new Map(r.edges.map((e) => [edgeKeyString(e), e]));
  for (const e of write.edges) edges.set(edgeKeyString(e), e);
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

const withStatus = (r: Records, id: string, status: string): Records => ({
  nodes: r.nodes.map((n) => (n.id === id ? { ...n, props: { ...n.props, status } } : n)),
  edges: r.edges,
});
const targets = (result: { entries: readonly { target: { id: string } }[] }) => result.entries.map((e) => e.target.id);
const grantsIn = (p: CascadePlan) => p.edges.map((e) => `${e.type} ${e.from} -> ${e.to}${e.key ? ` #${e.key}` : ''}`);
const identities = (r: Records) => r.nodes.filter((n) => n.label === 'Identity').map((n) => n.id);
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof IdGraphError ? error.code : 'not an IdGraphError';
  }
  return undefined;
};

const DEMO_EVENTS: LifecycleEvent[] = [
  { kind: 'retireService', service: 'svc:legacy-reconciler' },
  { kind: 'retireService', service: 'svc:kyc' },
  { kind: 'retireService', service: 'svc:ci-platform' },
  { kind: 'offboardVendor', vendor: 'vendor:clearpath' },
  { kind: 'retireIdentity', identity: 'sa:payments-ci' },
  { kind: 'retireIdentity', identity: 'human:victor' },
  { kind: 'quarantine', node: 'sa:payments-deployer' },
  { kind: 'quarantine', node: 'cred:ledger-sftp-ssh' },
  { kind: 'reassignOwner', from: 'team:ledger', to: 'team:payments' },
];

describe('planCascade on the demo estate', () => {
  const at = resolveQueryOptions({ at: ANCHOR });

  it('retiring svc:legacy-reconciler ends the live grant of mess 6 and every scope it opened', () => {
    const { identity, role, service } = DEMO_MESSES.grantOnRetiredService;
    const throughRole = reach(graph(demo), identity, at).entries.filter((e) => e.path.nodes.includes(role)).map((e) => e.target.id);
    expect(throughRole).toContain('scope:ledger:entries:write');

    const p = plan(demo, { kind: 'retireService', service });
    expect(p.revoked).toContainEqual({ kind: 'grant', edge: { type: 'HAS_ROLE', from: identity, to: role, key: '' }, reason: `${role} is a role of retired service ${service}`, cause: service });
    expect(p.edges.find((e) => e.from === identity)?.patch).toEqual({ status: 'REVOKED', revokedAt: ANCHOR.toISOString(), revokedBy: BY, updatedAt: ANCHOR.toISOString() });
    // The service and its workload were RETIRED already: no node changes, but the cascade still runs.
    expect(p.nodes).toEqual([]);

    const after = reach(graph(applyPlan(demo, p)), identity, at);
    expect(after.entries.filter((e) => e.path.nodes.includes(role))).toEqual([]);
    for (const scope of throughRole) expect(targets(after)).not.toContain(scope);
  });

  it('leaves no live path from any identity through a role of the retired service', () => {
    const service = 'svc:legacy-reconciler';
    const roles = demo.nodes.filter((n) => n.label === 'Role' && n.props['service'] === service).map((n) => n.id);
    const through = (r: Records) => {
      const adj = graph(r);
      return identities(r).filter((id) => reach(adj, id, at).entries.some((e) => e.path.nodes.some((n) => roles.includes(n))));
    };
    expect(through(demo)).toEqual(['sa:recon-batch']);

    const after = applyPlan(demo, plan(demo, { kind: 'retireService', service }));
    expect(through(after)).toEqual([]);
    // Stronger than shortest paths: no live edge touches the roles at all, so no route of any length can.
    const adj = graph(after);
    for (const role of roles) {
      const live: string[] = [];
      const check = (e: number) => {
        if (isLiveAt(adj.edgeStart(e), adj.edgeEnd(e), NOW)) live.push(`${adj.edgeType(e)} ${adj.idOf(adj.edgeFrom(e))}`);
      };
      adj.forEachIn(adj.indexOf(role)!, check);
      adj.forEachOut(adj.indexOf(role)!, check);
      expect(live).toEqual([]);
    }
  });

  it('offboarding vendor:clearpath leaves no identity it operates with any privilege, even if reactivated', () => {
    const vendor = 'vendor:clearpath';
    const operated = demo.edges.filter((e) => e.type === 'OPERATES' && e.from === vendor).map((e) => e.to);
    expect(operated).toEqual(['sa:clearpath-kyc-sync', 'sa:clearpath-webhook']);
    expect(blastRadius(graph(demo), vendor, at).entries.length).toBeGreaterThan(0);

    const p = plan(demo, { kind: 'offboardVendor', vendor });
    expect(p.revoked.filter((r) => r.kind === 'node').map((r) => (r.kind === 'node' ? `${r.id} ${r.reason}` : ''))).toEqual([
      'sa:clearpath-kyc-sync operated by offboarded vendor vendor:clearpath',
      'sa:clearpath-webhook operated by offboarded vendor vendor:clearpath',
      'vendor:clearpath offboarded',
    ]);
    const after = applyPlan(demo, p);
    const adj = graph(after);
    expect(blastRadius(adj, vendor, at).entries).toEqual([]);
    const credentials = after.edges.filter((e) => e.type === 'AUTHENTICATES' && operated.includes(e.to)).map((e) => e.from);
    expect(credentials).toEqual(['cred:clearpath-oauth', 'cred:clearpath-webhook-secret']);
    for (const id of [...operated, ...credentials]) expect(reach(adj, id, at).entries).toEqual([]);
    // The grants themselves are revoked, not only blocked by the status: reactivating the accounts gives nothing back.
    const reactivated = graph(operated.reduce((r, id) => withStatus(r, id, 'ACTIVE'), after));
    for (const id of operated) expect(reach(reactivated, id, at).entries).toEqual([]);
  });

  it('retiring an identity takes it out of whoCan of every scope it held, and nobody else', () => {
    const identity = 'sa:payments-ci';
    const scopes = targets(reach(graph(demo), identity, at));
    expect(scopes).toContain('scope:ledger:entries:write');
    const after = graph(applyPlan(demo, plan(demo, { kind: 'retireIdentity', identity })));
    for (const scope of scopes) {
      const before = targets(whoCan(graph(demo), scope, at));
      expect(targets(whoCan(after, scope, at))).toEqual(before.filter((id) => id !== identity));
    }
    expect(reach(after, 'cred:payments-ci-key', at).entries).toEqual([]);
  });

  it('leaves out what already ended: revoked and expired grants, revoked and expired credentials', () => {
    expect(grantsIn(plan(demo, { kind: 'retireIdentity', identity: 'human:bilal' }))).not.toContain('HAS_ROLE human:bilal -> role:payments-deployer');
    expect(grantsIn(plan(demo, { kind: 'retireIdentity', identity: 'human:sven' }))).not.toContain('HAS_ROLE human:sven -> role:ledger-reader');
    expect(grantsIn(plan(demo, { kind: 'retireIdentity', identity: 'sa:ci-platform-deployer' }))).not.toContain('CAN_ASSUME bot:renovate -> sa:ci-platform-deployer');
    const jenkins = plan(demo, { kind: 'retireIdentity', identity: 'sa:old-jenkins' });
    expect(jenkins.nodes).toEqual([{ label: 'Identity', id: 'sa:old-jenkins', patch: { status: 'RETIRED', updatedAt: ANCHOR.toISOString() } }]);
    expect(grantsIn(jenkins)).toEqual(['HAS_ROLE sa:old-jenkins -> role:ci-platform-deployer']);
    const checkout = plan(demo, { kind: 'retireIdentity', identity: DEMO_MESSES.expiredUnrevokedToken.identity });
    expect(checkout.nodes.map((n) => n.id)).not.toContain(DEMO_MESSES.expiredUnrevokedToken.credential);
  });

  it('is deterministic: the same plan twice, and over another adjacency that lists the records in reverse', () => {
    const reversed = arrayAdjacency({ nodes: [...demo.nodes].reverse(), edges: [...demo.edges].reverse() });
    for (const event of DEMO_EVENTS) {
      const first = plan(demo, event);
      expect(plan(demo, event)).toEqual(first);
      expect(plan(demo, event, NOW, reversed)).toEqual(first);
    }
  });

  it('is idempotent: planning again after applying the plan gives an empty plan', () => {
    for (const event of DEMO_EVENTS) {
      const p = plan(demo, event);
      expect(isEmptyPlan(p), event.kind).toBe(false);
      const again = plan(applyPlan(demo, p), event);
      expect(isEmptyPlan(again), JSON.stringify(event)).toBe(true);
      expect(again.revoked).toEqual([]);
    }
  });

  it('writes only properties that the schemas allow', () => {
    for (const event of DEMO_EVENTS) {
      const write = applyCascade(plan(demo, event), storedRecordsOf(demo.nodes, demo.edges));
      for (const n of write.nodes) expect(NODE_PROPS[n.label].safeParse(n.props).success, n.id).toBe(true);
      for (const e of write.edges) expect(EDGE_PROPS[e.type].safeParse(e.props).success, `${e.type} ${e.from}`).toBe(true);
    }
  });

  it('reassignOwner moves every OWNS edge: the old ones revoked (kept as history), new ones added', () => {
    const owned = (r: Records, owner: string) =>
      r.edges.filter((e) => e.type === 'OWNS' && e.from === owner && e.props['status'] !== 'REVOKED').map((e) => e.to).sort();
    const before = owned(demo, 'team:ledger');
    expect(before.length).toBeGreaterThan(5);
    const p = plan(demo, { kind: 'reassignOwner', from: 'team:ledger', to: 'team:payments' });
    expect(p.nodes).toEqual([]);
    expect(p.edges.map((e) => e.to).sort()).toEqual(before);
    expect(p.revoked.every((e) => e.kind === 'ownership')).toBe(true);
    const after = applyPlan(demo, p);
    expect(owned(after, 'team:ledger')).toEqual([]);
    expect(after.edges.filter((e) => e.type === 'OWNS' && e.from === 'team:ledger').length).toBe(before.length);
    expect(owned(after, 'team:payments')).toEqual(expect.arrayContaining(before));
  });
});

describe('planCascade rules', () => {
  const at = resolveQueryOptions({ at: T0 });
  const records = (b: EstateBuilder): Records => b.build();
  const fixturePlan = (r: Records, event: LifecycleEvent) => plan(r, event, T0);
  const shared = () =>
    estate()
      .service('svc:a').service('svc:b').identity('wl:shared', { kind: 'WORKLOAD' })
      .runsAs('svc:a', 'wl:shared').runsAs('svc:b', 'wl:shared')
      .credential('cred:shared').authenticates('cred:shared', 'wl:shared');

  it('keeps an identity that another ACTIVE service also runs as, and retires it with the last one', () => {
    const r = records(shared());
    const first = fixturePlan(r, { kind: 'retireService', service: 'svc:a' });
    expect(first.nodes.map((n) => n.id)).toEqual(['svc:a']);
    const second = fixturePlan(applyPlan(r, first), { kind: 'retireService', service: 'svc:b' });
    expect(second.nodes.map((n) => `${n.id} ${JSON.stringify(n.patch)}`)).toEqual([
      `cred:shared {"revokedAt":"${day(0)}","updatedAt":"${day(0)}"}`,
      `svc:b {"status":"RETIRED","updatedAt":"${day(0)}"}`,
      `wl:shared {"status":"RETIRED","updatedAt":"${day(0)}"}`,
    ]);
  });

  it('retires a shared identity when the other service is already RETIRED', () => {
    const r = records(shared().service('svc:b', { status: 'RETIRED' }));
    expect(fixturePlan(r, { kind: 'retireService', service: 'svc:a' }).nodes.map((n) => n.id)).toEqual(['cred:shared', 'svc:a', 'wl:shared']);
  });

  it('revokes what is live or could become live, brings a scheduled revocation forward, and leaves what ended', () => {
    const b = estate().identity('sa:x');
    for (const role of ['revoked', 'expired', 'ends-now', 'scheduled', 'future', 'live']) b.role(`role:${role}`);
    b.hasRole('sa:x', 'role:revoked', { status: 'REVOKED', revokedAt: day(-5) })
      .hasRole('sa:x', 'role:expired', { expiresAt: day(-1) })
      .hasRole('sa:x', 'role:ends-now', { expiresAt: day(0) })
      .hasRole('sa:x', 'role:scheduled', { revokedAt: day(10) })
      .hasRole('sa:x', 'role:future', { grantedAt: day(5) })
      .hasRole('sa:x', 'role:live', { id: 'g1' })
      .group('grp:requested').memberOf('sa:x', 'grp:requested', { status: 'PENDING' });
    for (const [id, props] of Object.entries({ live: { expiresAt: day(30) }, expired: { expiresAt: day(-1) }, revoked: { revokedAt: day(-2) }, scheduled: { revokedAt: day(3) } })) {
      b.credential(`cred:${id}`, props).authenticates(`cred:${id}`, 'sa:x');
    }
    const p = fixturePlan(records(b), { kind: 'retireIdentity', identity: 'sa:x' });
    expect(p.revoked.map((r) => ('edge' in r ? `${r.edge.to}` : r.id))).toEqual([
      'sa:x', 'cred:live', 'cred:scheduled', 'grp:requested', 'role:future', 'role:live', 'role:scheduled',
    ]);
    expect(grantsIn(p)).toContain('HAS_ROLE sa:x -> role:live #g1');
    expect(p.edges.find((e) => e.to === 'role:scheduled')?.patch['revokedAt']).toBe(day(0));
  });

  it('retiring a service ends its local roles, grants in its domain and the secrets it holds, and nothing of other services', () => {
    const r = records(
      estate()
        .service('svc:old').service('svc:other')
        .role('role:old', { origin: 'LOCAL', service: 'svc:old' }).role('role:other', { origin: 'LOCAL', service: 'svc:other' })
        .scope('scope:old').scope('scope:other').grants('role:old', 'scope:old').grants('role:other', 'scope:other')
        .inherits('role:other', 'role:old')
        .identity('sa:user').hasRole('sa:user', 'role:old', { origin: 'LOCAL', domain: 'svc:old' }).hasRole('sa:user', 'role:other', { origin: 'LOCAL', domain: 'svc:other' })
        .identity('sa:delegate').canAssume('sa:delegate', 'sa:user', { origin: 'LOCAL', domain: 'svc:old' })
        .group('grp:g').memberOf('sa:user', 'grp:g', { origin: 'LOCAL', domain: 'svc:old' })
        .credential('cred:stored').holds('svc:old', 'cred:stored').authenticates('cred:stored', 'sa:delegate'),
    );
    const p = fixturePlan(r, { kind: 'retireService', service: 'svc:old' });
    expect(grantsIn(p)).toEqual([
      'GRANTS role:old -> scope:old',
      'INHERITS role:other -> role:old',
      'CAN_ASSUME sa:delegate -> sa:user',
      'MEMBER_OF sa:user -> grp:g',
      'HAS_ROLE sa:user -> role:old',
    ]);
    expect(p.nodes.map((n) => n.id)).toEqual(['cred:stored', 'svc:old']);
    const adj = graph(applyPlan(r, p));
    expect(targets(reach(adj, 'sa:user', at))).toEqual(['scope:other']);
    expect(targets(whoCan(adj, 'scope:old', at))).toEqual([]);
  });

  const quarantined = () =>
    estate()
      .identity('sa:q').role('role:r').scope('scope:x').grants('role:r', 'scope:x').hasRole('sa:q', 'role:r')
      .credential('cred:q1').authenticates('cred:q1', 'sa:q').credential('cred:q2').authenticates('cred:q2', 'sa:q')
      .identity('sa:boss').canAssume('sa:boss', 'sa:q');

  it('quarantine disables an identity and revokes its credentials but keeps its grants, so lifting it restores access', () => {
    const r = records(quarantined());
    const p = fixturePlan(r, { kind: 'quarantine', node: 'sa:q' });
    expect(p.revoked.map((e) => ('edge' in e ? 'grant' : `${e.id} ${e.reason}`))).toEqual([
      'sa:q quarantined',
      'cred:q1 authenticates quarantined identity sa:q',
      'cred:q2 authenticates quarantined identity sa:q',
    ]);
    expect(p.nodes.find((n) => n.id === 'sa:q')?.patch['status']).toBe('DISABLED');
    const after = applyPlan(r, p);
    expect(targets(whoCan(graph(after), 'scope:x', at))).toEqual([]);
    const lifted = graph(withStatus(after, 'sa:q', 'ACTIVE'));
    expect(targets(whoCan(lifted, 'scope:x', at))).toEqual(['sa:q', 'sa:boss']);
    expect(reach(lifted, 'cred:q1', at).entries).toEqual([]);
  });

  it('quarantine keeps a RETIRED identity retired, and of a credential revokes only that credential', () => {
    const retired = fixturePlan(records(quarantined().identity('sa:q', { status: 'RETIRED' })), { kind: 'quarantine', node: 'sa:q' });
    expect(retired.nodes.map((n) => n.id)).toEqual(['cred:q1', 'cred:q2']);
    const credential = fixturePlan(records(quarantined()), { kind: 'quarantine', node: 'cred:q1' });
    expect(credential.revoked).toEqual([{ kind: 'credential', id: 'cred:q1', reason: 'quarantined', cause: 'cred:q1' }]);
  });

  it('retiring an identity revokes the CAN_ASSUME others hold on it; revokedBy only when given', () => {
    const r = records(quarantined());
    const p = planCascade(graph(r), propsOf(r), { kind: 'retireIdentity', identity: 'sa:q' }, T0);
    expect(p.revoked.filter((e) => e.kind === 'grant').map((e) => e.reason)).toEqual(['delegation to retired identity sa:q', 'grant held by retired identity sa:q']);
    expect(p.edges.map((e) => e.patch)).toEqual([0, 1].map(() => ({ status: 'REVOKED', revokedAt: day(0), updatedAt: day(0) })));
  });

  it('rejects unknown ids, subjects of the wrong label and impossible reassignments', () => {
    const r = records(quarantined().owner('team:a').owner('team:gone', { status: 'DEPARTED' }).owns('team:a', 'sa:q'));
    const run = (event: LifecycleEvent) => () => fixturePlan(r, event);
    expect(codeOf(run({ kind: 'retireIdentity', identity: 'sa:nope' }))).toBe('NOT_FOUND');
    expect(codeOf(run({ kind: 'retireService', service: 'sa:q' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(run({ kind: 'offboardVendor', vendor: 'sa:q' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(run({ kind: 'quarantine', node: 'role:r' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(run({ kind: 'reassignOwner', from: 'team:a', to: 'team:a' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(run({ kind: 'reassignOwner', from: 'team:a', to: 'team:gone' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(run({ kind: 'reassignOwner', from: 'team:a', to: 'sa:q' }))).toBe('BAD_USER_INPUT');
  });

  it('reassignOwner keeps the edge key, and adds no edge the new owner already has', () => {
    const r = records(estate().owner('team:a').owner('team:b').identity('sa:x').identity('sa:y').owns('team:a', 'sa:x', { id: 'k1' }).owns('team:a', 'sa:y').owns('team:b', 'sa:y'));
    const p = fixturePlan(r, { kind: 'reassignOwner', from: 'team:a', to: 'team:b' });
    expect(p.edges.map(({ type, from, to, key }) => ({ type, from, to, key }))).toEqual([
      { type: 'OWNS', from: 'team:a', to: 'sa:x', key: 'k1' },
      { type: 'OWNS', from: 'team:a', to: 'sa:y', key: '' },
    ]);
    expect(p.added).toEqual([
      {
        type: 'OWNS', from: 'team:b', to: 'sa:x', fromLabel: 'Owner', toLabel: 'Identity', key: 'k1',
        props: { id: 'k1', status: 'ACTIVE', grantedAt: day(0), createdAt: day(0), updatedAt: day(0) },
      },
    ]);
  });
});

describe('applyCascade', () => {
  it('merges each patch over the stored props and keeps the rest', () => {
    const r: Records = estate().identity('sa:x', { environment: 'prod' }).role('role:r').hasRole('sa:x', 'role:r', { justification: 'why' }).build();
    const write = applyCascade(plan(r, { kind: 'retireIdentity', identity: 'sa:x' }, T0), storedRecordsOf(r.nodes, r.edges));
    expect(write.nodes[0]?.props).toEqual({ name: 'sa:x', kind: 'SERVICE_ACCOUNT', environment: 'prod', status: 'RETIRED', updatedAt: day(0) });
    expect(write.edges[0]?.props).toEqual({ justification: 'why', status: 'REVOKED', revokedAt: day(0), revokedBy: BY, updatedAt: day(0) });
  });

  it('fails with CONFLICT when a record the plan names is missing', () => {
    const r: Records = estate().identity('sa:x').build();
    const p = plan(r, { kind: 'retireIdentity', identity: 'sa:x' }, T0);
    expect(codeOf(() => applyCascade(p, storedRecordsOf([], [])))).toBe('CONFLICT');
  });
});

describe('loadCascadePlan', () => {
  /** A loader over the demo records that records each batch it is asked for. */
  const recordingLoader = (r: Records) => {
    const stored = storedRecordsOf(r.nodes, r.edges);
    const calls: string[] = [];
    const asked: string[] = [];
    const loader: RecordLoader = {
      getNodes: async (ids) => {
        calls.push(`nodes ${ids.length}`);
        asked.push(...ids);
        return ids.map(stored.node);
      },
      getEdges: async (keys) => {
        calls.push(`edges ${keys.length}`);
        asked.push(...keys.map(edgeKeyString));
        return keys.map(stored.edge);
      },
    };
    return { loader, calls, asked };
  };

  it('loads what the plan reads in batches, and gives the plan and write that all the props would', async () => {
    const adj = graph(demo);
    for (const event of DEMO_EVENTS) {
      const { loader, calls, asked } = recordingLoader(demo);
      const loaded = await loadCascadePlan(adj, loader, event, NOW, { by: BY });
      const expected = plan(demo, event);
      expect(loaded.plan).toEqual(expected);
      expect(loaded.write).toEqual(applyCascade(expected, storedRecordsOf(demo.nodes, demo.edges)));
      expect(loaded.rounds).toBeLessThanOrEqual(3);
      // At most one batch of each kind per round, and never the same id twice.
      expect(calls.length).toBeLessThanOrEqual(2 * (loaded.rounds - 1));
      expect(new Set(asked).size).toBe(asked.length);
    }
  });

  it('loads only the neighbourhood of a retired identity: itself, its credential and its grant', async () => {
    const { loader, calls } = recordingLoader(demo);
    const loaded = await loadCascadePlan(graph(demo), loader, { kind: 'retireIdentity', identity: 'sa:ledger-sftp' }, NOW);
    expect(loaded.rounds).toBe(2);
    expect(calls).toEqual(['nodes 2', 'edges 1']);
  });
});
