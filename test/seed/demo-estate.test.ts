import { describe, expect, it } from 'vitest';
import { DEMO_MESSES, PAYMENTS_CI_KEY_PATH, demoEstate } from '../../seed/demo-estate.js';
import type { EdgeLine, InterchangeLine, NodeLine } from '../../src/model/interchange.js';
import { formatLine, parseLine } from '../../src/model/interchange.js';
import { edgeInterval, isLiveAt, nodeInterval } from '../../src/model/liveness.js';
import { edgeKeyString } from '../../src/model/records.js';
import {
  COMPROMISE_EDGE_TYPES,
  CREDENTIAL_KINDS,
  GRANT_EDGE_TYPES,
  IDENTITY_KINDS,
  PRIVILEGE_EDGE_TYPES,
  allowsEndpoints,
  type EdgeType,
} from '../../src/model/vocabulary.js';

const ANCHOR = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const lines = demoEstate(ANCHOR);
const estate = indexOf(lines);
const { node, nodes, edges, out, into } = estate;

describe('demoEstate', () => {
  it('re-parses every line unchanged through the interchange format', () => {
    lines.forEach((line, i) => {
      const parsed = parseLine(formatLine(line), i + 1);
      expect(parsed, formatLine(line)).toEqual({ ok: true, value: line });
    });
  });

  it('lists every node before the first edge', () => {
    const firstEdge = lines.findIndex((l) => l.type === 'edge');
    expect(lines.slice(firstEdge).every((l) => l.type === 'edge')).toBe(true);
  });

  it('gives every node a unique id and every edge a unique identity', () => {
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
    const keys = edges.map((e) => edgeKeyString({ type: e.label, from: e.from, to: e.to, key: e.key }));
    expect(new Set(keys).size).toBe(edges.length);
  });

  it('joins edges only between existing nodes with labels the edge type allows', () => {
    const bad = edges.filter((e) => {
      const from = node.get(e.from);
      const to = node.get(e.to);
      return from === undefined || to === undefined || !allowsEndpoints(e.label, from.label, to.label);
    });
    expect(bad).toEqual([]);
  });

  it('is deterministic for a given anchor', () => {
    expect(demoEstate(new Date(ANCHOR))).toEqual(lines);
  });

  it('computes every time from the anchor, so the story holds whenever it is seeded', () => {
    const shift = 123 * DAY + 4_567_000;
    const later = demoEstate(new Date(ANCHOR.getTime() + shift));
    expect(later.length).toBe(lines.length);
    later.forEach((line, i) => {
      const before = lines[i]!;
      for (const [key, value] of Object.entries(line.props)) {
        if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) {
          expect(Date.parse(value) - Date.parse(before.props[key] as string), `${formatLine(line)} ${key}`).toBe(shift);
        } else {
          expect(value).toEqual(before.props[key]);
        }
      }
    });
  });

  it('has at least 4 teams with emails and a few accountable people', () => {
    const owners = labelled('Owner');
    expect(owners.filter((o) => o.props['kind'] === 'TEAM' && typeof o.props['email'] === 'string').length).toBeGreaterThanOrEqual(4);
    expect(owners.filter((o) => o.props['kind'] === 'PERSON').length).toBeGreaterThanOrEqual(2);
  });

  it('has at least 12 services in prod and 12 in dev, each with a criticality and an owner, one retired', () => {
    const services = labelled('Service');
    expect(services.filter((s) => s.props['environment'] === 'prod').length).toBeGreaterThanOrEqual(12);
    expect(services.filter((s) => s.props['environment'] === 'dev').length).toBeGreaterThanOrEqual(12);
    expect(services.filter((s) => s.props['criticality'] === undefined)).toEqual([]);
    expect(services.filter((s) => !into(s.id, 'OWNS').length)).toEqual([]);
    expect(services.filter((s) => s.props['status'] === 'RETIRED').map((s) => s.id)).toEqual([DEMO_MESSES.grantOnRetiredService.service]);
  });

  it('has at least 120 identities, at least 80% non-human, of every kind', () => {
    const identities = labelled('Identity');
    const nonHuman = identities.filter((i) => i.props['kind'] !== 'HUMAN');
    expect(identities.length).toBeGreaterThanOrEqual(120);
    expect(nonHuman.length / identities.length).toBeGreaterThanOrEqual(0.8);
    expect(new Set(identities.map((i) => i.props['kind']))).toEqual(new Set(IDENTITY_KINDS));
  });

  it('has a credential of every kind, each with a sha256 fingerprint, an issue time and what it authenticates', () => {
    const credentials = labelled('Credential');
    expect(new Set(credentials.map((c) => c.props['kind']))).toEqual(new Set(CREDENTIAL_KINDS));
    for (const c of credentials) {
      expect(c.props['fingerprint']).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(c.props['issuedAt']).toBeTypeOf('string');
      expect(out(c.id, 'AUTHENTICATES')).toHaveLength(1);
    }
    expect(credentials.some((c) => c.props['expiresAt'] !== undefined && c.props['lastUsedAt'] !== undefined)).toBe(true);
  });

  it('has exactly two vendors, each operating identities', () => {
    const vendors = labelled('Vendor');
    expect(vendors).toHaveLength(2);
    for (const v of vendors) expect(out(v.id, 'OPERATES').length).toBeGreaterThan(0);
  });

  it('names scopes scope:<service>:<resource>:<verb>, each ON its service, with a level and a sensitivity', () => {
    for (const s of labelled('Scope')) {
      const [, service] = s.id.split(':');
      expect(s.id).toMatch(/^scope:[a-z-]+:[a-z-]+:[a-z]+$/);
      expect(out(s.id, 'ON').map((e) => e.to)).toEqual([`svc:${service}`]);
      expect(s.props['sensitivity']).toBeTypeOf('string');
    }
  });

  it('has central and local roles, each local role naming an existing service', () => {
    const roles = labelled('Role');
    expect(roles.some((r) => r.props['origin'] === 'CENTRAL')).toBe(true);
    const local = roles.filter((r) => r.props['origin'] === 'LOCAL');
    expect(local.length).toBeGreaterThan(0);
    expect(local.filter((r) => node.get(r.props['service'] as string)?.label !== 'Service')).toEqual([]);
  });

  it('has an acyclic INHERITS graph with a chain at least 4 deep', () => {
    const depth = new Map<string, number>();
    const deepest = (role: string, trail: readonly string[]): number => {
      expect(trail, 'INHERITS has no cycle').not.toContain(role);
      const known = depth.get(role);
      if (known !== undefined) return known;
      const d = Math.max(0, ...out(role, 'INHERITS').map((e) => 1 + deepest(e.to, [...trail, role])));
      depth.set(role, d);
      return d;
    };
    expect(Math.max(...labelled('Role').map((r) => deepest(r.id, [])))).toBeGreaterThanOrEqual(4);
  });

  it('nests groups', () => {
    expect(edges.some((e) => e.label === 'MEMBER_OF' && node.get(e.from)?.label === 'Group')).toBe(true);
  });

  it('gives every grant its provenance, and every local grant its domain', () => {
    for (const e of edges.filter((e) => GRANT_EDGE_TYPES.includes(e.label))) {
      expect(e.props, formatLine(e)).toMatchObject({ status: expect.any(String), grantedBy: expect.any(String), grantedAt: expect.any(String) });
      if (e.props['origin'] === 'LOCAL') expect(node.get(e.props['domain'] as string)?.label, formatLine(e)).toBe('Service');
      else expect(e.props['origin'], formatLine(e)).toBe('CENTRAL');
    }
    expect(edges.some((e) => GRANT_EDGE_TYPES.includes(e.label) && e.props['justification'] !== undefined)).toBe(true);
  });

  it('carries realistic noise: revoked and pending grants, a disabled identity, a revoked credential', () => {
    expect(edges.some((e) => e.props['status'] === 'REVOKED' && e.props['revokedAt'] !== undefined)).toBe(true);
    expect(edges.some((e) => e.props['status'] === 'PENDING')).toBe(true);
    expect(labelled('Identity').some((i) => i.props['status'] === 'DISABLED')).toBe(true);
    expect(labelled('Credential').some((c) => c.props['revokedAt'] !== undefined)).toBe(true);
  });
});

describe('the payments CI key', () => {
  const path = PAYMENTS_CI_KEY_PATH;

  it('is an API key that authenticates sa:payments-ci', () => {
    expect(node.get(path.credential)?.props['kind']).toBe('API_KEY');
    expect(out(path.credential, 'AUTHENTICATES').map((e) => e.to)).toEqual([path.identity]);
  });

  it('reaches scopes on several services, a CRITICAL one among them, through inherited roles', () => {
    const reached = reach(path.credential, PRIVILEGE_EDGE_TYPES);
    const scopes = [...reached].filter((id) => node.get(id)?.label === 'Scope');
    expect(new Set(scopes.map((s) => s.split(':')[1])).size).toBeGreaterThanOrEqual(3);
    expect(scopes.some((s) => node.get(s)?.props['sensitivity'] === 'CRITICAL')).toBe(true);
    expect(out(path.releaseRole, 'INHERITS').map((e) => e.to)).toEqual([path.deployerRole]);
    expect(reached).toContain(path.adminScope);
    expect(reached).toContain(path.ledgerScope);
  });

  it('takes over svc:payments through its ADMIN scope, and with it what the service runs as and holds', () => {
    expect(node.get(path.adminScope)?.props['level']).toBe('ADMIN');
    expect(node.get(path.service)?.props['criticality']).toBe('CRITICAL');
    const reached = reach(path.credential, COMPROMISE_EDGE_TYPES);
    expect(reached).toContain(path.service);
    expect(out(path.service, 'RUNS_AS').map((e) => e.to)).toEqual([path.runsAs]);
    for (const id of [path.runsAs, ...path.held]) expect(reached).toContain(id);
    expect(reached.size).toBeGreaterThan(reach(path.credential, PRIVILEGE_EDGE_TYPES).size + 10);
  });

  it('passes through grants that end in the future', () => {
    const ending = out(path.identity, 'HAS_ROLE').filter((e) => Date.parse(e.props['expiresAt'] as string) > ANCHOR.getTime());
    expect(ending.map((e) => e.to).sort()).toEqual(['role:ledger-writer', path.releaseRole]);
  });
});

describe('the messes', () => {
  it('1: an orphaned service account, active, privileged, the only identity nobody owns', () => {
    const { identity } = DEMO_MESSES.orphanedServiceAccount;
    expect(node.get(identity)?.props).toMatchObject({ kind: 'SERVICE_ACCOUNT', status: 'ACTIVE' });
    expect(labelled('Identity').filter((i) => into(i.id, 'OWNS').length === 0).map((i) => i.id)).toEqual([identity]);
    expect(scopesOf(identity).length).toBeGreaterThan(0);
  });

  it('2: a stale key, unused for 200+ days, still valid', () => {
    const { credential } = DEMO_MESSES.staleKey;
    const props = node.get(credential)!.props;
    expect(ANCHOR.getTime() - Date.parse(props['lastUsedAt'] as string)).toBeGreaterThanOrEqual(200 * DAY);
    expect(props['revokedAt']).toBeUndefined();
    expect(props['expiresAt']).toBeUndefined();
    expect(liveNode(credential)).toBe(true);
    expect(scopesOf(credential).length).toBeGreaterThan(0);
  });

  it('3: a vendor identity with a live privilege path to a CRITICAL scope', () => {
    const { vendor, identity, scope } = DEMO_MESSES.vendorToCritical;
    expect(node.get(vendor)?.props['status']).toBe('ACTIVE');
    expect(out(vendor, 'OPERATES').map((e) => e.to)).toContain(identity);
    expect(node.get(scope)?.props['sensitivity']).toBe('CRITICAL');
    expect(scopesOf(identity)).toContain(scope);
  });

  it('4: an AI agent that can assume a prod deployer holding an ADMIN scope on a prod service', () => {
    const { agent, deployer, scope } = DEMO_MESSES.agentAssumesDeployer;
    expect(node.get(agent)?.props['kind']).toBe('AI_AGENT');
    expect(out(agent, 'CAN_ASSUME').filter((e) => liveEdge(e)).map((e) => e.to)).toContain(deployer);
    expect(node.get(deployer)?.props).toMatchObject({ kind: 'SERVICE_ACCOUNT', environment: 'prod', status: 'ACTIVE' });
    expect(node.get(scope)?.props['level']).toBe('ADMIN');
    expect(node.get(out(scope, 'ON')[0]!.to)?.props['environment']).toBe('prod');
    expect(scopesOf(deployer)).toContain(scope);
    expect(scopesOf(agent)).toContain(scope);
  });

  it('5: a read-only role whose INHERITS chain reaches a role granting an ADMIN scope', () => {
    const { role, chain, scope, holders } = DEMO_MESSES.quietAdminChain;
    const walked: string[] = [role];
    while (out(walked.at(-1)!, 'INHERITS').length > 0) walked.push(out(walked.at(-1)!, 'INHERITS')[0]!.to);
    expect(walked).toEqual(chain);
    expect(out(role, 'GRANTS').map((e) => node.get(e.to)?.props['level'])).toEqual(['READ']);
    expect(out(chain.at(-1)!, 'GRANTS').map((e) => e.to)).toEqual([scope]);
    expect(node.get(scope)?.props['level']).toBe('ADMIN');
    for (const holder of holders) expect(out(holder, 'HAS_ROLE').filter(liveEdge).map((e) => e.to)).toContain(role);
    expect(scopesOf('agent:support-copilot')).toContain(scope);
  });

  it('6: a live grant of a local role of a retired service', () => {
    const { identity, role, service } = DEMO_MESSES.grantOnRetiredService;
    expect(node.get(service)?.props['status']).toBe('RETIRED');
    expect(node.get(role)?.props).toMatchObject({ origin: 'LOCAL', service });
    const grant = out(identity, 'HAS_ROLE').find((e) => e.to === role)!;
    expect(grant.props).toMatchObject({ status: 'ACTIVE', origin: 'LOCAL', domain: service });
    expect(liveEdge(grant) && liveNode(identity)).toBe(true);
  });

  it('7: an access token expired but never revoked, so not live', () => {
    const { credential, identity } = DEMO_MESSES.expiredUnrevokedToken;
    const props = node.get(credential)!.props;
    expect(props['kind']).toBe('ACCESS_TOKEN');
    expect(Date.parse(props['expiresAt'] as string)).toBeLessThan(ANCHOR.getTime());
    expect(props['revokedAt']).toBeUndefined();
    expect(liveNode(credential)).toBe(false);
    expect(out(credential, 'AUTHENTICATES').map((e) => e.to)).toEqual([identity]);
    const expiredTokens = labelled('Credential').filter(
      (c) => c.props['kind'] === 'ACCESS_TOKEN' && !liveNode(c.id) && c.props['revokedAt'] === undefined,
    );
    expect(expiredTokens.map((c) => c.id)).toEqual([credential]);
  });

  it('8: a dev identity with a local grant of a role that writes on a prod service', () => {
    const { identity, role, scope, service } = DEMO_MESSES.devToProd;
    expect(node.get(identity)?.props['environment']).toBe('dev');
    const grant = out(identity, 'HAS_ROLE').find((e) => e.to === role)!;
    expect(grant.props).toMatchObject({ origin: 'LOCAL', status: 'ACTIVE' });
    expect(liveEdge(grant)).toBe(true);
    expect(['WRITE', 'ADMIN']).toContain(node.get(scope)?.props['level']);
    expect(out(scope, 'ON').map((e) => e.to)).toEqual([service]);
    expect(node.get(service)?.props['environment']).toBe('prod');
    expect(scopesOf(identity)).toContain(scope);
  });
});

/** Nodes reached from `start` along live edges of `types`, through live nodes; ON only out of ADMIN scopes. */
function reach(start: string, types: readonly EdgeType[]): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const from = node.get(id)!;
    for (const e of edges.filter((e) => e.from === id && types.includes(e.label))) {
      if (e.label === 'ON' && from.props['level'] !== 'ADMIN') continue;
      if (!liveEdge(e) || !liveNode(e.to) || seen.has(e.to)) continue;
      seen.add(e.to);
      queue.push(e.to);
    }
  }
  return seen;
}

function scopesOf(start: string): string[] {
  return [...reach(start, PRIVILEGE_EDGE_TYPES)].filter((id) => node.get(id)?.label === 'Scope');
}

function liveNode(id: string): boolean {
  const n = node.get(id)!;
  const interval = nodeInterval(n.label, n.props);
  return isLiveAt(interval.start, interval.end, ANCHOR.getTime());
}

function liveEdge(e: EdgeLine): boolean {
  const interval = edgeInterval(e.label, e.props);
  return isLiveAt(interval.start, interval.end, ANCHOR.getTime());
}

function labelled(label: NodeLine['label']): NodeLine[] {
  return nodes.filter((n) => n.label === label);
}

function indexOf(all: readonly InterchangeLine[]) {
  const nodes = all.filter((l): l is NodeLine => l.type === 'node');
  const edges = all.filter((l): l is EdgeLine => l.type === 'edge');
  const node = new Map(nodes.map((n) => [n.id, n] as const));
  return {
    nodes,
    edges,
    node,
    out: (id: string, type: EdgeType) => edges.filter((e) => e.from === id && e.label === type),
    into: (id: string, type: EdgeType) => edges.filter((e) => e.to === id && e.label === type),
  };
}
