/**
 * NHI8 Environment Isolation: a non-human identity of a non-production environment (dev, test, …) that
 * reaches a production scope, that is a scope ON a service whose environment is production; with the path
 * that lets it, and the fix that revokes the grant the path starts with.
 */
import type { Finding } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { quarantine, revokeGrant } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { environmentOf, firstGrant, isLiveNhi, makeFinding, scopeEntries, sensitivityOf, type Rule } from './rule.js';

export const environmentIsolation: Rule = {
  id: 'environment-isolation',
  owasp: 'NHI8',
  description: 'A dev or test identity that reaches a prod scope',
  run,
};

function run(input: FindingsInput, thresholds: Thresholds): Finding[] {
  const findings: Finding[] = [];
  for (const identity of input.nodesOf('Identity')) {
    const env = environmentOf(input, identity.id);
    if (env === undefined || !thresholds.nonProdEnvironments.includes(env) || !isLiveNhi(input, identity.id)) continue;
    for (const entry of scopeEntries(input, identity.id, thresholds.maxDepth)) {
      const service = input.out(entry.scope, 'ON').map((e) => e.to).find((s) => {
        const serviceEnv = environmentOf(input, s);
        return serviceEnv !== undefined && thresholds.prodEnvironments.includes(serviceEnv);
      });
      if (service === undefined) continue;
      const sensitivity = sensitivityOf(input, entry.scope);
      const grant = firstGrant(entry.json.path);
      findings.push(
        makeFinding(input, environmentIsolation, {
          subject: identity.id,
          discriminator: entry.scope,
          severity: sensitivity === 'CRITICAL' ? 'CRITICAL' : 'HIGH',
          title: `${identity.id} (${env}) reaches ${entry.scope} on ${service} (${environmentOf(input, service)})`,
          path: entry.json.path,
          props: { environment: env, scope: entry.scope, service, serviceEnvironment: environmentOf(input, service), sensitivity },
          remediation:
            grant === undefined
              ? quarantine(identity.id, `${env} identity reaches production`)
              : revokeGrant(grant, `${env} identity must not reach ${service}`),
        }),
      );
    }
  }
  return findings;
}
