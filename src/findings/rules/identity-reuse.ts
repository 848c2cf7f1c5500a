/**
 * NHI9 NHI Reuse: one live identity that several live services run as. A breach of any of them is a
 * breach of all, and no audit can tell them apart. No mutation splits an identity: the fix gives each
 * service its own, then retires the shared one, which the dry run of `retireIdentity` previews.
 */
import type { Finding } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { retireIdentity } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { edgePath, makeFinding, type Rule } from './rule.js';

export const identityReuse: Rule = {
  id: 'identity-reuse',
  owasp: 'NHI9',
  description: 'One identity that several services run as',
  run,
};

function run(input: FindingsInput, _thresholds: Thresholds): Finding[] {
  const findings: Finding[] = [];
  for (const identity of input.nodesOf('Identity')) {
    if (!input.isLive(identity.id)) continue;
    const runsAs = input.in(identity.id, 'RUNS_AS').filter((e) => input.isLive(e.from));
    const services = [...new Set(runsAs.map((e) => e.from))];
    if (services.length < 2) continue;
    findings.push(
      makeFinding(input, identityReuse, {
        subject: identity.id,
        severity: 'HIGH',
        title: `${services.length} services run as ${identity.id}: ${services.join(', ')}`,
        path: edgePath(runsAs[0]!),
        props: { services },
        remediation: retireIdentity(identity.id, `shared by ${services.join(', ')}: give each service its own identity first`),
      }),
    );
  }
  return findings;
}
