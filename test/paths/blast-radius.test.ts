import { describe, expect, it } from 'vitest';
import { IdGraphError } from '../../src/model/errors.js';
import { resolveQueryOptions } from '../../src/model/query-options.js';
import { blastRadius } from '../../src/paths/blast-radius.js';
import { impactOf } from '../../src/paths/impact.js';
import type { BlastRadiusResult } from '../../src/paths/results.js';
import { arrayAdjacency } from '../support/array-adjacency.js';
import { day, dayMs, estate, type EstateBuilder } from '../support/estate.js';

const at = (n = 0, maxDepth?: number) => resolveQueryOptions({ at: dayMs(n), maxDepth });
const run = (b: EstateBuilder, subject: string, options = at()): BlastRadiusResult => blastRadius(arrayAdjacency(b.build()), subject, options);
const ranked = (r: BlastRadiusResult) => r.entries.map((e) => [e.target.id, e.impact, e.distance]);

/** A leaked CI key: it acts as sa:ci, which deploys to svc:payments (ADMIN) and reads the ledger. */
const leak = () =>
  estate()
    .credential('key:ci', { expiresAt: day(30) })
    .identity('sa:ci')
    .role('role:deploy')
    .scope('scope:pay:admin', { level: 'ADMIN', sensitivity: 'HIGH' })
    .scope('scope:ledger:read', { level: 'READ', sensitivity: 'CRITICAL' })
    .service('svc:payments', { criticality: 'CRITICAL' })
    .identity('sa:pay')
    .owner('team:pay')
    .authenticates('key:ci', 'sa:ci')
    .hasRole('sa:ci', 'role:deploy')
    .grants('role:deploy', 'scope:pay:admin')
    .grants('role:deploy', 'scope:ledger:read')
    .on('scope:pay:admin', 'svc:payments')
    .runsAs('svc:payments', 'sa:pay')
    .owns('team:pay', 'svc:payments');

describe('blastRadius', () => {
  it('makes entries only of the targets a filter keeps, and still sums up everything that falls', () => {
    const adj = arrayAdjacency(leak().build());
    const all = blastRadius(adj, 'key:ci', at());
    const scopes = blastRadius(adj, 'key:ci', at(), { targets: (node) => adj.labelOf(node) === 'Scope' });
    expect(ranked(scopes)).toEqual([
      ['scope:pay:admin', 18, 3],
      ['scope:ledger:read', 10, 3],
    ]);
    expect(scopes.entries).toEqual(all.entries.filter((e) => e.target.label === 'Scope'));
    expect(scopes.summary).toEqual(all.summary);
  });

  it('ranks everything that falls by impact, then distance, then id, and sums it up', () => {
    const r = run(leak(), 'key:ci');
    expect(ranked(r)).toEqual([
      ['scope:pay:admin', 18, 3],
      ['scope:ledger:read', 10, 3],
      ['svc:payments', 10, 4],
      ['sa:ci', 0, 1],
      ['role:deploy', 0, 2],
      ['sa:pay', 0, 5],
    ]);
    expect(r.summary).toEqual({
      total: 6,
      byLabel: [
        { label: 'Identity', count: 2 },
        { label: 'Scope', count: 2 },
        { label: 'Role', count: 1 },
        { label: 'Service', count: 1 },
      ],
      impact: 38,
    });
    expect(r.entries.every((e) => e.accessEndsAt === dayMs(30))).toBe(true);
  });

  it('leaves out the subject and never follows OWNS', () => {
    const r = run(leak(), 'team:pay');
    expect(r.entries).toEqual([]);
    expect(r.summary).toEqual({ total: 0, byLabel: [], impact: 0 });
  });

  it('crosses from a scope to its service only when the scope is ADMIN', () => {
    const b = leak().scope('scope:pay:admin', { level: 'WRITE', sensitivity: 'HIGH' });
    expect(ranked(run(b, 'key:ci')).map(([id]) => id)).toEqual(['scope:pay:admin', 'scope:ledger:read', 'sa:ci', 'role:deploy']);
  });

  it('starts from a vendor or a service', () => {
    const b = leak().vendor('vendor:acme').operates('vendor:acme', 'sa:ci');
    expect(run(b, 'vendor:acme').summary.total).toBe(6);
    expect(ranked(run(b, 'svc:payments'))).toEqual([['sa:pay', 0, 1]]);
  });

  it('an expired credential compromises nothing', () => {
    expect(run(leak(), 'key:ci', at(30)).entries).toEqual([]);
  });

  it('stops at maxDepth and says it was truncated', () => {
    const r = run(leak(), 'key:ci', at(0, 3));
    expect(r.summary.total).toBe(4);
    expect(r.stats).toEqual({ visited: 5, depthReached: 3, truncated: true });
  });

  it('rejects an unknown id', () => {
    expect(() => run(leak(), 'key:nope')).toThrowError(new IdGraphError('NOT_FOUND', 'No node with id "key:nope"'));
  });
});

describe('impactOf', () => {
  it('scores services by criticality, scopes by sensitivity times level, absent as LOW, others 0', () => {
    const adj = arrayAdjacency(
      estate()
        .service('svc:a', { criticality: 'HIGH' })
        .service('svc:b')
        .scope('scope:a', { level: 'WRITE', sensitivity: 'MEDIUM' })
        .scope('scope:b', { level: 'ADMIN' })
        .identity('sa:x')
        .build(),
    );
    expect(['svc:a', 'svc:b', 'scope:a', 'scope:b', 'sa:x'].map((id) => impactOf(adj, adj.indexOf(id)!))).toEqual([6, 1, 6, 3, 0]);
  });
});
