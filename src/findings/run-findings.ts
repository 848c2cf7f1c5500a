/**
 * A full findings run: every rule (or the ones asked for) over one input, sorted by severity then id;
 * and the posture summary that counts them.
 */
import { badInput } from '../model/errors.js';
import type { Severity } from '../model/vocabulary.js';
import { OWASP_ITEMS, RULE_IDS, SEVERITY_ORDER, bySeverityThenId, type Finding, type OwaspItem, type RuleId } from './finding.js';
import type { FindingsInput } from './input.js';
import { RULES } from './rules/index.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.js';

export interface RunFindingsOptions {
  /** Only these rules; all when absent. */
  readonly rules?: readonly RuleId[] | undefined;
}

export interface PostureSummary {
  readonly total: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  /** Every OWASP item the rules cover, 0 when clean; `other` counts the findings with no item (stale, drift). */
  readonly byOwasp: Readonly<Record<OwaspItem | 'other', number>>;
}

/**
 * @throws IdGraphError BAD_USER_INPUT naming an unknown rule id.
 * @example runFindings(input, getValidThresholds({ unusedGrantDays: 30 }), { rules: ['secret-leakage'] })
 */
export function runFindings(input: FindingsInput, thresholds: Thresholds = DEFAULT_THRESHOLDS, options: RunFindingsOptions = {}): Finding[] {
  const wanted = options.rules;
  if (wanted !== undefined) {
    const unknown = wanted.filter((id) => !(RULE_IDS as readonly string[]).includes(id));
    if (unknown.length > 0) {
      throw badInput(
        `Unknown rule ${unknown.map((id) => JSON.stringify(id)).join(', ')}; expected one of ${RULE_IDS.join(', ')}`,
        unknown.map((id) => ({ path: 'rules', message: `unknown rule ${JSON.stringify(id)}` })),
      );
    }
  }
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (wanted === undefined || wanted.includes(rule.id)) findings.push(...rule.run(input, thresholds));
  }
  return findings.sort(bySeverityThenId);
}

/**
 * @example postureSummary(findings).bySeverity.CRITICAL
 */
export function postureSummary(findings: readonly Finding[]): PostureSummary {
  const bySeverity = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0])) as Record<Severity, number>;
  const byOwasp = Object.fromEntries([...OWASP_ITEMS, 'other'].map((item) => [item, 0])) as Record<OwaspItem | 'other', number>;
  for (const finding of findings) {
    bySeverity[finding.severity]++;
    byOwasp[finding.owasp ?? 'other']++;
  }
  return { total: findings.length, bySeverity, byOwasp };
}

