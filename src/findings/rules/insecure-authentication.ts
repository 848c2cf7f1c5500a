/**
 * NHI4 Insecure Authentication: a production non-human identity that authenticates with a password, or
 * with a static key or secret that never expires. The fix for a password is to revoke it (the identity
 * moves to a federated or short-lived credential); a static key is rotated with an expiry.
 */
import type { Finding } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { revokeCredential, rotateCredential } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { credentialEvidence, edgePath, environmentOf, isLiveNhi, makeFinding, type Rule } from './rule.js';

export const insecureAuthentication: Rule = {
  id: 'insecure-authentication',
  owasp: 'NHI4',
  description: 'Production non-human identities authenticated by a password, or a static API key or secret without expiry',
  run,
};

const STATIC = new Set(['API_KEY', 'SECRET']);

function run(input: FindingsInput, thresholds: Thresholds): Finding[] {
  const findings: Finding[] = [];
  for (const credential of input.nodesOf('Credential')) {
    if (!input.isLive(credential.id)) continue;
    const kind = credential.props['kind'];
    const password = kind === 'PASSWORD';
    const staticForever = typeof kind === 'string' && STATIC.has(kind) && credential.props['expiresAt'] === undefined;
    if (!password && !staticForever) continue;
    const prod = input.out(credential.id, 'AUTHENTICATES').filter((e) => {
      const env = environmentOf(input, e.to);
      return isLiveNhi(input, e.to) && env !== undefined && thresholds.prodEnvironments.includes(env);
    });
    if (prod.length === 0) continue;
    const identities = prod.map((e) => e.to);
    findings.push(
      makeFinding(input, insecureAuthentication, {
        subject: credential.id,
        severity: password ? 'HIGH' : 'MEDIUM',
        title: password
          ? `${identities.join(', ')} (prod) authenticates with a password, ${credential.id}`
          : `${identities.join(', ')} (prod) authenticates with a static ${String(kind)} that never expires, ${credential.id}`,
        path: edgePath(prod[0]!),
        props: credentialEvidence(input, credential.id),
        remediation: password
          ? revokeCredential(credential.id, 'passwords are not allowed for production non-human identities: issue a short-lived credential first')
          : rotateCredential(credential.id),
      }),
    );
  }
  return findings;
}
