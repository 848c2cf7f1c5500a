/**
 * NHI5 Overprivileged NHI, unused access: a live grant of a non-human identity whose `lastUsedAt` is older
 * than `unusedGrantDays`, and a live credential of one whose `lastUsedAt` is older than
 * `staleCredentialDays`. Access nobody uses is privilege nobody needs. A grant or credential that does not
 * record its use is not reported: the graph cannot prove it idle.
 */
import { GRANT_EDGE_TYPES } from '../../model/vocabulary.js';
import type { Finding } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { revokeCredential, revokeGrant } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { credentialEvidence, daysBetween, edgePath, grantDiscriminator, grantEvidence, isLiveNhi, makeFinding, timeOf, type Rule } from './rule.js';

export const unusedAccess: Rule = {
  id: 'unused-access',
  owasp: 'NHI5',
  description: 'Grants and credentials of non-human identities not used for N days (lastUsedAt)',
  run,
};

function run(input: FindingsInput, thresholds: Thresholds): Finding[] {
  const findings: Finding[] = [];
  for (const type of GRANT_EDGE_TYPES) {
    for (const edge of input.edgesOf(type)) {
      if (!isLiveNhi(input, edge.from) || !input.isEdgeLive(edge)) continue;
      const used = timeOf(edge.props, 'lastUsedAt');
      if (used === undefined) continue;
      const idle = daysBetween(used, input.at);
      if (idle <= thresholds.unusedGrantDays) continue;
      findings.push(
        makeFinding(input, unusedAccess, {
          subject: edge.from,
          discriminator: grantDiscriminator(edge),
          severity: 'MEDIUM',
          title: `${edge.from} has not used its ${edge.type} grant of ${edge.to} for ${idle} days`,
          path: edgePath(edge),
          props: { ...grantEvidence(edge), idleDays: idle },
          remediation: revokeGrant(edge, `unused for ${idle} days`),
        }),
      );
    }
  }
  for (const credential of input.nodesOf('Credential')) {
    if (!input.isLive(credential.id)) continue;
    const authenticates = input.out(credential.id, 'AUTHENTICATES').filter((e) => isLiveNhi(input, e.to));
    if (authenticates.length === 0) continue;
    const used = timeOf(credential.props, 'lastUsedAt');
    if (used === undefined) continue;
    const idle = daysBetween(used, input.at);
    if (idle <= thresholds.staleCredentialDays) continue;
    findings.push(
      makeFinding(input, unusedAccess, {
        subject: credential.id,
        severity: 'MEDIUM',
        title: `${credential.id} has not been used for ${idle} days and still authenticates ${authenticates.map((e) => e.to).join(', ')}`,
        path: edgePath(authenticates[0]!),
        props: { ...credentialEvidence(input, credential.id), idleDays: idle },
        remediation: revokeCredential(credential.id, `unused for ${idle} days`),
      }),
    );
  }
  return findings;
}
