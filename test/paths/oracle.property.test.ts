/**
 * Every query against a brute-force oracle on random small estates: the oracle enumerates every simple
 * live path (as edge sequences) and derives targets, distances, routes, access ends, the smallest
 * shortest path and truncation from the definitions in DESIGN.md. It shares no code with the engine;
 * what "live" means it takes from `model/liveness.ts`, which has its own tests.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { edgeInterval, isLiveAt, nodeInterval } from '../../src/model/liveness.js';
import { resolveQueryOptions } from '../../src/model/query-options.js';
import type { EdgeRecord, NodeRecord } from '../../src/model/records.js';
import { EDGE_ENDPOINTS, EDGE_TYPES, type EdgeType, type NodeLabel } from '../../src/model/vocabulary.js';
import { blastRadius } from '../../src/paths/blast-radius.js';
import { explain } from '../../src/paths/explain.js';
import { reach } from '../../src/paths/reach.js';
import type { PathEntry, PathQueryResult, QueryStats } from '../../src/paths/results.js';
import { shortestPath } from '../../src/paths/shortest-path.js';
import { whoCan } from '../../src/paths/who-can.js';
import { arrayAdjacency } from '../support/array-adjacency.js';
import { day, dayMs, estate, type Estate, type FixtureProps } from '../support/estate.js';

const RUNS = 1000;

// ---- random estates ------------------------------------------------------------------------------

/** Every label, weighted towards the ones privilege runs through. */
const MIXED: NodeLabel[] = ['Identity', 'Identity', 'Identity', 'Credential', 'Group', 'Group', 'Role', 'Role', 'Role', 'Scope', 'Scope', 'Service', 'Vendor', 'Owner'];
/** Privilege labels only, for deeper chains and more ties between shortest paths. */
const DENSE: NodeLabel[] = ['Identity', 'Identity', 'Credential', 'Group', 'Group', 'Group', 'Role', 'Role', 'Role', 'Scope'];
const GRANT_LIKE: EdgeType[] = ['MEMBER_OF', 'HAS_ROLE', 'INHERITS', 'GRANTS', 'CAN_ASSUME'];
/** Mostly absent: a draw where every grant expires finds nothing. */
const time = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 6 },
  { arbitrary: fc.integer({ min: -2, max: 2 }).map(day), weight: 1 },
);

const nodeArb = (labels: readonly NodeLabel[]) => fc.record({
  label: fc.constantFrom(...labels),
  status: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, fc.constantFrom('ACTIVE', 'DISABLED')),
  issuedAt: time,
  expiresAt: time,
  revokedAt: time,
  level: fc.constantFrom('READ', 'WRITE', 'ADMIN', 'ADMIN'),
  severity: fc.constantFrom(undefined, 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'),
});

type NodeDraw = ReturnType<typeof nodeArb> extends fc.Arbitrary<infer T> ? T : never;
type EdgeDraw = typeof edgeArb extends fc.Arbitrary<infer T> ? T : never;

const edgeArb = fc.record({
  /** Picks among the edge types that the drawn labels allow. */
  type: fc.nat(),
  from: fc.nat(),
  to: fc.nat(),
  key: fc.constantFrom('', '', 'k1', 'k2'),
  status: fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, fc.constantFrom('ACTIVE', 'PENDING', 'REVOKED')),
  grantedAt: time,
  expiresAt: time,
  revokedAt: time,
  origin: fc.constantFrom(undefined, 'CENTRAL', 'LOCAL'),
});

/** A layered estate: two identities, two groups, two roles, two scopes; many equal-length routes. */
const LAYERS: NodeLabel[] = ['Identity', 'Identity', 'Group', 'Group', 'Role', 'Role', 'Scope', 'Scope'];
const LAYER_EDGE: Partial<Record<string, EdgeType>> = { 'Identity Group': 'MEMBER_OF', 'Group Role': 'HAS_ROLE', 'Role Scope': 'GRANTS' };

const estateOf = (labels: readonly NodeLabel[] | 'layered', minNodes: number, minEdges: number) =>
  fc
    .record({
      // Ids in random order, so that the tie-break cannot lean on insertion order.
      ids: fc.shuffledSubarray(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'ab', 'ba'], { minLength: minNodes, maxLength: 8 }),
      nodes: fc.array(nodeArb(labels === 'layered' ? DENSE : labels), { minLength: 8, maxLength: 8 }),
      links: fc.array(fc.option(edgeArb, { freq: 3 }), { minLength: 64, maxLength: 64 }),
      edges: fc.array(edgeArb, { minLength: minEdges, maxLength: 28 }),
    })
    .map(({ ids, nodes, links, edges }): Estate => {
      const b = estate();
      const seen = new Set<string>();
      const add = (type: EdgeType, from: string, to: string, e: EdgeDraw): void => {
        const identity = `${type} ${from} ${to} ${e.key}`;
        if (seen.has(identity)) return;
        seen.add(identity);
        const props: FixtureProps = { id: e.key || undefined };
        if (GRANT_LIKE.includes(type)) Object.assign(props, { status: e.status, grantedAt: e.grantedAt, expiresAt: e.expiresAt, revokedAt: e.revokedAt, origin: e.origin });
        b.edge(type, from, to, props);
      };
      // Every estate has an identity, a role and a scope, so that most draws have something to find.
      const placed = ids.map((id, i) => {
        const label = labels === 'layered' ? LAYERS[i]! : ((['Identity', 'Role', 'Scope'] as const)[i] ?? nodes[i]!.label);
        b.node(label, id, nodeProps({ ...nodes[i]!, label }));
        return { id, label };
      });
      if (labels === 'layered') {
        placed.forEach((from, i) =>
          placed.forEach((to, j) => {
            const type = LAYER_EDGE[`${from.label} ${to.label}`];
            const link = links[i * 8 + j];
            if (type && link) add(type, from.id, to.id, link);
          }),
        );
      }
      const ends = (type: EdgeType) => ({
        type,
        froms: placed.filter((n) => EDGE_ENDPOINTS[type].from.includes(n.label)),
        tos: placed.filter((n) => EDGE_ENDPOINTS[type].to.includes(n.label)),
      });
      // Privilege types thrice: they make the chains that the queries are about.
      const types = [...EDGE_TYPES, ...GRANT_LIKE, ...GRANT_LIKE, 'AUTHENTICATES' as const].map(ends).filter((t) => t.froms.length > 0 && t.tos.length > 0);
      for (const e of edges) {
        if (types.length === 0) break;
        const { type, froms, tos } = types[e.type % types.length]!;
        add(type, froms[e.from % froms.length]!.id, tos[e.to % tos.length]!.id, e);
      }
      return b.build();
    });

const estateArb = fc.oneof(estateOf(MIXED, 5, 8), estateOf(DENSE, 8, 16), estateOf('layered', 8, 0));

function nodeProps(n: NodeDraw): FixtureProps {
  switch (n.label) {
    case 'Identity':
      return { status: n.status };
    case 'Credential':
      return { issuedAt: n.issuedAt, expiresAt: n.expiresAt, revokedAt: n.revokedAt };
    case 'Scope':
      return { level: n.level, sensitivity: n.severity };
    case 'Service':
      return { criticality: n.severity, status: n.status === 'DISABLED' ? 'RETIRED' : n.status };
    case 'Vendor':
      return { status: n.status === 'DISABLED' ? 'OFFBOARDED' : n.status };
    default:
      return {};
  }
}

const queryArb = fc.record({
  estate: estateArb,
  at: fc.constantFrom(-1.5, -1, 0, 0.5, 1, 2).map(dayMs),
  maxDepth: fc.integer({ min: 1, max: 6 }),
  pick: fc.nat(),
  pick2: fc.nat(),
});

// ---- the oracle ----------------------------------------------------------------------------------

interface OraclePath {
  readonly nodes: string[];
  readonly edges: EdgeRecord[];
}

type Follows = (e: EdgeRecord) => boolean;

class Oracle {
  private readonly byId: Map<string, NodeRecord>;

  constructor(
    readonly estate: Estate,
    readonly at: number,
  ) {
    this.byId = new Map(estate.nodes.map((n) => [n.id, n]));
  }

  node(id: string): NodeRecord {
    return this.byId.get(id)!;
  }

  nodeEnd(id: string): number {
    const n = this.node(id);
    return nodeInterval(n.label, n.props).end;
  }

  liveNode(id: string): boolean {
    const { start, end } = nodeInterval(this.node(id).label, this.node(id).props);
    return isLiveAt(start, end, this.at);
  }

  liveEdge(e: EdgeRecord): boolean {
    const { start, end } = edgeInterval(e.type, e.props);
    return isLiveAt(start, end, this.at);
  }

  readonly privilege: Follows = (e) => ['AUTHENTICATES', 'CAN_ASSUME', 'MEMBER_OF', 'HAS_ROLE', 'INHERITS', 'GRANTS'].includes(e.type);
  readonly compromise: Follows = (e) => {
    if (this.privilege(e) || e.type === 'OPERATES') return true;
    if (e.type === 'ON') return this.node(e.from).props['level'] === 'ADMIN';
    return e.type === 'RUNS_AS' || e.type === 'HOLDS';
  };

  /** Every simple live path of at most `max` edges from `start`, in edge orientation `forward` or read backward. */
  paths(start: string, follows: Follows, max: number, backward = false): OraclePath[] {
    if (!this.liveNode(start)) return [];
    const out: OraclePath[] = [];
    const go = (nodes: string[], edges: EdgeRecord[]): void => {
      out.push({ nodes: [...nodes], edges: [...edges] });
      if (edges.length === max) return;
      const here = nodes.at(-1)!;
      for (const e of this.estate.edges) {
        if ((backward ? e.to : e.from) !== here || !follows(e) || !this.liveEdge(e)) continue;
        const next = backward ? e.from : e.to;
        if (nodes.includes(next) || !this.liveNode(next)) continue;
        go([...nodes, next], [...edges, e]);
      }
    };
    go([start], []);
    return out;
  }

  end(p: OraclePath): number {
    return Math.min(...p.nodes.map((id) => this.nodeEnd(id)), ...p.edges.map((e) => edgeInterval(e.type, e.props).end));
  }

  /** Entries for the given paths (in edge orientation), one per target that `keep` accepts. */
  entries(paths: OraclePath[], targetOf: (p: OraclePath) => string, keep: (id: string) => boolean): PathEntry[] {
    const groups = new Map<string, OraclePath[]>();
    for (const p of paths) {
      const t = targetOf(p);
      if (p.edges.length > 0 && keep(t)) groups.set(t, [...(groups.get(t) ?? []), p]);
    }
    return [...groups].map(([id, ps]) => {
      const distance = Math.min(...ps.map((p) => p.edges.length));
      const shortest = ps.filter((p) => p.edges.length === distance).sort(comparePaths);
      const best = shortest[0]!;
      return {
        target: { id, label: this.node(id).label },
        path: {
          nodes: best.nodes,
          steps: best.edges.map((e) => ({ type: e.type, from: e.from, to: e.to, key: e.key, origin: (e.props['origin'] as 'CENTRAL' | 'LOCAL' | undefined) ?? null })),
        },
        distance,
        routes: shortest.length,
        accessEndsAt: Math.max(...ps.map((p) => this.end(p))),
      };
    });
  }

  /** visited, depthReached and truncated for a walk from `start`. */
  stats(start: string, follows: Follows, maxDepth: number, backward = false): QueryStats {
    const dist = new Map<string, number>();
    for (const p of this.paths(start, follows, maxDepth + 1, backward)) {
      const id = p.nodes.at(-1)!;
      dist.set(id, Math.min(dist.get(id) ?? Infinity, p.edges.length));
    }
    const within = [...dist.values()].filter((d) => d <= maxDepth);
    return {
      visited: within.length,
      depthReached: within.length === 0 ? 0 : Math.max(...within),
      truncated: [...dist.values()].some((d) => d === maxDepth + 1),
    };
  }
}

function compareSeq(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

/** Length, then node ids, then the (type, key) of each edge. */
function comparePaths(a: OraclePath, b: OraclePath): number {
  const edgeSeq = (p: OraclePath) => p.edges.flatMap((e) => [e.type, e.key]);
  return a.edges.length - b.edges.length || compareSeq(a.nodes, b.nodes) || compareSeq(edgeSeq(a), edgeSeq(b));
}

const byDistanceThenId = (a: PathEntry, b: PathEntry) => a.distance - b.distance || (a.target.id < b.target.id ? -1 : 1);

function reversed(p: OraclePath): OraclePath {
  return { nodes: [...p.nodes].reverse(), edges: [...p.edges].reverse() };
}

function pickOf(e: Estate, labels: readonly NodeLabel[], pick: number): string | undefined {
  const candidates = e.nodes.filter((n) => labels.includes(n.label));
  return candidates.length === 0 ? undefined : candidates[pick % candidates.length]!.id;
}

function expectResult(actual: PathQueryResult, entries: PathEntry[], stats: QueryStats): void {
  expect(actual.entries).toEqual(entries);
  expect(actual.stats).toEqual(stats);
}

const SEVERITY: Record<string, number> = { LOW: 1, MEDIUM: 3, HIGH: 6, CRITICAL: 10 };
const LEVEL: Record<string, number> = { READ: 1, WRITE: 2, ADMIN: 3 };
function oracleImpact(n: NodeRecord): number {
  if (n.label === 'Service') return SEVERITY[(n.props['criticality'] as string | undefined) ?? 'LOW']!;
  if (n.label === 'Scope') return SEVERITY[(n.props['sensitivity'] as string | undefined) ?? 'LOW']! * LEVEL[n.props['level'] as string]!;
  return 0;
}

// ---- the properties ------------------------------------------------------------------------------

describe('the engine agrees with a brute-force oracle', () => {
  it('reach: scopes, distances, routes, access ends, smallest shortest path, stats', () => {
    fc.assert(
      fc.property(queryArb, ({ estate: e, at, maxDepth, pick }) => {
        const subject = pickOf(e, ['Identity', 'Credential'], pick);
        if (!subject) return;
        const o = new Oracle(e, at);
        const expected = o.entries(o.paths(subject, o.privilege, maxDepth), (p) => p.nodes.at(-1)!, (id) => o.node(id).label === 'Scope');
        const actual = reach(arrayAdjacency(e), subject, resolveQueryOptions({ at, maxDepth }));
        expectResult(actual, expected.sort(byDistanceThenId), o.stats(subject, o.privilege, maxDepth));
      }),
      { numRuns: RUNS },
    );
  });

  it('whoCan: identities, paths read from the identity, routes, access ends, stats', () => {
    fc.assert(
      fc.property(queryArb, ({ estate: e, at, maxDepth, pick }) => {
        const scope = pickOf(e, ['Scope'], pick);
        if (!scope) return;
        const o = new Oracle(e, at);
        const paths = o.paths(scope, o.privilege, maxDepth, true).map(reversed);
        const expected = o.entries(paths, (p) => p.nodes[0]!, (id) => o.node(id).label === 'Identity');
        const actual = whoCan(arrayAdjacency(e), scope, resolveQueryOptions({ at, maxDepth }));
        expectResult(actual, expected.sort(byDistanceThenId), o.stats(scope, o.privilege, maxDepth, true));
      }),
      { numRuns: RUNS },
    );
  });

  it('blastRadius: every node reached under compromise, ranked by impact, with the summary', () => {
    fc.assert(
      fc.property(queryArb, ({ estate: e, at, maxDepth, pick }) => {
        const subject = e.nodes[pick % e.nodes.length]!.id;
        const o = new Oracle(e, at);
        const expected = o
          .entries(o.paths(subject, o.compromise, maxDepth), (p) => p.nodes.at(-1)!, () => true)
          .map((entry) => ({ ...entry, impact: oracleImpact(o.node(entry.target.id)) }))
          .sort((a, b) => b.impact - a.impact || byDistanceThenId(a, b));
        const actual = blastRadius(arrayAdjacency(e), subject, resolveQueryOptions({ at, maxDepth }));
        expectResult(actual, expected, o.stats(subject, o.compromise, maxDepth));
        expect(actual.summary.total).toBe(expected.length);
        expect(actual.summary.impact).toBe(expected.reduce((sum, x) => sum + x.impact, 0));
        const counts = new Map<string, number>();
        for (const x of expected) counts.set(x.target.label, (counts.get(x.target.label) ?? 0) + 1);
        expect(Object.fromEntries(actual.summary.byLabel.map((c) => [c.label, c.count]))).toEqual(Object.fromEntries(counts));
      }),
      { numRuns: RUNS },
    );
  });

  it('shortestPath: the one entry for the target, or none', () => {
    fc.assert(
      fc.property(queryArb, ({ estate: e, at, maxDepth, pick, pick2 }) => {
        const from = e.nodes[pick % e.nodes.length]!.id;
        const to = e.nodes[pick2 % e.nodes.length]!.id;
        fc.pre(from !== to);
        const o = new Oracle(e, at);
        const expected = o.entries(o.paths(from, o.compromise, maxDepth), (p) => p.nodes.at(-1)!, (id) => id === to);
        const actual = shortestPath(arrayAdjacency(e), from, to, resolveQueryOptions({ at, maxDepth }));
        expectResult(actual, expected, o.stats(from, o.compromise, maxDepth));
      }),
      { numRuns: RUNS },
    );
  });

  it('explain: exactly the simple live routes, in order, capped as asked', () => {
    fc.assert(
      fc.property(queryArb, fc.constantFrom(1, 2, 3, 1000), ({ estate: e, at, maxDepth, pick, pick2 }, maxRoutes) => {
        const identity = pickOf(e, ['Identity'], pick);
        const scope = pickOf(e, ['Scope'], pick2);
        if (!identity || !scope) return;
        const o = new Oracle(e, at);
        const routes = o
          .paths(identity, o.privilege, maxDepth)
          .filter((p) => p.nodes.at(-1) === scope)
          .sort(comparePaths);
        const actual = explain(arrayAdjacency(e), identity, scope, { ...resolveQueryOptions({ at, maxDepth }), maxRoutes });
        expect(actual.capped).toBe(routes.length > maxRoutes);
        expect(actual.entries.map((x) => [x.path.nodes, x.path.steps.map((s) => `${s.type}#${s.key}`), x.accessEndsAt, x.distance, x.routes])).toEqual(
          routes.slice(0, maxRoutes).map((p) => [p.nodes, p.edges.map((s) => `${s.type}#${s.key}`), o.end(p), p.edges.length, 1]),
        );
        const shortest = routes.filter((p) => p.edges.length === routes[0]?.edges.length);
        expect(actual.shortestRoutes).toBe(shortest.length);
        expect(actual.accessEndsAt).toBe(routes.length === 0 ? -Infinity : Math.max(...routes.map((p) => o.end(p))));
        expect(actual.stats).toEqual(o.stats(identity, o.privilege, maxDepth));
      }),
      { numRuns: RUNS },
    );
  });
});
