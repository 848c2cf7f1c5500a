import { describe, expect, it } from 'vitest';
import { IdGraphError } from '../../src/model/errors.js';
import { resolveQueryOptions } from '../../src/model/query-options.js';
import type { PathQueryResult } from '../../src/paths/results.js';
import { shortestPath } from '../../src/paths/shortest-path.js';
import { arrayAdjacency } from '../support/array-adjacency.js';
import { day, dayMs, estate, type EstateBuilder } from '../support/estate.js';

const at = (n = 0, maxDepth?: number) => resolveQueryOptions({ at: dayMs(n), maxDepth });
const run = (b: EstateBuilder, from: string, to: string, options = at()): PathQueryResult => shortestPath(arrayAdjacency(b.build()), from, to, options);
const nodes = (r: PathQueryResult) => r.entries[0]?.path.nodes;

/** A vendor runs sa:ci, which administers svc:payments; svc:payments runs as sa:pay and holds key:pay. */
const chain = (level = 'ADMIN') =>
  estate()
    .vendor('vendor:acme')
    .identity('sa:ci')
    .role('role:admin')
    .scope('scope:pay:admin', { level })
    .service('svc:payments', { criticality: 'CRITICAL' })
    .identity('sa:pay')
    .credential('key:pay')
    .identity('sa:db')
    .operates('vendor:acme', 'sa:ci')
    .hasRole('sa:ci', 'role:admin', { origin: 'CENTRAL' })
    .grants('role:admin', 'scope:pay:admin')
    .on('scope:pay:admin', 'svc:payments')
    .runsAs('svc:payments', 'sa:pay')
    .holds('svc:payments', 'key:pay')
    .authenticates('key:pay', 'sa:db');

describe('shortestPath', () => {
  it('follows compromise edges: OPERATES, ON out of an ADMIN scope, RUNS_AS, HOLDS, AUTHENTICATES', () => {
    const r = run(chain(), 'vendor:acme', 'sa:db');
    expect(nodes(r)).toEqual(['vendor:acme', 'sa:ci', 'role:admin', 'scope:pay:admin', 'svc:payments', 'key:pay', 'sa:db']);
    expect(r.entries[0]?.path.steps.map((s) => s.type)).toEqual(['OPERATES', 'HAS_ROLE', 'GRANTS', 'ON', 'HOLDS', 'AUTHENTICATES']);
    expect(r.entries[0]).toMatchObject({ target: { id: 'sa:db', label: 'Identity' }, distance: 6, routes: 1 });
    expect(nodes(run(chain(), 'vendor:acme', 'sa:pay'))).toEqual(['vendor:acme', 'sa:ci', 'role:admin', 'scope:pay:admin', 'svc:payments', 'sa:pay']);
  });

  it('does not cross from a READ or WRITE scope to its service', () => {
    for (const level of ['READ', 'WRITE']) expect(run(chain(level), 'sa:ci', 'svc:payments').entries).toEqual([]);
  });

  it('never follows OWNS', () => {
    const b = chain().owner('team:pay').owns('team:pay', 'svc:payments').owns('team:pay', 'sa:ci');
    expect(run(b, 'team:pay', 'svc:payments').entries).toEqual([]);
    expect(run(b, 'team:pay', 'sa:ci').stats.visited).toBe(1);
  });

  it('is directional: a service does not compromise its vendor', () => {
    expect(run(chain(), 'sa:db', 'vendor:acme').entries).toEqual([]);
  });

  it('gives the zero-edge path from a live node to itself', () => {
    const b = chain().credential('key:pay', { expiresAt: day(5) });
    expect(run(b, 'key:pay', 'key:pay').entries).toEqual([
      { target: { id: 'key:pay', label: 'Credential' }, path: { nodes: ['key:pay'], steps: [] }, distance: 0, routes: 1, accessEndsAt: dayMs(5) },
    ]);
    expect(run(b, 'key:pay', 'key:pay', at(6)).entries).toEqual([]);
  });

  it('ends at the bottleneck over every path within maxDepth', () => {
    const b = chain().credential('key:pay', { expiresAt: day(5) }).identity('sa:pay', { status: 'ACTIVE' }).canAssume('sa:pay', 'sa:db', { expiresAt: day(9) });
    expect(run(b, 'svc:payments', 'sa:db').entries[0]).toMatchObject({ distance: 2, routes: 2, accessEndsAt: dayMs(9) });
    expect(nodes(run(b, 'svc:payments', 'sa:db'))).toEqual(['svc:payments', 'key:pay', 'sa:db']);
  });

  it('stops at maxDepth and says it was truncated', () => {
    const r = run(chain(), 'vendor:acme', 'sa:db', at(0, 5));
    expect(r.entries).toEqual([]);
    expect(r.stats).toEqual({ visited: 7, depthReached: 5, truncated: true });
  });

  it('rejects unknown ids, on either side', () => {
    const adj = arrayAdjacency(chain().build());
    expect(() => shortestPath(adj, 'x:nope', 'sa:db', at())).toThrowError(new IdGraphError('NOT_FOUND', 'No node with id "x:nope"'));
    expect(() => shortestPath(adj, 'sa:db', 'y:nope', at())).toThrowError(new IdGraphError('NOT_FOUND', 'No node with id "y:nope"'));
  });
});
