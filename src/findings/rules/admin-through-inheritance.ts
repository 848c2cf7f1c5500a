/**
 * NHI5 Overprivileged NHI, ADMIN through inheritance: a non-human identity that holds an ADMIN scope, but
 * not by a role granted to it that grants the scope itself. Its every route is inherited (DESIGN.md,
 * Semantics): through a role's parents (INHERITS), a group it is a member of, or an identity it can
 * assume. That is the ADMIN nobody decided to give it. A direct grant is the only two-step route
 * (identity —HAS_ROLE→ role —GRANTS→ scope), so the reach distance tells: more than 2 means inherited.
 */
import type { Finding } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { quarantine, revokeGrant } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { firstGrant, isLiveNhi, makeFinding, scopeEntries, sensitivityOf, type Rule } from './rule.js';

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
    for (const entry of scopeEntries(input, identity.id, thresholds.maxDepth)) {
      if (input.propsOf(entry.scope)['level'] !== 'ADMIN' || entry.distance <= DIRECT_DISTANCE) continue;
      const sensitivity = sensitivityOf(input, entry.scope);
      const path = entry.json.path;
      const grant = firstGrant(path);
      const via = path.steps.map((s) => s.type).filter((t) => t !== 'GRANTS');
      findings.push(
        makeFinding(input, adminThroughInheritance, {
          subject: identity.id,
          discriminator: entry.scope,
          severity: sensitivity === 'CRITICAL' || sensitivity === 'HIGH' ? 'HIGH' : sensitivity === 'MEDIUM' ? 'MEDIUM' : 'LOW',
          title: `${identity.id} holds ${entry.scope} (ADMIN, ${sensitivity}) only through inheritance, ${entry.distance} steps away`,
          path,
          props: { scope: entry.scope, level: 'ADMIN', sensitivity, distance: entry.distance, routes: entry.routes, via },
          remediation:
            grant === undefined
              ? quarantine(identity.id, `ADMIN ${entry.scope} through inheritance`)
              : revokeGrant(grant, `inherits ADMIN ${entry.scope} that was never granted directly`),
        }),
      );
    }
  }
  return findings;
}
