/** NHI5 Overprivileged NHI: far more scopes than the median of the same owner and kind. */
import { describe, expect, it } from 'vitest';
import { getValidThresholds } from '../../../src/findings/index.js';
import { day } from '../../support/estate.js';
import { cleanEstate, findingsOf, ids, localGrant } from '../fixture.js';

const run = (b: ReturnType<typeof cleanEstate>, thresholds = getValidThresholds()) => findingsOf(b, 'peer-outlier', thresholds);

/** Four prod workers of team:pay reading one scope each; `wl:worker-0` may get more. */
function workers(extraScopes: number) {
  const b = cleanEstate().role('role:pay-reader', { origin: 'LOCAL', service: 'svc:pay' }).grants('role:pay-reader', 'scope:pay:tx:read', { origin: 'LOCAL' });
  for (let i = 0; i < 4; i++) {
    b.identity(`wl:worker-${i}`, { kind: 'WORKLOAD', environment: 'prod', status: 'ACTIVE', lastSeenAt: day(-1) })
      .owns('team:pay', `wl:worker-${i}`)
      .hasRole(`wl:worker-${i}`, 'role:pay-reader', localGrant('svc:pay'));
  }
  b.role('role:pay-everything', { origin: 'LOCAL', service: 'svc:pay' });
  for (let i = 0; i < extraScopes; i++) {
    b.scope(`scope:pay:thing${i}:read`, { level: 'READ', sensitivity: 'LOW' }).on(`scope:pay:thing${i}:read`, 'svc:pay').grants('role:pay-everything', `scope:pay:thing${i}:read`, { origin: 'LOCAL' });
  }
  if (extraScopes > 0) b.hasRole('wl:worker-0', 'role:pay-everything', localGrant('svc:pay'));
  return b;
}

describe('peer-outlier (NHI5)', () => {
  it('reports nothing when peers are alike', () => {
    expect(run(workers(0))).toEqual([]);
  });

  it('reports an identity with more than factor × the median of its peers, and revokes the grant that brings the most', () => {
    const found = run(workers(5));
    expect(ids(found)).toEqual(['peer-outlier:wl:worker-0']);
    expect(found[0]).toMatchObject({
      owasp: 'NHI5',
      evidence: { props: { scopes: 6, peerMedian: 1.5, peers: 6, owner: 'team:pay', kind: 'WORKLOAD', grantScopes: 5 } },
      remediation: { mutation: 'revoke', args: { grant: { type: 'HAS_ROLE', from: 'wl:worker-0', to: 'role:pay-everything', id: '' } } },
    });
  });

  it('does not report at or under the factor, or in a group smaller than peerMinGroupSize', () => {
    expect(run(workers(5), getValidThresholds({ peerOutlierFactor: 4 }))).toEqual([]);
    expect(run(workers(5), getValidThresholds({ peerMinGroupSize: 7 }))).toEqual([]);
  });
});
