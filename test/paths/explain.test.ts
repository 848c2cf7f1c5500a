import { describe, expect, it } from 'vitest';
import { IdGraphError } from '../../src/model/errors.js';
import { resolveQueryOptions } from '../../src/model/query-options.js';
import { explain } from '../../src/paths/explain.js';
import type { ExplainResult } from '../../src/paths/results.js';
import { arrayAdjacency } from '../support/array-adjacency.js';
import { day, dayMs, estate, type EstateBuilder } from '../support/estate.js';

const at = (n = 0, maxDepth?: number) => resolveQueryOptions({ at: dayMs(n), maxDepth });
const run = (b: EstateBuilder, options: Parameters<typeof explain>[3] = at()): ExplainResult =>
  explain(arrayAdjacency(b.build()), 'sa:ci', 'scope:x', options);
const routes = (r: ExplainResult) => r.entries.map((e) => e.path.nodes.join(' > '));

/**
 * Three routes from sa:ci to scope:x: direct role (ends day 10), through grp:ops (ends day 20), and
 * through role inheritance (never ends).
 */
const threeRoutes = () =>
  estate()
    .identity('sa:ci')
    .group('grp:ops')
    .role('role:deploy')
    .role('role:base')
    .scope('scope:x')
    .hasRole('sa:ci', 'role:deploy', { expiresAt: day(10) })
    .memberOf('sa:ci', 'grp:ops', { expiresAt: day(20) })
    .hasRole('grp:ops', 'role:deploy')
    .hasRole('sa:ci', 'role:base')
    .inherits('role:base', 'role:deploy')
    .grants('role:deploy', 'scope:x');

describe('explain', () => {
  it('lists every live route shortest first, then by ids, each with its own end', () => {
    const r = run(threeRoutes());
    expect(routes(r)).toEqual([
      'sa:ci > role:deploy > scope:x',
      'sa:ci > grp:ops > role:deploy > scope:x',
      'sa:ci > role:base > role:deploy > scope:x',
    ]);
    expect(r.entries.map((e) => [e.distance, e.routes, e.accessEndsAt])).toEqual([
      [2, 1, dayMs(10)],
      [3, 1, dayMs(20)],
      [3, 1, Infinity],
    ]);
    expect(r).toMatchObject({
      subject: { id: 'sa:ci', label: 'Identity' },
      target: { id: 'scope:x', label: 'Scope' },
      shortestRoutes: 1,
      accessEndsAt: Infinity,
      capped: false,
    });
    expect(r.entries[0]?.target).toEqual({ id: 'scope:x', label: 'Scope' });
  });

  it('lists parallel grants as separate routes, by key', () => {
    const b = threeRoutes().hasRole('sa:ci', 'role:deploy', { id: 'b' }).hasRole('sa:ci', 'role:deploy', { id: 'a' });
    const r = run(b, at(0, 2));
    expect(r.entries.map((e) => e.path.steps[0]?.key)).toEqual(['', 'a', 'b']);
    expect(r.shortestRoutes).toBe(3);
  });

  it('caps at maxRoutes, keeps the first routes in order and says more exist', () => {
    const r = run(threeRoutes(), { ...at(), maxRoutes: 2 });
    expect(routes(r)).toEqual(['sa:ci > role:deploy > scope:x', 'sa:ci > grp:ops > role:deploy > scope:x']);
    expect(r.capped).toBe(true);
    expect(r.accessEndsAt).toBe(Infinity);
    expect(run(threeRoutes(), { ...at(), maxRoutes: 3 }).capped).toBe(false);
  });

  it('keeps routes within maxDepth, and the result-level end with them', () => {
    const r = run(threeRoutes(), at(0, 2));
    expect(routes(r)).toEqual(['sa:ci > role:deploy > scope:x']);
    expect(r.accessEndsAt).toBe(dayMs(10));
  });

  it('lists simple routes only, however the graph cycles', () => {
    const b = threeRoutes().identity('sa:b').canAssume('sa:ci', 'sa:b').canAssume('sa:b', 'sa:ci').hasRole('sa:b', 'role:deploy').inherits('role:deploy', 'role:base');
    const r = run(b);
    expect(r.entries.every((e) => new Set(e.path.nodes).size === e.path.nodes.length)).toBe(true);
    expect(routes(r)).toContain('sa:ci > sa:b > role:deploy > scope:x');
    expect(r.entries).toHaveLength(4);
  });

  it('stops a search that explodes in a densely nested graph, and says it was capped', () => {
    // Twenty groups, each a member of every other: simple paths among them number in the billions, but
    // only the direct route reaches the scope.
    const groups = Array.from({ length: 20 }, (_, i) => `grp:g${String(i).padStart(2, '0')}`);
    let b = estate().identity('sa:ci').role('role:deploy').scope('scope:x').grants('role:deploy', 'scope:x').hasRole('sa:ci', 'role:deploy');
    for (const g of groups) b = b.group(g).memberOf('sa:ci', g);
    for (const g of groups) for (const h of groups) if (g !== h) b = b.memberOf(g, h);
    b = b.hasRole(groups[19]!, 'role:deploy');
    const r = run(b, at(0, 12));
    expect(r.capped).toBe(true);
    expect(routes(r)[0]).toBe('sa:ci > role:deploy > scope:x');
    expect(r.shortestRoutes).toBe(1);
  });

  it('answers no route when the identity does not hold the scope', () => {
    const r = run(threeRoutes(), at(25));
    expect(routes(r)).toEqual(['sa:ci > role:base > role:deploy > scope:x']);
    const none = run(threeRoutes().identity('sa:ci', { status: 'DISABLED' }));
    expect(none).toMatchObject({ entries: [], shortestRoutes: 0, accessEndsAt: -Infinity, capped: false });
  });

  it('rejects bad ids, labels and maxRoutes', () => {
    const adj = arrayAdjacency(threeRoutes().build());
    expect(() => explain(adj, 'sa:nope', 'scope:x', at())).toThrowError(new IdGraphError('NOT_FOUND', 'No node with id "sa:nope"'));
    expect(() => explain(adj, 'role:base', 'scope:x', at())).toThrowError('explain expects an Identity, but "role:base" is a Role');
    expect(() => explain(adj, 'sa:ci', 'grp:ops', at())).toThrowError('explain expects a Scope, but "grp:ops" is a Group');
    for (const maxRoutes of [0, 1001, 1.5, Number.NaN]) {
      expect(() => explain(adj, 'sa:ci', 'scope:x', { ...at(), maxRoutes })).toThrowError(
        expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringContaining('maxRoutes must be a whole number from 1 to 1000') }),
      );
    }
  });
});
