import { describe, expect, it } from 'vitest';
import { IdGraphError } from '../../src/model/errors.js';
import { resolveQueryOptions } from '../../src/model/query-options.js';
import type { PathQueryResult } from '../../src/paths/results.js';
import { whoCan } from '../../src/paths/who-can.js';
import { arrayAdjacency } from '../support/array-adjacency.js';
import { day, dayMs, estate, type EstateBuilder } from '../support/estate.js';

const at = (n = 0, maxDepth?: number) => resolveQueryOptions({ at: dayMs(n), maxDepth });
const run = (b: EstateBuilder, scope = 'scope:x', options = at()): PathQueryResult => whoCan(arrayAdjacency(b.build()), scope, options);
const who = (r: PathQueryResult) => r.entries.map((e) => e.target.id);

/** role:deploy grants scope:x; sa:ci holds the role. */
const basic = () =>
  estate().identity('sa:ci').role('role:deploy').scope('scope:x').grants('role:deploy', 'scope:x').hasRole('sa:ci', 'role:deploy');

describe('whoCan', () => {
  it('lists the identities that hold a scope, with the path read from the identity', () => {
    const r = run(basic());
    expect(r.subject).toEqual({ id: 'scope:x', label: 'Scope' });
    expect(r.entries).toEqual([
      {
        target: { id: 'sa:ci', label: 'Identity' },
        path: {
          nodes: ['sa:ci', 'role:deploy', 'scope:x'],
          steps: [
            { type: 'HAS_ROLE', from: 'sa:ci', to: 'role:deploy', key: '', origin: null },
            { type: 'GRANTS', from: 'role:deploy', to: 'scope:x', key: '', origin: null },
          ],
        },
        distance: 2,
        routes: 1,
        accessEndsAt: Infinity,
      },
    ]);
  });

  it('includes identities that can assume a holder, and groups’ members, by distance then id', () => {
    const b = basic()
      .identity('human:ann')
      .identity('bot:zed')
      .group('grp:ops')
      .identity('sa:member')
      .canAssume('human:ann', 'sa:ci')
      .canAssume('bot:zed', 'sa:ci')
      .memberOf('sa:member', 'grp:ops')
      .hasRole('grp:ops', 'role:deploy');
    const r = run(b);
    expect(who(r)).toEqual(['sa:ci', 'bot:zed', 'human:ann', 'sa:member']);
    expect(r.entries[1]?.path.nodes).toEqual(['bot:zed', 'sa:ci', 'role:deploy', 'scope:x']);
  });

  it('passes through credentials but does not list them', () => {
    const b = basic().credential('key:ci').authenticates('key:ci', 'sa:ci');
    const r = run(b);
    expect(who(r)).toEqual(['sa:ci']);
    expect(r.stats.visited).toBe(4);
  });

  it('leaves out disabled identities and non-live grants', () => {
    const b = basic()
      .identity('sa:off', { status: 'DISABLED' })
      .hasRole('sa:off', 'role:deploy')
      .identity('sa:pending')
      .hasRole('sa:pending', 'role:deploy', { status: 'PENDING' })
      .identity('sa:expired')
      .hasRole('sa:expired', 'role:deploy', { expiresAt: day(-1) });
    expect(who(run(b))).toEqual(['sa:ci']);
  });

  it('breaks ties by the smallest id sequence read from the identity, not from the scope', () => {
    // From the scope, role:y < role:z; from the identity, grp:a < grp:b decides first.
    const b = estate()
      .identity('sa:ci')
      .group('grp:a')
      .group('grp:b')
      .role('role:y')
      .role('role:z')
      .scope('scope:x')
      .memberOf('sa:ci', 'grp:b')
      .memberOf('sa:ci', 'grp:a')
      .hasRole('grp:b', 'role:y')
      .hasRole('grp:a', 'role:z')
      .grants('role:y', 'scope:x')
      .grants('role:z', 'scope:x');
    expect(run(b).entries[0]).toMatchObject({ path: { nodes: ['sa:ci', 'grp:a', 'role:z', 'scope:x'] }, routes: 2 });
  });

  it('ends access at the latest bottleneck over all of an identity’s paths', () => {
    const b = estate()
      .identity('sa:ci')
      .group('grp:ops')
      .role('role:deploy')
      .scope('scope:x', { level: 'WRITE' })
      .grants('role:deploy', 'scope:x', { expiresAt: day(50) })
      .hasRole('sa:ci', 'role:deploy', { expiresAt: day(10) })
      .memberOf('sa:ci', 'grp:ops', { revokedAt: day(30) })
      .hasRole('grp:ops', 'role:deploy');
    expect(run(b).entries[0]).toMatchObject({ distance: 2, accessEndsAt: dayMs(30) });
    expect(run(b, 'scope:x', at(0, 2)).entries[0]?.accessEndsAt).toBe(dayMs(10));
  });

  it('terminates on assume cycles', () => {
    const b = basic().identity('sa:b').canAssume('sa:ci', 'sa:b').canAssume('sa:b', 'sa:ci');
    expect(who(run(b))).toEqual(['sa:ci', 'sa:b']);
  });

  it('stops at maxDepth and says it was truncated', () => {
    const b = basic().identity('human:ann').canAssume('human:ann', 'sa:ci');
    expect(run(b, 'scope:x', at(0, 2))).toMatchObject({ stats: { visited: 3, depthReached: 2, truncated: true } });
    expect(who(run(b, 'scope:x', at(0, 2)))).toEqual(['sa:ci']);
    expect(run(b, 'scope:x', at(0, 3)).stats.truncated).toBe(false);
  });

  it('answers as of `at`', () => {
    const b = basic().identity('sa:new').hasRole('sa:new', 'role:deploy', { grantedAt: day(3) });
    expect(who(run(b, 'scope:x', at(2)))).toEqual(['sa:ci']);
    expect(who(run(b, 'scope:x', at(3)))).toEqual(['sa:ci', 'sa:new']);
  });

  it('rejects an unknown id and a subject that is not a scope', () => {
    const adj = arrayAdjacency(basic().build());
    expect(() => whoCan(adj, 'scope:nope', at())).toThrowError(new IdGraphError('NOT_FOUND', 'No node with id "scope:nope"'));
    expect(() => whoCan(adj, 'sa:ci', at())).toThrowError('whoCan expects a Scope, but "sa:ci" is an Identity');
  });
});
