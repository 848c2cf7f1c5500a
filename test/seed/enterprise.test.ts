import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { enterpriseLines, enterpriseRecords, enterpriseShape } from '../../seed/enterprise.js';
import { importLines } from '../../src/interchange/import.js';
import { formatLine, parseLine, recordsOf, type EdgeLine, type InterchangeLine, type NodeLine } from '../../src/model/interchange.js';
import { edgeKeyString } from '../../src/model/records.js';
import { CREDENTIAL_KINDS, GRANT_EDGE_TYPES, IDENTITY_KINDS, allowsEndpoints, type EdgeType } from '../../src/model/vocabulary.js';
import { tempStore } from '../support/temp-store.js';

const SIZE = 5000;
const ANCHOR = Date.parse('2026-11-23T00:00:00Z');
const DAY = 86_400_000;
const text = [...enterpriseLines({ identities: SIZE })];
const lines = text.map((line, i) => {
  const parsed = parseLine(line, i + 1);
  if (!parsed.ok) throw new Error(`line ${i + 1} does not parse: ${JSON.stringify(parsed.issues)}\n${line}`);
  return parsed.value;
});
const nodes = lines.filter((l): l is NodeLine => l.type === 'node');
const edges = lines.filter((l): l is EdgeLine => l.type === 'edge');
const byId = new Map(nodes.map((n) => [n.id, n]));
const of = (type: EdgeType): EdgeLine[] => edges.filter((e) => e.label === type);
const labelled = (label: NodeLine['label']): NodeLine[] => nodes.filter((n) => n.label === label);
const time = (value: unknown): number => Date.parse(value as string);
const sha256 = (values: Iterable<string>): string => {
  const hash = createHash('sha256');
  for (const value of values) hash.update(`${value}\n`);
  return hash.digest('hex');
};

describe('enterpriseLines', () => {
  it('gives the same bytes for the same seed, and other bytes for another seed or anchor', () => {
    const reference = sha256(enterpriseLines({ identities: 2000, seed: 42 }));
    expect(sha256(enterpriseLines({ identities: 2000 }))).toBe(reference);
    expect(sha256(enterpriseLines({ identities: 2000, seed: 42, anchor: new Date(ANCHOR) }))).toBe(reference);
    expect(sha256(enterpriseLines({ identities: 2000, seed: 7 }))).not.toBe(reference);
    expect(sha256(enterpriseLines({ identities: 2000, anchor: new Date(ANCHOR + DAY) }))).not.toBe(reference);
  });

  it('writes every line exactly as formatLine would, so that it passes parseLine and re-exports unchanged', () => {
    const differing = lines.map((line, i) => [formatLine(line), text[i]]).filter(([formatted, raw]) => formatted !== raw);
    expect(differing.slice(0, 3)).toEqual([]);
  });

  it('lists every node before any edge, with unique ids and unique edge identities', () => {
    expect(text.findIndex((l) => l.startsWith('{"type":"edge"'))).toBe(nodes.length);
    expect(byId.size).toBe(nodes.length);
    expect(new Set(edges.map((e) => edgeKeyString({ type: e.label, from: e.from, to: e.to, key: e.key }))).size).toBe(edges.length);
  });

  it('joins only existing nodes, with the label pairs each edge type allows', () => {
    const bad = edges.filter((e) => {
      const from = byId.get(e.from);
      const to = byId.get(e.to);
      return from === undefined || to === undefined || !allowsEndpoints(e.label, from.label, to.label);
    });
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it('has 25 to 50 non-human identities per human, humans in prod and NHIs in every environment', () => {
    const identities = labelled('Identity');
    const humans = identities.filter((n) => n.props['kind'] === 'HUMAN');
    const nhis = identities.filter((n) => n.props['kind'] !== 'HUMAN');
    expect(identities).toHaveLength(SIZE);
    expect(nhis.length / humans.length).toBeGreaterThanOrEqual(25);
    expect(nhis.length / humans.length).toBeLessThanOrEqual(50);
    expect(new Set(identities.map((n) => n.props['kind']))).toEqual(new Set(IDENTITY_KINDS));
    expect(new Set(humans.map((n) => n.props['environment']))).toEqual(new Set(['prod']));
    expect(new Set(nhis.map((n) => n.props['environment']))).toEqual(new Set(['prod', 'staging', 'dev', 'test']));
    const inactive = identities.filter((n) => n.props['status'] !== 'ACTIVE').length / SIZE;
    expect(inactive).toBeGreaterThan(0.02);
    expect(inactive).toBeLessThan(0.1);
    expect(new Set(identities.map((n) => n.props['status']))).toEqual(new Set(['ACTIVE', 'DISABLED', 'RETIRED']));
    const services = labelled('Service');
    expect(services.filter((n) => n.props['status'] === 'RETIRED').length).toBeGreaterThan(0);
    expect(services.filter((n) => n.props['status'] === 'RETIRED').length).toBeLessThan(services.length / 10);
  });

  it('has about 5 edges per identity', () => {
    expect(edges.length / SIZE).toBeGreaterThan(4);
    expect(edges.length / SIZE).toBeLessThan(6);
  });

  it('gives the services to teams by a power law: the top team owns many times what the median team owns', () => {
    const teams = labelled('Owner').filter((n) => n.props['kind'] === 'TEAM');
    const owned = new Map(teams.map((t) => [t.id, 0]));
    for (const e of of('OWNS')) if (byId.get(e.to)?.label === 'Service') owned.set(e.from, (owned.get(e.from) ?? 0) + 1);
    const counts = [...owned.values()].sort((a, b) => b - a);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(labelled('Service').length);
    const median = counts[Math.floor(counts.length / 2)]!;
    expect(counts[0]!).toBeGreaterThanOrEqual(4 * Math.max(1, median));
    expect(labelled('Owner').some((n) => n.props['kind'] === 'PERSON' && n.props['status'] === 'DEPARTED')).toBe(true);
  });

  it('owns services, identities and credentials, and leaves a few NHIs without an owner', () => {
    const owned = new Set(of('OWNS').map((e) => e.to));
    const targets = new Set(of('OWNS').map((e) => byId.get(e.to)!.label));
    expect(targets).toEqual(new Set(['Service', 'Identity', 'Credential']));
    const nhis = labelled('Identity').filter((n) => n.props['kind'] !== 'HUMAN');
    const orphans = nhis.filter((n) => !owned.has(n.id)).length / nhis.length;
    expect(orphans).toBeGreaterThan(0.02);
    expect(orphans).toBeLessThan(0.15);
  });

  it('defines per service scopes ON it and LOCAL roles that GRANT them', () => {
    const scopes = labelled('Scope');
    expect(new Set(scopes.map((s) => s.props['level']))).toEqual(new Set(['READ', 'WRITE', 'ADMIN']));
    expect(new Set(scopes.map((s) => s.props['sensitivity']))).toEqual(new Set(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']));
    expect(new Set(of('ON').map((e) => e.from))).toEqual(new Set(scopes.map((s) => s.id)));
    const local = labelled('Role').filter((r) => r.props['origin'] === 'LOCAL');
    expect(local.every((r) => byId.get(r.props['service'] as string)?.label === 'Service')).toBe(true);
    const granting = new Set(of('GRANTS').map((e) => e.from));
    expect(local.every((r) => granting.has(r.id))).toBe(true);
  });

  it('chains roles by INHERITS 4 to 6 deep, central over local, without cycles', () => {
    const parents = new Map<string, string[]>();
    for (const e of of('INHERITS')) parents.set(e.from, [...(parents.get(e.from) ?? []), e.to]);
    expect(longestPath(parents)).toBeGreaterThanOrEqual(4);
    expect(longestPath(parents)).toBeLessThanOrEqual(6);
    const centralToLocal = of('INHERITS').filter((e) => byId.get(e.from)!.props['origin'] === 'CENTRAL' && byId.get(e.to)!.props['origin'] === 'LOCAL');
    const centralToCentral = of('INHERITS').filter((e) => byId.get(e.from)!.props['origin'] === 'CENTRAL' && byId.get(e.to)!.props['origin'] === 'CENTRAL');
    expect(centralToLocal.length).toBeGreaterThan(0);
    expect(centralToCentral.length).toBeGreaterThan(0);
  });

  it('nests groups a few levels deep without cycles, and grants roles to groups', () => {
    const parents = new Map<string, string[]>();
    for (const e of of('MEMBER_OF')) if (byId.get(e.from)!.label === 'Group') parents.set(e.from, [...(parents.get(e.from) ?? []), e.to]);
    expect(longestPath(parents)).toBeGreaterThanOrEqual(2);
    expect(longestPath(parents)).toBeLessThanOrEqual(3);
    expect(of('HAS_ROLE').some((e) => byId.get(e.from)!.label === 'Group')).toBe(true);
    expect(of('MEMBER_OF').some((e) => byId.get(e.from)!.label === 'Identity')).toBe(true);
  });

  it('gives each NHI 1 or 2 credentials of every kind and state, with sha256 fingerprints', () => {
    const perIdentity = new Map<string, number>();
    for (const e of of('AUTHENTICATES')) perIdentity.set(e.to, (perIdentity.get(e.to) ?? 0) + 1);
    const nhis = labelled('Identity').filter((n) => n.props['kind'] !== 'HUMAN');
    expect(new Set(nhis.map((n) => perIdentity.get(n.id)))).toEqual(new Set([1, 2]));
    const credentials = labelled('Credential');
    expect(of('AUTHENTICATES')).toHaveLength(credentials.length);
    expect(new Set(credentials.map((c) => c.props['kind']))).toEqual(new Set(CREDENTIAL_KINDS));
    expect(credentials.every((c) => /^sha256:[0-9a-f]{64}$/.test(c.props['fingerprint'] as string))).toBe(true);
    expect(new Set(credentials.map((c) => c.props['fingerprint'])).size).toBe(credentials.length);
    const share = (test: (c: NodeLine) => boolean): number => credentials.filter(test).length / credentials.length;
    expect(share((c) => time(c.props['expiresAt']) <= ANCHOR)).toBeGreaterThan(0.05);
    expect(share((c) => c.props['expiresAt'] === undefined)).toBeGreaterThan(0.1);
    expect(share((c) => time(c.props['lastUsedAt']) < ANCHOR - 180 * DAY)).toBeGreaterThan(0.05);
    expect(share((c) => c.props['lastUsedAt'] === undefined)).toBeGreaterThan(0.05);
    expect(share((c) => c.props['revokedAt'] !== undefined)).toBeGreaterThan(0);
    expect(share((c) => c.props['rotatedAt'] !== undefined)).toBeGreaterThan(0.1);
    expect(credentials.every((c) => time(c.props['issuedAt']) <= (time(c.props['lastUsedAt'] ?? c.props['issuedAt'])))).toBe(true);
    expect(share((c) => c.props['kind'] === 'PASSWORD')).toBeLessThan(0.1);
  });

  it('runs services as workloads, stores credentials in services, lets vendors (some offboarded) operate NHIs', () => {
    expect(of('RUNS_AS').every((e) => byId.get(e.to)!.props['kind'] !== 'HUMAN')).toBe(true);
    expect(of('RUNS_AS').some((e) => byId.get(e.to)!.props['kind'] === 'WORKLOAD')).toBe(true);
    expect(of('HOLDS').length).toBeGreaterThan(0);
    expect(of('OPERATES').length).toBeGreaterThan(0);
    expect(of('OPERATES').every((e) => byId.get(e.to)!.props['kind'] !== 'HUMAN')).toBe(true);
    expect(new Set(labelled('Vendor').map((v) => v.props['status']))).toEqual(new Set(['ACTIVE', 'OFFBOARDED']));
  });

  it('delegates by CAN_ASSUME from a few % of identities, in short acyclic chains', () => {
    const assume = of('CAN_ASSUME');
    const sources = new Set(assume.map((e) => e.from)).size / SIZE;
    expect(sources).toBeGreaterThan(0.01);
    expect(sources).toBeLessThan(0.06);
    const targets = new Map<string, string[]>();
    for (const e of assume) targets.set(e.from, [...(targets.get(e.from) ?? []), e.to]);
    expect(longestPath(targets)).toBe(2);
  });

  it('gives every grant its origin, status and grantedAt, a domain when local, a few revoked, pending or just in time', () => {
    const grants = edges.filter((e) => GRANT_EDGE_TYPES.includes(e.label));
    expect(grants.every((g) => ['CENTRAL', 'LOCAL'].includes(g.props['origin'] as string) && g.props['status'] !== undefined && g.props['grantedAt'] !== undefined)).toBe(true);
    expect(grants.filter((g) => g.props['origin'] === 'LOCAL').every((g) => byId.get(g.props['domain'] as string)?.label === 'Service')).toBe(true);
    const share = (test: (g: EdgeLine) => boolean): number => grants.filter(test).length / grants.length;
    const revoked = grants.filter((g) => g.props['status'] === 'REVOKED');
    expect(revoked.length / grants.length).toBeGreaterThan(0.005);
    expect(revoked.length / grants.length).toBeLessThan(0.05);
    expect(revoked.every((g) => time(g.props['grantedAt']) <= time(g.props['revokedAt']) && time(g.props['revokedAt']) <= ANCHOR)).toBe(true);
    expect(share((g) => g.props['status'] === 'PENDING')).toBeGreaterThan(0.005);
    expect(share((g) => g.props['status'] === 'PENDING')).toBeLessThan(0.05);
    expect(share((g) => g.props['expiresAt'] !== undefined)).toBeGreaterThan(0.02);
    expect(share((g) => g.props['expiresAt'] !== undefined)).toBeLessThan(0.15);
    expect(grants.some((g) => time(g.props['expiresAt']) <= ANCHOR)).toBe(true);
    expect(share((g) => g.props['origin'] === 'LOCAL')).toBeGreaterThan(0.3);
  });

  it('refuses a size that is not a whole number from 1 to 10,000,000', () => {
    expect(() => [...enterpriseLines({ identities: 0 })]).toThrow('identities must be a whole number from 1 to 10000000, got 0');
    expect(() => enterpriseShape({ identities: 1.5 })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', issues: [expect.objectContaining({ path: 'identities' })] }));
    expect([...enterpriseLines({ identities: 1 })].length).toBeGreaterThan(0);
  });
});

describe('enterpriseShape', () => {
  it('predicts the counts of everything but credentials', () => {
    const shape = enterpriseShape({ identities: SIZE });
    const owners = labelled('Owner');
    expect({
      identities: labelled('Identity').length,
      teams: owners.filter((o) => o.props['kind'] === 'TEAM').length,
      persons: owners.filter((o) => o.props['kind'] === 'PERSON').length,
      vendors: labelled('Vendor').length,
      services: labelled('Service').length,
      scopes: labelled('Scope').length,
      localRoles: labelled('Role').filter((r) => r.props['origin'] === 'LOCAL').length,
      centralRoles: labelled('Role').filter((r) => r.props['origin'] === 'CENTRAL').length,
      groups: labelled('Group').length,
    }).toEqual(shape);
  });
});

describe('enterpriseRecords', () => {
  it('equals the records that the lines describe', () => {
    const small: InterchangeLine[] = [...enterpriseLines({ identities: 500, seed: 3 })].map((line, i) => {
      const parsed = parseLine(line, i + 1);
      if (!parsed.ok) throw new Error(line);
      return parsed.value;
    });
    expect(enterpriseRecords({ identities: 500, seed: 3 })).toEqual(recordsOf(small));
  });
});

describe('an enterprise import', () => {
  it('imports the lines of a 2,000-identity estate into a Kuzu store, and again without a change', async () => {
    const store = await tempStore();
    const estate = enterpriseRecords({ identities: 2000 });
    const first = await importLines(store, enterpriseLines({ identities: 2000 }), { source: 'enterprise' });
    expect(first.nodes).toEqual({ created: estate.nodes.length, updated: 0, unchanged: 0 });
    expect(first.edges).toEqual({ created: estate.edges.length, updated: 0, unchanged: 0 });
    expect(first.commit).not.toBeNull();
    const sample = [estate.nodes[0]!, estate.nodes[estate.nodes.length - 1]!];
    expect(await store.getNodes(sample.map((n) => n.id))).toEqual(sample);
    const again = await importLines(store, enterpriseLines({ identities: 2000 }), { source: 'enterprise' });
    expect(again.commit).toBeNull();
  }, 120_000);
});

/** The most edges on any path of a directed graph; throws on a cycle. */
function longestPath(next: ReadonlyMap<string, readonly string[]>): number {
  const depth = new Map<string, number>();
  const onPath = new Set<string>();
  const visit = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (onPath.has(id)) throw new Error(`cycle through ${id}`);
    onPath.add(id);
    const d = Math.max(0, ...(next.get(id) ?? []).map((to) => 1 + visit(to)));
    onPath.delete(id);
    depth.set(id, d);
    return d;
  };
  return Math.max(0, ...[...next.keys()].map(visit));
}
