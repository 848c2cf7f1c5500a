import { describe, expect, it } from 'vitest';
import { IdGraphError } from '../../src/model/errors.js';
import { resolveQueryOptions } from '../../src/model/query-options.js';
import { reach } from '../../src/paths/reach.js';
import type { Adjacency } from '../../src/paths/adjacency.js';
import type { PathQueryResult } from '../../src/paths/results.js';
import { arrayAdjacency } from '../support/array-adjacency.js';
import { day, dayMs, estate, type EstateBuilder } from '../support/estate.js';

const at = (n = 0, maxDepth?: number) => resolveQueryOptions({ at: dayMs(n), maxDepth });
const run = (b: EstateBuilder, subject: string, options = at()): PathQueryResult => reach(arrayAdjacency(b.build()), subject, options);
const targets = (r: PathQueryResult) => r.entries.map((e) => e.target.id);

/** sa:ci → role:deploy → scope:x, the smallest estate with privilege. */
const basic = () => estate().identity('sa:ci').role('role:deploy').scope('scope:x').grants('role:deploy', 'scope:x');

describe('reach', () => {
  it('reaches a scope through a role, with the path, its steps and their origins', () => {
    const r = run(basic().hasRole('sa:ci', 'role:deploy', { id: 'g1', origin: 'LOCAL', domain: 'svc:payments' }), 'sa:ci');
    expect(r.subject).toEqual({ id: 'sa:ci', label: 'Identity' });
    expect(r.entries).toEqual([
      {
        target: { id: 'scope:x', label: 'Scope' },
        path: {
          nodes: ['sa:ci', 'role:deploy', 'scope:x'],
          steps: [
            { type: 'HAS_ROLE', from: 'sa:ci', to: 'role:deploy', key: 'g1', origin: 'LOCAL' },
            { type: 'GRANTS', from: 'role:deploy', to: 'scope:x', key: '', origin: null },
          ],
        },
        distance: 2,
        routes: 1,
        accessEndsAt: Infinity,
      },
    ]);
    expect(r.stats).toEqual({ visited: 3, depthReached: 2, truncated: false });
  });

  it('makes entries of the nodes a filter keeps instead, roles and groups too, with their paths', () => {
    const b = basic().scope('scope:y').grants('role:deploy', 'scope:y').hasRole('sa:ci', 'role:deploy');
    const adj = arrayAdjacency(b.build());
    const wanted = new Set(['scope:y', 'role:deploy']);
    const r = reach(adj, 'sa:ci', at(), { targets: (node) => wanted.has(adj.idOf(node)) });
    expect(r.entries.map((e) => [e.target.id, e.path.nodes])).toEqual([
      ['role:deploy', ['sa:ci', 'role:deploy']],
      ['scope:y', ['sa:ci', 'role:deploy', 'scope:y']],
    ]);
  });

  it('lists only scopes, by distance then id', () => {
    const b = basic()
      .hasRole('sa:ci', 'role:deploy')
      .scope('scope:a')
      .scope('scope:near')
      .role('role:deep')
      .inherits('role:deploy', 'role:deep')
      .grants('role:deep', 'scope:a')
      .grants('role:deploy', 'scope:near');
    expect(targets(run(b, 'sa:ci'))).toEqual(['scope:near', 'scope:x', 'scope:a']);
  });

  it('counts parallel grants as separate routes and shows the smallest key', () => {
    const b = basic().hasRole('sa:ci', 'role:deploy', { id: 'g2' }).hasRole('sa:ci', 'role:deploy', { id: 'g1' });
    const [entry] = run(b, 'sa:ci').entries;
    expect(entry?.routes).toBe(2);
    expect(entry?.path.steps[0]?.key).toBe('g1');
  });

  it('multiplies routes through diamonds', () => {
    const b = estate()
      .identity('sa:ci')
      .group('grp:a')
      .group('grp:b')
      .role('role:r')
      .scope('scope:x')
      .memberOf('sa:ci', 'grp:a')
      .memberOf('sa:ci', 'grp:b')
      .hasRole('grp:a', 'role:r')
      .hasRole('grp:b', 'role:r')
      .hasRole('grp:b', 'role:r', { id: 'again' })
      .grants('role:r', 'scope:x');
    expect(run(b, 'sa:ci').entries[0]).toMatchObject({ distance: 3, routes: 3 });
  });

  it('follows role inheritance chains', () => {
    const b = estate()
      .identity('sa:ci')
      .role('role:a')
      .role('role:b')
      .role('role:c')
      .scope('scope:x')
      .hasRole('sa:ci', 'role:a')
      .inherits('role:a', 'role:b')
      .inherits('role:b', 'role:c')
      .grants('role:c', 'scope:x');
    expect(run(b, 'sa:ci').entries[0]?.path.nodes).toEqual(['sa:ci', 'role:a', 'role:b', 'role:c', 'scope:x']);
  });

  it('terminates on cycles and reaches what the cycle grants', () => {
    const b = basic()
      .identity('sa:other')
      .canAssume('sa:ci', 'sa:other')
      .canAssume('sa:other', 'sa:ci')
      .hasRole('sa:other', 'role:deploy');
    const r = run(b, 'sa:ci');
    expect(r.entries[0]?.path.nodes).toEqual(['sa:ci', 'sa:other', 'role:deploy', 'scope:x']);
    expect(r.stats).toMatchObject({ visited: 4, truncated: false });
  });

  it.each([
    ['expired', { expiresAt: day(-1) }],
    ['expiring exactly at `at`', { expiresAt: day(0) }],
    ['revoked', { revokedAt: day(-1) }],
    ['revoked by status', { status: 'REVOKED' }],
    ['pending approval', { status: 'PENDING' }],
    ['granted later', { grantedAt: day(1) }],
  ])('ignores a grant that is %s', (_, props) => {
    expect(run(basic().hasRole('sa:ci', 'role:deploy', props), 'sa:ci').entries).toEqual([]);
  });

  it('a disabled or retired identity reaches nothing, even as a subject', () => {
    for (const status of ['DISABLED', 'RETIRED']) {
      const r = run(basic().identity('sa:ci', { status }).hasRole('sa:ci', 'role:deploy'), 'sa:ci');
      expect(r.entries).toEqual([]);
      expect(r.stats).toEqual({ visited: 0, depthReached: 0, truncated: false });
    }
  });

  it('does not pass through a disabled identity', () => {
    const b = basic().identity('sa:off', { status: 'DISABLED' }).canAssume('sa:ci', 'sa:off').hasRole('sa:off', 'role:deploy');
    expect(run(b, 'sa:ci').entries).toEqual([]);
  });

  it('reaches through a credential, until the credential expires', () => {
    const b = basic()
      .credential('key:ci', { issuedAt: day(-10), expiresAt: day(30) })
      .authenticates('key:ci', 'sa:ci')
      .hasRole('sa:ci', 'role:deploy');
    const [entry] = run(b, 'key:ci').entries;
    expect(entry?.path.nodes).toEqual(['key:ci', 'sa:ci', 'role:deploy', 'scope:x']);
    expect(entry?.accessEndsAt).toBe(dayMs(30));
    expect(run(b, 'key:ci', at(31)).entries).toEqual([]);
    expect(run(b, 'key:ci', at(-11)).entries).toEqual([]);
  });

  it('a revoked credential reaches nothing', () => {
    const b = basic().credential('key:ci', { revokedAt: day(-1) }).authenticates('key:ci', 'sa:ci').hasRole('sa:ci', 'role:deploy');
    expect(run(b, 'key:ci').entries).toEqual([]);
  });

  it('counts a revocation scheduled for later as an end', () => {
    const b = basic().hasRole('sa:ci', 'role:deploy', { expiresAt: day(90), revokedAt: day(7) });
    expect(run(b, 'sa:ci').entries[0]?.accessEndsAt).toBe(dayMs(7));
  });

  it('ends access at the latest bottleneck over all paths, not at the shortest path', () => {
    const b = basic()
      .hasRole('sa:ci', 'role:deploy', { expiresAt: day(10) })
      .group('grp:ops')
      .memberOf('sa:ci', 'grp:ops', { expiresAt: day(40) })
      .hasRole('grp:ops', 'role:deploy', { expiresAt: day(20) });
    const [entry] = run(b, 'sa:ci').entries;
    expect(entry).toMatchObject({ distance: 2, routes: 1, accessEndsAt: dayMs(20) });
    expect(entry?.path.nodes).toEqual(['sa:ci', 'role:deploy', 'scope:x']);
  });

  it('answers as of `at` in the past and in the future', () => {
    const b = basic().hasRole('sa:ci', 'role:deploy', { grantedAt: day(-5), expiresAt: day(5) });
    expect(targets(run(b, 'sa:ci', at(-6)))).toEqual([]);
    expect(targets(run(b, 'sa:ci', at(-5)))).toEqual(['scope:x']);
    expect(targets(run(b, 'sa:ci', at(4.9)))).toEqual(['scope:x']);
    expect(targets(run(b, 'sa:ci', at(5)))).toEqual([]);
  });

  it('stops at maxDepth and says it was truncated', () => {
    const b = basic().hasRole('sa:ci', 'role:deploy');
    expect(run(b, 'sa:ci', at(0, 1))).toMatchObject({ entries: [], stats: { visited: 2, depthReached: 1, truncated: true } });
    expect(run(b, 'sa:ci', at(0, 2)).stats).toEqual({ visited: 3, depthReached: 2, truncated: false });
  });

  it('is not truncated by a dead or already reached node past maxDepth', () => {
    const b = estate()
      .identity('sa:ci')
      .role('role:deploy')
      .hasRole('sa:ci', 'role:deploy')
      .role('role:gone')
      .inherits('role:deploy', 'role:gone', { status: 'REVOKED' })
      .identity('sa:b')
      .canAssume('sa:ci', 'sa:b')
      .canAssume('sa:b', 'sa:ci');
    expect(run(b, 'sa:ci', at(0, 1)).stats).toMatchObject({ depthReached: 1, truncated: false });
  });

  it('bounds access ends by maxDepth: a longer path with a later end does not count', () => {
    const b = basic()
      .hasRole('sa:ci', 'role:deploy', { expiresAt: day(10) })
      .group('grp:ops')
      .memberOf('sa:ci', 'grp:ops')
      .hasRole('grp:ops', 'role:deploy');
    expect(run(b, 'sa:ci', at(0, 2)).entries[0]?.accessEndsAt).toBe(dayMs(10));
    expect(run(b, 'sa:ci', at(0, 3)).entries[0]?.accessEndsAt).toBe(Infinity);
  });

  it('breaks ties by the smallest id sequence read from the subject', () => {
    // Two shortest paths: via grp:a then role:z, or via grp:b then role:y. The first differs earlier.
    const b = estate()
      .identity('sa:ci')
      .group('grp:b')
      .group('grp:a')
      .role('role:y')
      .role('role:z')
      .scope('scope:x')
      .memberOf('sa:ci', 'grp:b')
      .memberOf('sa:ci', 'grp:a')
      .hasRole('grp:b', 'role:y')
      .hasRole('grp:a', 'role:z')
      .grants('role:y', 'scope:x')
      .grants('role:z', 'scope:x');
    const [entry] = run(b, 'sa:ci').entries;
    expect(entry?.path.nodes).toEqual(['sa:ci', 'grp:a', 'role:z', 'scope:x']);
    expect(entry?.routes).toBe(2);
  });

  it('follows privilege edges only: not OWNS, ON, RUNS_AS or HOLDS', () => {
    const b = basic()
      .hasRole('sa:ci', 'role:deploy')
      .scope('scope:x', { level: 'ADMIN' })
      .service('svc:pay')
      .on('scope:x', 'svc:pay')
      .scope('scope:pay')
      .identity('sa:pay')
      .runsAs('svc:pay', 'sa:pay')
      .role('role:pay')
      .hasRole('sa:pay', 'role:pay')
      .grants('role:pay', 'scope:pay');
    expect(targets(run(b, 'sa:ci'))).toEqual(['scope:x']);
  });

  it('rejects an unknown id and a subject of the wrong label', () => {
    const adj = arrayAdjacency(basic().build());
    expect(() => reach(adj, 'sa:nope', at())).toThrowError(new IdGraphError('NOT_FOUND', 'No node with id "sa:nope"'));
    expect(() => reach(adj, 'scope:x', at())).toThrowError('reach expects an Identity or a Credential, but "scope:x" is a Scope');
    expect(() => reach(adj, 'scope:x', at())).toThrowError(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('stops a walk that is aborted midway, within a few thousand visits', () => {
    const b = estate().identity('sa:ci');
    for (let i = 0; i < 10_000; i++) b.role(`role:${i}`).hasRole('sa:ci', `role:${i}`);
    const controller = new AbortController();
    const adj = arrayAdjacency(b.build());
    let visits = 0;
    const aborting = { ...adj, forEachOut: (node: number, visit: (edge: number) => void) => adj.forEachOut(node, (e) => (++visits === 10 && controller.abort(), visit(e))) };
    expect(() => reach(aborting, 'sa:ci', { ...at(), signal: controller.signal })).toThrowError(new IdGraphError('UNAVAILABLE', 'query aborted'));
    expect(visits).toBeLessThan(5000);
  });

  it('answers the same when asked again, and after the graph grows under it', () => {
    // One adjacency object whose contents grow between queries, as the projection does.
    let current = arrayAdjacency(basic().hasRole('sa:ci', 'role:deploy').build());
    const growing = new Proxy({} as Adjacency, { get: (_, key) => current[key as keyof Adjacency] });
    const first = reach(growing, 'sa:ci', at());
    expect(reach(growing, 'sa:ci', at())).toEqual(first);
    const grown = basic().hasRole('sa:ci', 'role:deploy');
    for (let i = 0; i < 50; i++) grown.scope(`scope:${i}`).grants('role:deploy', `scope:${i}`);
    current = arrayAdjacency(grown.build());
    expect(reach(growing, 'sa:ci', at()).entries).toHaveLength(51);
  });

  it('stops with UNAVAILABLE when the signal aborts', () => {
    const controller = new AbortController();
    controller.abort();
    const options = { ...at(), signal: controller.signal };
    expect(() => run(basic(), 'sa:ci', options)).toThrowError(new IdGraphError('UNAVAILABLE', 'query aborted'));
  });
});
