/**
 * NHI5 Overprivileged NHI, overlapping entitlements: a non-human identity that holds the same scope by
 * several shortest routes (`routes` > 1) that start with different grants of its own. Each such grant is
 * reviewed, granted and revoked on its own, so revoking one leaves the access in place. The fix revokes
 * one that brings nothing on its own (every scope it opens is opened by another grant too), else the
 * last. Routes that share the identity's grant and part only inside role definitions are a role-design
 * matter, not the identity's, and are not reported.
 */
import { edgeKeyString, type EdgeKey } from '../../model/records.js';
import { explain } from '../../paths/index.js';
import type { Finding, PathJson } from '../finding.js';
import type { FindingsInput } from '../input.js';
import { revokeGrant } from '../remediation.js';
import type { Thresholds } from '../thresholds.js';
import { firstGrant, isLiveNhi, makeFinding, type Rule } from './rule.js';

export const overlappingEntitlements: Rule = {
  id: 'overlapping-entitlements',
  owasp: 'NHI5',
  description: 'The same scope held through several routes that start with different grants',
  run,
};

/** Enough routes to tell whether two grants overlap; the count itself comes from the walk. */
const MAX_ROUTES = 20;

function run(input: FindingsInput, thresholds: Thresholds): Finding[] {
  const findings: Finding[] = [];
  for (const identity of input.nodesOf('Identity')) {
    if (!isLiveNhi(input, identity.id)) continue;
    const entries = input.scopesOf(identity.id, thresholds.maxDepth);
    if (!entries.some((e) => e.routes > 1)) continue;
    // The identity's grants that open a shortest route to each scope.
    const grantsOf = new Map<string, Map<string, EdgeKey>>();
    for (const entry of entries) grantsOf.set(entry.scope, entry.routes > 1 ? routeGrants(input, identity.id, entry.scope, entry.distance, thresholds) : firstOf(entry.entry().path));
    for (const entry of entries) {
      const grants = grantsOf.get(entry.scope)!;
      if (grants.size < 2) continue;
      const listed = [...grants.values()];
      // Revoke a grant that brings nothing else alone, so that the fix takes no other access away.
      const redundant = listed.find((grant) => coveredElsewhere(grantsOf, edgeKeyString(grant))) ?? listed[listed.length - 1]!;
      findings.push(
        makeFinding(input, overlappingEntitlements, {
          subject: identity.id,
          discriminator: entry.scope,
          severity: 'LOW',
          title: `${identity.id} holds ${entry.scope} through ${grants.size} different grants (${entry.routes} shortest routes)`,
          path: entry.entry().path,
          props: { scope: entry.scope, routes: entry.routes, grants: listed.map((g) => ({ type: g.type, from: g.from, to: g.to, id: g.key })) },
          remediation: revokeGrant(redundant, `redundant: ${entry.scope} is also held through another grant`),
        }),
      );
    }
  }
  return findings;
}

/** The distinct first grants of the shortest routes to a scope, in route order. */
function routeGrants(input: FindingsInput, identity: string, scope: string, distance: number, thresholds: Thresholds): Map<string, EdgeKey> {
  const routes = explain(input.adj, identity, scope, { at: input.at, maxDepth: thresholds.maxDepth, maxRoutes: MAX_ROUTES });
  const grants = new Map<string, EdgeKey>();
  for (const route of routes.entries) {
    const step = route.path.steps[0];
    if (route.distance !== distance || step === undefined) continue;
    // Out of an identity, every privilege edge is a grant (CAN_ASSUME, MEMBER_OF, HAS_ROLE).
    const grant: EdgeKey = { type: step.type, from: step.from, to: step.to, key: step.key };
    grants.set(edgeKeyString(grant), grant);
  }
  return grants;
}

function firstOf(path: PathJson): Map<string, EdgeKey> {
  const grant = firstGrant(path);
  return grant === undefined ? new Map() : new Map([[edgeKeyString(grant), grant]]);
}

/** True when every scope this grant opens a shortest route to is opened by another grant too. */
function coveredElsewhere(grantsOf: ReadonlyMap<string, ReadonlyMap<string, EdgeKey>>, key: string): boolean {
  for (const grants of grantsOf.values()) if (grants.has(key) && grants.size < 2) return false;
  return true;
}
