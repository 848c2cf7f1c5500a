/**
 * Stale identities (not an OWASP item of its own): a live non-human identity not seen for
 * `staleIdentityDays` (`lastSeenAt`) that still holds live grants. The fix retires it; its dry run lists
 * what that ends.
 */
import { GRANT_EDGE_TYPES } from '../../model/vocabulary.js';
import type { Finding } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { retireIdentity } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { daysBetween, edgePath, isLiveNhi, makeFinding, timeOf, type Rule } from './rule.js';

export const staleIdentity: Rule = {
  id: 'stale-identity',
  owasp: null,
  description: 'Non-human identities not seen for N days that still hold live grants',
  run,
};

function run(input: FindingsInput, thresholds: Thresholds): Finding[] {
  const findings: Finding[] = [];
  for (const identity of input.nodesOf('Identity')) {
    if (!isLiveNhi(input, identity.id)) continue;
    const seen = timeOf(identity.props, 'lastSeenAt');
    if (seen === undefined) continue;
    const idle = daysBetween(seen, input.at);
    if (idle <= thresholds.staleIdentityDays) continue;
    const grants = GRANT_EDGE_TYPES.flatMap((type) => input.out(identity.id, type)).filter((e) => input.isEdgeLive(e));
    if (grants.length === 0) continue;
    const scopes = input.scopesOf(identity.id, thresholds.maxDepth);
    findings.push(
      makeFinding(input, staleIdentity, {
        subject: identity.id,
        severity: scopes.length > 0 ? 'MEDIUM' : 'LOW',
        title: `${identity.id} has not been seen for ${idle} days and still holds ${grants.length} live grant${grants.length === 1 ? '' : 's'}`,
        path: scopes[0]?.entry().path ?? edgePath(grants[0]!),
        props: { lastSeenAt: identity.props['lastSeenAt'], idleDays: idle, grants: grants.map((g) => ({ type: g.type, from: g.from, to: g.to, id: g.key })), scopes: scopes.length },
        remediation: retireIdentity(identity.id, `not seen for ${idle} days`),
      }),
    );
  }
  return findings;
}
