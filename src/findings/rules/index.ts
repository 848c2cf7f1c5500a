/** Every posture rule, in the order of the OWASP NHI Top 10 (2025), then the extras. */
import type { RuleId } from '../finding.js';
import { adminThroughInheritance } from './admin-through-inheritance.js';
import { environmentIsolation } from './environment-isolation.js';
import { guardrailDrift } from './guardrail-drift.js';
import { humanUseOfNhi } from './human-use-of-nhi.js';
import { identityReuse } from './identity-reuse.js';
import { improperOffboarding } from './improper-offboarding.js';
import { insecureAuthentication } from './insecure-authentication.js';
import { longLivedSecret } from './long-lived-secret.js';
import { overlappingEntitlements } from './overlapping-entitlements.js';
import { peerOutlier } from './peer-outlier.js';
import type { Rule } from './rule.js';
import { secretLeakage } from './secret-leakage.js';
import { staleIdentity } from './stale-identity.js';
import { unusedAccess } from './unused-access.js';
import { vulnerableThirdParty } from './vulnerable-third-party.js';

export type { Rule } from './rule.js';

export const RULES: readonly Rule[] = [
  improperOffboarding,
  secretLeakage,
  vulnerableThirdParty,
  insecureAuthentication,
  unusedAccess,
  adminThroughInheritance,
  overlappingEntitlements,
  peerOutlier,
  longLivedSecret,
  environmentIsolation,
  identityReuse,
  humanUseOfNhi,
  staleIdentity,
  guardrailDrift,
];

/** The rule with this id. */
export function ruleOf(id: RuleId): Rule {
  const rule = RULES.find((r) => r.id === id);
  if (rule === undefined) throw new Error(`no rule "${id}"`);
  return rule;
}
