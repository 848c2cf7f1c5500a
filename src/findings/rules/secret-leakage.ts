/**
 * NHI2 Secret Leakage, as far as a graph shows it: a live credential stored in (readable by) several
 * services, or one whose holders and identities span environments (a prod secret in a dev service).
 * Every copy is a place it can leak from; the fix is one secret per consumer, so the shared one rotates.
 */
import type { Finding } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { rotateCredential } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { credentialEvidence, edgePath, environmentOf, makeFinding, type Rule } from './rule.js';

export const secretLeakage: Rule = {
  id: 'secret-leakage',
  owasp: 'NHI2',
  description: 'A live credential held by several services, or across environments',
  run,
};

function run(input: FindingsInput, thresholds: Thresholds): Finding[] {
  const findings: Finding[] = [];
  for (const credential of input.nodesOf('Credential')) {
    if (!input.isLive(credential.id)) continue;
    const holders = [...new Set(input.in(credential.id, 'HOLDS').filter((e) => input.isLive(e.from)).map((e) => e.from))];
    if (holders.length === 0) continue;
    const identities = input.out(credential.id, 'AUTHENTICATES').map((e) => e.to);
    const evidence = { ...credentialEvidence(input, credential.id), heldBy: holders };
    const firstHold = input.in(credential.id, 'HOLDS').find((e) => e.from === holders[0]);
    if (holders.length > 1) {
      findings.push(
        makeFinding(input, secretLeakage, {
          subject: credential.id,
          discriminator: 'several-services',
          severity: 'MEDIUM',
          title: `${credential.id} is stored in ${holders.length} services: ${holders.join(', ')}`,
          path: firstHold === undefined ? undefined : edgePath(firstHold),
          props: evidence,
          remediation: rotateCredential(credential.id),
        }),
      );
    }
    const environments = new Map<string, string[]>();
    for (const id of [...identities, ...holders]) {
      const env = environmentOf(input, id);
      if (env === undefined) continue;
      const ids = environments.get(env);
      if (ids === undefined) environments.set(env, [id]);
      else ids.push(id);
    }
    if (environments.size > 1) {
      const envs = [...environments.keys()].sort();
      const prod = envs.some((env) => thresholds.prodEnvironments.includes(env));
      findings.push(
        makeFinding(input, secretLeakage, {
          subject: credential.id,
          discriminator: 'across-environments',
          severity: prod ? 'HIGH' : 'MEDIUM',
          title: `${credential.id} crosses environments (${envs.join(', ')})`,
          path: firstHold === undefined ? undefined : edgePath(firstHold),
          props: { ...evidence, environments: Object.fromEntries([...environments].sort(([a], [b]) => (a < b ? -1 : 1))) },
          remediation: rotateCredential(credential.id),
        }),
      );
    }
  }
  return findings;
}
