/**
 * The thresholds of the posture rules, in one validated config with documented defaults. A caller passes
 * only what it changes; `getValidThresholds` fills in the rest and reports every bad value by field.
 */
import { z } from 'zod';
import { badInput, type Issue } from '../model/errors.js';
import { MAX_MAX_DEPTH } from '../model/query-options.js';
import { SEVERITIES, type Severity } from '../model/vocabulary.js';

export interface Thresholds {
  /** unused-access (NHI5): a live grant whose `lastUsedAt` is older than this. Default 90. */
  readonly unusedGrantDays: number;
  /** unused-access (NHI5): a live credential whose `lastUsedAt` is older than this. Default 90. */
  readonly staleCredentialDays: number;
  /** stale-identity: an identity whose `lastSeenAt` is older than this and that still holds live grants. Default 90. */
  readonly staleIdentityDays: number;
  /** long-lived-secret (NHI7): a credential issued (or last rotated) longer ago than this. Default 365. */
  readonly rotationPeriodDays: number;
  /** peer-outlier (NHI5): more scopes than this many times the median of its peers (same owner and kind). Default 3. */
  readonly peerOutlierFactor: number;
  /** peer-outlier (NHI5): peer groups smaller than this (the identity included) are not compared. Default 4. */
  readonly peerMinGroupSize: number;
  /** vulnerable-third-party (NHI3): a vendor identity whose blast radius reaches a scope this sensitive or more. Default HIGH. */
  readonly thirdPartyMinSensitivity: Severity;
  /** environment-isolation (NHI8), insecure-authentication (NHI4): what counts as production. Default prod, production. */
  readonly prodEnvironments: readonly string[];
  /** environment-isolation (NHI8): the environments that must not reach production. Default dev, test, staging, qa. */
  readonly nonProdEnvironments: readonly string[];
  /** The depth of every path query the rules run (DESIGN.md, Depth). Default 12. */
  readonly maxDepth: number;
}

/**
 * The defaults, as documented on `Thresholds`.
 * @example runFindings(input, DEFAULT_THRESHOLDS)
 */
export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({
  unusedGrantDays: 90,
  staleCredentialDays: 90,
  staleIdentityDays: 90,
  rotationPeriodDays: 365,
  peerOutlierFactor: 3,
  peerMinGroupSize: 4,
  thirdPartyMinSensitivity: 'HIGH',
  prodEnvironments: Object.freeze(['prod', 'production']),
  nonProdEnvironments: Object.freeze(['dev', 'test', 'staging', 'qa']),
  maxDepth: 12,
});

const days = z.number().int('must be a whole number of days').min(1, 'must be at least 1 day');
const environments = z.array(z.string().min(1, 'must not be empty')).min(1, 'must name at least one environment');

const schema = z.strictObject({
  unusedGrantDays: days,
  staleCredentialDays: days,
  staleIdentityDays: days,
  rotationPeriodDays: days,
  peerOutlierFactor: z.number().gt(1, 'must be more than 1'),
  peerMinGroupSize: z.number().int('must be a whole number').min(2, 'must be at least 2'),
  thirdPartyMinSensitivity: z.enum(SEVERITIES),
  prodEnvironments: environments,
  nonProdEnvironments: environments,
  maxDepth: z.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_MAX_DEPTH, `must be at most ${MAX_MAX_DEPTH}`),
});

/**
 * The defaults with `partial` laid over them, validated.
 * @throws IdGraphError BAD_USER_INPUT listing every bad field, e.g. `unusedGrantDays: must be at least 1 day (got 0)`.
 * @example getValidThresholds({ unusedGrantDays: 30 })
 */
export function getValidThresholds(partial: Readonly<Record<string, unknown>> = {}): Thresholds {
  const merged: Record<string, unknown> = { ...DEFAULT_THRESHOLDS, ...partial };
  const parsed = schema.safeParse(merged);
  const issues: Issue[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const field = issue.path.map(String).join('.');
        const top = issue.path[0];
        const got = typeof top === 'string' && top in merged ? ` (got ${JSON.stringify(merged[top])})` : '';
        return { path: field, message: `${issue.message}${got}` };
      });
  const prod = merged['prodEnvironments'];
  const nonProd = merged['nonProdEnvironments'];
  if (Array.isArray(prod) && Array.isArray(nonProd)) {
    const both = prod.filter((env) => nonProd.includes(env));
    if (both.length > 0) issues.push({ path: 'nonProdEnvironments', message: `must not repeat a production environment (got ${JSON.stringify(both)})` });
  }
  if (parsed.success && issues.length === 0) return parsed.data;
  throw badInput(`Bad findings thresholds: ${issues.map((i) => `${i.path || 'thresholds'}: ${i.message}`).join('; ')}`, issues);
}
