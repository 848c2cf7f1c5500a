/**
 * NHI5 Overprivileged NHI, ADMIN through inheritance: a non-human identity that holds an ADMIN scope, but
 * not by a role granted to it that grants the scope itself. Its every route is inherited (DESIGN.md,
 * Semantics): through a role's parents (INHERITS), a group it is a member of, or an identity it can
 * assume. That is the ADMIN nobody decided to give it. A direct grant is the only two-step route
 * (identity —HAS_ROLE→ role —GRANTS→ scope), so the reach distance tells: more than 2 means inherited.
 * One finding per identity and grant its access starts with (`byFirstGrant`), listing the ADMIN scopes.
 */
import { maxSeverity, type Finding } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { quarantine, revokeGrant } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { byFirstGrant, isLiveNhi, makeFinding, sensitivityOf, type Rule } from './rule.js';

export const adminThroughInheritance: Rule = {
  id: 'admin-through-inheritance',
  owasp: 'NHI5',
  description: 'ADMIN scopes that a non-human identity holds only through inheritance (roles, groups, assumed identities)',
  run,
};

/** identity —HAS_ROLE→ role —GRANTS→ scope. */
const DIRECT_DISTANCE = 2;

function run(input: FindingsInput, thresholds: Thresholds): Finding[] {
  const findings: Finding[] = [];
  for (const identity of input.nodesOf('Identity')) {
    if (!isLiveNhi(input, identity.id)) continue;
    const inherited = input
      .scopesOf(identity.id, thresholds.maxDepth)
      .filter((reach) => input.propsOf(reach.scope)['level'] === 'ADMIN' && reach.distance > DIRECT_DISTANCE)
      .map((reach) => ({ reach, sensitivity: sensitivityOf(input, reach.scope) }));
    for (const { discriminator, grant, items } of byFirstGrant(inherited)) {
      const worst = items.find((i) => i.sensitivity === maxSeverity(...items.map((x) => x.sensitivity)))!;
      const path = worst.reach.entry().path;
      const what = items.length === 1 ? worst.reach.scope : `${items.length} ADMIN scopes, the worst ${worst.reach.scope}`;
      findings.push(
        makeFinding(input, adminThroughInheritance, {
          subject: identity.id,
          discriminator,
          severity: worst.sensitivity === 'CRITICAL' || worst.sensitivity === 'HIGH' ? 'HIGH' : worst.sensitivity === 'MEDIUM' ? 'MEDIUM' : 'LOW',
          title: `${identity.id} holds ${what} (ADMIN, ${worst.sensitivity}) only through inheritance, ${worst.reach.distance} steps away`,
          path,
          props: {
            scope: worst.reach.scope,
            level: 'ADMIN',
            sensitivity: worst.sensitivity,
            distance: worst.reach.distance,
            routes: worst.reach.routes,
            via: path.steps.map((s) => s.type).filter((t) => t !== 'GRANTS'),
            scopes: items.map((i) => ({ id: i.reach.scope, sensitivity: i.sensitivity, distance: i.reach.distance })),
          },
          remediation:
            grant === undefined
              ? quarantine(identity.id, `ADMIN ${worst.reach.scope} through inheritance`)
              : revokeGrant(grant, `inherits ADMIN ${items.map((i) => i.reach.scope).join(', ')} that was never granted directly`),
        }),
      );
    }
  }
  return findings;
}
