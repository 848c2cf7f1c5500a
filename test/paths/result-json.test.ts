import { describe, expect, it } from 'vitest';
import { resolveQueryOptions } from '../../src/model/query-options.js';
import { blastRadius } from '../../src/paths/blast-radius.js';
import { explain } from '../../src/paths/explain.js';
import { reach } from '../../src/paths/reach.js';
import { toResultJson } from '../../src/paths/result-json.js';
import { arrayAdjacency } from '../support/array-adjacency.js';
import { day, dayMs, estate } from '../support/estate.js';

const adj = arrayAdjacency(
  estate()
    .identity('sa:payments-ci')
    .role('role:payments-deployer', { origin: 'LOCAL', service: 'svc:payments' })
    .scope('scope:payments:refunds:write', { level: 'WRITE', sensitivity: 'HIGH' })
    .scope('scope:payments:read')
    .hasRole('sa:payments-ci', 'role:payments-deployer', { id: 'g1', origin: 'LOCAL', domain: 'svc:payments', expiresAt: day(364) })
    .grants('role:payments-deployer', 'scope:payments:refunds:write', { origin: 'LOCAL' })
    .grants('role:payments-deployer', 'scope:payments:read')
    .build(),
);
const options = resolveQueryOptions({ at: '2026-01-01T00:00:00Z' });

describe('toResultJson', () => {
  it('prints the CLI contract shape: ISO times, key only when set, null for never', () => {
    const json = toResultJson(reach(adj, 'sa:payments-ci', options));
    expect(json).toEqual({
      subject: 'sa:payments-ci',
      at: '2026-01-01T00:00:00.000Z',
      maxDepth: 12,
      entries: [
        {
          target: { id: 'scope:payments:read', label: 'Scope' },
          path: {
            nodes: ['sa:payments-ci', 'role:payments-deployer', 'scope:payments:read'],
            steps: [
              { type: 'HAS_ROLE', from: 'sa:payments-ci', to: 'role:payments-deployer', key: 'g1', origin: 'LOCAL' },
              { type: 'GRANTS', from: 'role:payments-deployer', to: 'scope:payments:read', origin: null },
            ],
          },
          routes: 1,
          accessEndsAt: '2026-12-31T00:00:00.000Z',
        },
        {
          target: { id: 'scope:payments:refunds:write', label: 'Scope' },
          path: {
            nodes: ['sa:payments-ci', 'role:payments-deployer', 'scope:payments:refunds:write'],
            steps: [
              { type: 'HAS_ROLE', from: 'sa:payments-ci', to: 'role:payments-deployer', key: 'g1', origin: 'LOCAL' },
              { type: 'GRANTS', from: 'role:payments-deployer', to: 'scope:payments:refunds:write', origin: 'LOCAL' },
            ],
          },
          routes: 1,
          accessEndsAt: '2026-12-31T00:00:00.000Z',
        },
      ],
      truncated: false,
      stats: { visited: 4, depthReached: 2, truncated: false },
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('adds the summary and per-entry impact for a blast radius', () => {
    const json = toResultJson(blastRadius(adj, 'sa:payments-ci', options));
    expect(json.summary).toEqual({
      total: 3,
      byLabel: [
        { label: 'Scope', count: 2 },
        { label: 'Role', count: 1 },
      ],
      impact: 13,
    });
    expect(json.entries.map((e) => [e.target.id, e.impact])).toEqual([
      ['scope:payments:refunds:write', 12],
      ['scope:payments:read', 1],
      ['role:payments-deployer', 0],
    ]);
  });

  it('adds explain’s result-level fields, and leaves accessEndsAt out when there is no route', () => {
    const json = toResultJson(explain(adj, 'sa:payments-ci', 'scope:payments:read', options));
    expect(json).toMatchObject({ target: 'scope:payments:read', shortestRoutes: 1, accessEndsAt: '2026-12-31T00:00:00.000Z', capped: false });
    const none = toResultJson(explain(adj, 'sa:payments-ci', 'scope:payments:read', { ...options, at: dayMs(400) }));
    expect(none).toMatchObject({ entries: [], shortestRoutes: 0, capped: false });
    expect(none).not.toHaveProperty('accessEndsAt');
  });

  it('prints null for an access that never ends', () => {
    const forever = arrayAdjacency(estate().identity('sa:x').role('r').scope('s').hasRole('sa:x', 'r').grants('r', 's').build());
    expect(toResultJson(reach(forever, 'sa:x', options)).entries[0]?.accessEndsAt).toBeNull();
  });
});
