/**
 * NHI8 Environment Isolation: a non-human identity of a non-production environment (dev, test, …) that
 * reaches a production scope, that is a scope ON a service whose environment is production. One finding
 * per identity and grant its access starts with (`byFirstGrant`), listing the production scopes behind it,
 * with the path to the most sensitive and the fix that revokes that grant.
 */
import { maxSeverity, type Finding } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { quarantine, revokeGrant } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { byFirstGrant, environmentOf, isLiveNhi, makeFinding, sensitivityOf, type Rule } from './rule.js';

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
    const prod = input.scopesOf(identity.id, thresholds.maxDepth).flatMap((reach) => {
      const service = prodServiceOf(input, reach.scope, thresholds);
      return service === undefined ? [] : [{ reach, service, sensitivity: sensitivityOf(input, reach.scope) }];
    });
    for (const { discriminator, grant, items } of byFirstGrant(prod)) {
      // The most sensitive scope is the evidence; ties go to the nearest (reach order).
      const worst = items.find((i) => i.sensitivity === maxSeverity(...items.map((x) => x.sensitivity)))!;
      const through = grant === undefined ? 'its own credentials' : `${grant.type} ${grant.to}`;
      findings.push(
        makeFinding(input, environmentIsolation, {
          subject: identity.id,
          discriminator,
          severity: worst.sensitivity === 'CRITICAL' ? 'CRITICAL' : 'HIGH',
          title: `${identity.id} (${env}) reaches ${items.length === 1 ? worst.reach.scope : `${items.length} production scopes`} on ${worst.service} (${environmentOf(input, worst.service)}) through ${through}`,
          path: worst.reach.entry().path,
          props: {
            environment: env,
            scope: worst.reach.scope,
            service: worst.service,
            serviceEnvironment: environmentOf(input, worst.service),
            sensitivity: worst.sensitivity,
            scopes: items.map((i) => ({ id: i.reach.scope, service: i.service, sensitivity: i.sensitivity })),
          },
          remediation:
            grant === undefined
              ? quarantine(identity.id, `${env} identity reaches production`)
              : revokeGrant(grant, `${env} identity must not reach ${worst.service}`),
        }),
      );
    }
  }
  return findings;
}

/** The production service a scope is ON, if any. */
function prodServiceOf(input: FindingsInput, scope: string, thresholds: Thresholds): string | undefined {
  return input.out(scope, 'ON').map((e) => e.to).find((s) => {
    const env = environmentOf(input, s);
    return env !== undefined && thresholds.prodEnvironments.includes(env);
  });
}
