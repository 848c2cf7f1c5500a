/**
 * NHI7 Long-Lived Secrets: a live credential that never expires, or that was issued (or last rotated)
 * longer ago than the rotation period. Both are fixed by a rotation that sets an expiry.
 */
import type { Finding } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { rotateCredential } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { credentialEvidence, daysBetween, makeFinding, timeOf, type Rule } from './rule.js';

export const longLivedSecret: Rule = {
  id: 'long-lived-secret',
  owasp: 'NHI7',
  description: 'Live credentials without expiry, or older than the rotation period',
  run,
};

function run(input: FindingsInput, thresholds: Thresholds): Finding[] {
  const findings: Finding[] = [];
  for (const credential of input.nodesOf('Credential')) {
    if (!input.isLive(credential.id)) continue;
    const evidence = credentialEvidence(input, credential.id);
    if (credential.props['expiresAt'] === undefined) {
      findings.push(
        makeFinding(input, longLivedSecret, {
          subject: credential.id,
          discriminator: 'no-expiry',
          severity: 'MEDIUM',
          title: `${credential.id} (${String(credential.props['kind'])}) never expires`,
          props: evidence,
          remediation: rotateCredential(credential.id),
        }),
      );
    }
    const since = timeOf(credential.props, 'rotatedAt') ?? timeOf(credential.props, 'issuedAt');
    if (since === undefined) continue;
    const age = daysBetween(since, input.at);
    if (age <= thresholds.rotationPeriodDays) continue;
    findings.push(
      makeFinding(input, longLivedSecret, {
        subject: credential.id,
        discriminator: 'past-rotation',
        severity: 'MEDIUM',
        title: `${credential.id} was last ${credential.props['rotatedAt'] === undefined ? 'issued' : 'rotated'} ${age} days ago, past the ${thresholds.rotationPeriodDays}-day rotation period`,
        props: { ...evidence, ageDays: age, rotationPeriodDays: thresholds.rotationPeriodDays },
        remediation: rotateCredential(credential.id),
      }),
    );
  }
  return findings;
}
