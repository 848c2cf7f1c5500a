/**
 * NHI5 Overprivileged NHI, peer outliers: a non-human identity that reaches far more scopes than its peers,
 * the live identities of the same kind with the same accountable owner: more than `peerOutlierFactor`
 * times their median. Groups smaller than `peerMinGroupSize`, and groups whose median is 0, are not
 * compared (there is no norm to stand out from). The fix revokes the grant that brings the most scopes.
 */
import { edgeKeyString, type EdgeKey } from '../../model/records.js';
import type { Finding } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { accountableOwner } from '../owner.js';
import { revokeGrant } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { firstGrant, isLiveNhi, makeFinding, type Rule } from './rule.js';

export const peerOutlier: Rule = {
  id: 'peer-outlier',
  owasp: 'NHI5',
  description: 'Non-human identities that reach far more scopes than the median of their peers (same owner and kind)',
  run,
};

function run(input: FindingsInput, thresholds: Thresholds): Finding[] {
  const groups = new Map<string, { id: string; count: number }[]>();
  for (const identity of input.nodesOf('Identity')) {
    if (!isLiveNhi(input, identity.id)) continue;
    const owner = accountableOwner(input, identity.id).id;
    if (owner === '') continue;
    const key = `${owner}\u0000${String(identity.props['kind'])}`;
    const count = input.scopesOf(identity.id, thresholds.maxDepth).length;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [{ id: identity.id, count }]);
    else group.push({ id: identity.id, count });
  }
  const findings: Finding[] = [];
  for (const [key, peers] of groups) {
    if (peers.length < thresholds.peerMinGroupSize) continue;
    const median = medianOf(peers.map((p) => p.count));
    if (median <= 0) continue;
    const [owner, kind] = key.split('\u0000') as [string, string];
    for (const peer of peers) {
      if (peer.count <= thresholds.peerOutlierFactor * median) continue;
      const biggest = biggestGrant(input, peer.id, thresholds.maxDepth);
      if (biggest === undefined) continue;
      findings.push(
        makeFinding(input, peerOutlier, {
          subject: peer.id,
          severity: 'MEDIUM',
          title: `${peer.id} reaches ${peer.count} scopes; the ${peers.length} ${kind} identities of ${owner} reach ${median} (median)`,
          path: biggest.path,
          props: { scopes: peer.count, peerMedian: median, peers: peers.length, owner, kind, factor: thresholds.peerOutlierFactor, grantScopes: biggest.count },
          remediation: revokeGrant(biggest.grant, `brings ${biggest.count} of ${peer.count} scopes; peers reach ${median}`),
        }),
      );
    }
  }
  return findings;
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The identity's grant that the most shortest paths to its scopes start with (ties: the first in reach order). */
function biggestGrant(input: FindingsInput, identity: string, maxDepth: number): { grant: EdgeKey; count: number; path: Finding['evidence']['path'] } | undefined {
  const byGrant = new Map<string, { grant: EdgeKey; count: number; path: Finding['evidence']['path'] }>();
  for (const entry of input.scopesOf(identity, maxDepth)) {
    const grant = firstGrant(entry.entry().path);
    if (grant === undefined) continue;
    const key = edgeKeyString(grant);
    const seen = byGrant.get(key);
    if (seen === undefined) byGrant.set(key, { grant, count: 1, path: entry.entry().path });
    else seen.count++;
  }
  let best: { grant: EdgeKey; count: number; path: Finding['evidence']['path'] } | undefined;
  for (const candidate of byGrant.values()) if (best === undefined || candidate.count > best.count) best = candidate;
  return best;
}
