/**
 * What a posture finding is (issue 8): one problem that the graph proves, mapped to the OWASP Non-Human
 * Identity Top 10 (2025), with the evidence, the accountable owner and the governance mutation that fixes
 * it. A finding's `id` is stable (rule + subject, plus a discriminator when one rule reports one subject in
 * several ways), so that it can be tracked across runs.
 */
import type { NodeLabel, Severity } from '../model/vocabulary.js';
import type { EntryJson } from '../paths/index.js';

/** The OWASP NHI Top 10 (2025) items that an identity graph can show. NHI6 (insecure cloud deployment
 * configurations) is not visible in it. */
export const OWASP_ITEMS = ['NHI1', 'NHI2', 'NHI3', 'NHI4', 'NHI5', 'NHI7', 'NHI8', 'NHI9', 'NHI10'] as const;
export type OwaspItem = (typeof OWASP_ITEMS)[number];

/** Every rule, by id; `rules/index.ts` maps each to its module and OWASP item. */
export const RULE_IDS = [
  'improper-offboarding',
  'secret-leakage',
  'vulnerable-third-party',
  'insecure-authentication',
  'unused-access',
  'admin-through-inheritance',
  'overlapping-entitlements',
  'peer-outlier',
  'long-lived-secret',
  'environment-isolation',
  'identity-reuse',
  'human-use-of-nhi',
  'stale-identity',
  'guardrail-drift',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** A path as the CLI prints it and the GraphQL API serves it (`paths/result-json.ts`). */
export type PathJson = EntryJson['path'];

export interface FindingOwner {
  /** The owner's id; '' when nobody is accountable (`via: 'none'`). */
  readonly id: string;
  readonly name?: string;
  /** OWNS: a live OWNS edge to the subject (or to what it belongs to); team: a team stood in for a person who
   * is not ACTIVE; none: nobody. */
  readonly via: 'OWNS' | 'team' | 'none';
  readonly note?: string;
}

export interface Remediation {
  /** A mutation of `schema/governance.graphql`. */
  readonly mutation: string;
  /** Exactly the arguments that mutation takes, by name. */
  readonly args: Readonly<Record<string, unknown>>;
  /** True when the mutation takes `dryRun`, so its effect can be previewed first. */
  readonly dryRunnable: boolean;
}

export interface Finding {
  /** `${rule}:${subject.id}`, plus `:${discriminator}` when the rule reports the subject in several ways. */
  readonly id: string;
  readonly rule: RuleId;
  /** null for the extras that are not an OWASP item (stale identities, guardrail drift). */
  readonly owasp: OwaspItem | null;
  readonly severity: Severity;
  readonly subject: { readonly id: string; readonly label: NodeLabel };
  readonly title: string;
  readonly evidence: {
    readonly path?: PathJson;
    /** The grant or credential properties that prove it. */
    readonly props?: Readonly<Record<string, unknown>>;
  };
  readonly owner: FindingOwner;
  readonly remediation: Remediation;
}

/** Severities by rank, highest first: the order findings are listed in. */
export const SEVERITY_ORDER: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

/**
 * The stable id of a finding.
 * @example findingId('secret-leakage', 'cred:x', 'across-environments') // 'secret-leakage:cred:x:across-environments'
 */
export function findingId(rule: RuleId, subject: string, discriminator?: string): string {
  return discriminator === undefined || discriminator === '' ? `${rule}:${subject}` : `${rule}:${subject}:${discriminator}`;
}

/** Whether `severity` is `floor` or worse: the one meaning of --fail-on, minSeverity and rule floors. */
export function atOrAbove(severity: Severity, floor: Severity): boolean {
  return SEVERITY_ORDER.indexOf(severity) <= SEVERITY_ORDER.indexOf(floor);
}

/** The order findings are listed in everywhere: worst first, then by id. */
export function bySeverityThenId(a: Finding, b: Finding): number {
  return SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The highest of some severities (LOW for none). */
export function maxSeverity(...severities: readonly (Severity | undefined)[]): Severity {
  for (const s of SEVERITY_ORDER) if (severities.includes(s)) return s;
  return 'LOW';
}
