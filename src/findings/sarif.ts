/**
 * Findings as a SARIF 2.1.0 log, so that code-scanning tools ingest them: one run of the `idgraph` tool,
 * one rule per detector with its OWASP NHI Top 10 (2025) reference, one result per finding whose location
 * is the subject as a logical location (a graph node has no file), and whose evidence path is a code flow
 * of logical locations. Pure: findings in, a log object out.
 *
 * The SARIF types below are the subset this module writes, declared here because `findings/` takes no
 * package but zod (test/architecture.test.ts); the tests check that they are assignable to `@types/sarif`'s
 * `Log` and validate the output against the OASIS schema.
 */
import type { NodeLabel, Severity } from '../model/vocabulary.js';
import type { Finding, OwaspItem } from './finding.js';
import { RULES, type Rule } from './rules/index.js';

export interface Message { readonly text: string }
export interface LogicalLocation { readonly name: string; readonly kind?: string; readonly fullyQualifiedName: string }
export interface Location { readonly logicalLocations: LogicalLocation[]; readonly message?: Message }
export interface ThreadFlowLocation { readonly location: Location; readonly executionOrder: number }
export interface ReportingDescriptor {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: Message;
  readonly fullDescription: Message;
  readonly helpUri: string;
  readonly help: Message;
  readonly properties: { readonly tags: string[] };
}
export interface Result {
  readonly ruleId: string;
  readonly ruleIndex?: number;
  readonly level: 'error' | 'warning' | 'note';
  readonly message: Message;
  readonly locations: Location[];
  readonly partialFingerprints: Record<string, string>;
  readonly codeFlows?: { readonly message: Message; readonly threadFlows: { readonly locations: ThreadFlowLocation[] }[] }[];
  readonly baselineState?: 'new' | 'unchanged' | 'absent';
  readonly properties: Record<string, unknown>;
}
export interface Log {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: {
    readonly tool: { readonly driver: { readonly name: string; readonly informationUri: string; readonly version?: string; readonly rules: ReportingDescriptor[] } };
    readonly properties?: { readonly at: string };
    readonly results: Result[];
  }[];
}

export interface SarifOptions {
  /** The instant the findings hold at, epoch ms; recorded in the run's properties. */
  readonly at?: number | undefined;
  /** The label of a node on an evidence path (paths carry ids only); the location's `kind` is left out when unknown. */
  readonly labelOf?: ((id: string) => NodeLabel | undefined) | undefined;
  /** The tool version to report. */
  readonly toolVersion?: string | undefined;
  /**
   * Against a baseline (`findings --since`): each result's `baselineState` by finding id, `new`, `unchanged`
   * or `absent` (resolved since the baseline; pass those findings too, as they were then).
   */
  readonly baselineStates?: ReadonlyMap<string, 'new' | 'unchanged' | 'absent'> | undefined;
}

/** The OWASP NHI Top 10 (2025) home page; each item has a page under it. */
export const OWASP_NHI_TOP10_URL = 'https://owasp.org/www-project-non-human-identities-top-10/2025/';

/** The title and page of each OWASP item, as the OWASP project names them. */
export const OWASP_ITEM_INFO: Readonly<Record<OwaspItem | 'NHI6', { readonly title: string; readonly page: string }>> = {
  NHI1: { title: 'Improper Offboarding', page: '1-improper-offboarding/' },
  NHI2: { title: 'Secret Leakage', page: '2-secret-leakage/' },
  NHI3: { title: 'Vulnerable Third-Party NHI', page: '3-vulnerable-third-party-nhi/' },
  NHI4: { title: 'Insecure Authentication', page: '4-insecure-authentication/' },
  NHI5: { title: 'Overprivileged NHI', page: '5-overprivileged-nhi/' },
  NHI6: { title: 'Insecure Cloud Deployment Configurations', page: '6-insecure-cloud-deployment-configurations/' },
  NHI7: { title: 'Long-Lived Secrets', page: '7-long-lived-secrets/' },
  NHI8: { title: 'Environment Isolation', page: '8-environment-isolation/' },
  NHI9: { title: 'NHI Reuse', page: '9-nhi-reuse/' },
  NHI10: { title: 'Human Use of NHI', page: '10-human-use-of-nhi/' },
};

/** The schema a SARIF 2.1.0 log names (the OASIS schema, as published on SchemaStore). */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The key of the stable finding id in `partialFingerprints`. */
export const FINGERPRINT_KEY = 'idgraphFindingId/v1';

/**
 * The SARIF level of a severity: CRITICAL and HIGH are errors, MEDIUM a warning, LOW a note.
 * @example sarifLevel('HIGH') // 'error'
 */
export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'CRITICAL' || severity === 'HIGH' ? 'error' : severity === 'MEDIUM' ? 'warning' : 'note';
}

/**
 * @example JSON.stringify(toSarif(runFindings(input), { at: input.at }))
 */
export function toSarif(findings: readonly Finding[], options: SarifOptions = {}): Log {
  const ruleIndex = new Map(RULES.map((rule, i) => [rule.id, i]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'idgraph',
            informationUri: OWASP_NHI_TOP10_URL,
            ...(options.toolVersion === undefined ? {} : { version: options.toolVersion }),
            rules: RULES.map(descriptorOf),
          },
        },
        ...(options.at === undefined ? {} : { properties: { at: new Date(options.at).toISOString() } }),
        results: findings.map((finding) => {
          const result = resultOf(finding, ruleIndex.get(finding.rule), options.labelOf);
          const state = options.baselineStates?.get(finding.id);
          return state === undefined ? result : { ...result, baselineState: state };
        }),
      },
    ],
  };
}

/** The help page of a rule: its OWASP item's page, or the Top 10 home for the extras. */
export function helpUriOf(owasp: OwaspItem | null): string {
  return owasp === null ? OWASP_NHI_TOP10_URL : `${OWASP_NHI_TOP10_URL}${OWASP_ITEM_INFO[owasp].page}`;
}

function descriptorOf(rule: Rule): ReportingDescriptor {
  const item = rule.owasp === null ? null : OWASP_ITEM_INFO[rule.owasp];
  const reference = item === null || rule.owasp === null ? 'not an OWASP NHI Top 10 item (an idgraph extra)' : `OWASP ${rule.owasp}:2025 ${item.title}`;
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: { text: `${rule.description} (${reference}).` },
    helpUri: helpUriOf(rule.owasp),
    help: { text: `${reference}: ${helpUriOf(rule.owasp)}. Each result names the accountable owner and the governance mutation that fixes it.` },
    properties: { tags: ['security', 'non-human-identity', ...(rule.owasp === null ? [] : [rule.owasp, `OWASP-${rule.owasp}:2025`])] },
  };
}

function resultOf(finding: Finding, ruleIndex: number | undefined, labelOf: SarifOptions['labelOf']): Result {
  const owner = finding.owner.via === 'none' ? 'no accountable owner' : `owner ${finding.owner.id}`;
  const fix = `fix: ${finding.remediation.mutation}`;
  const path = finding.evidence.path;
  return {
    ruleId: finding.rule,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: sarifLevel(finding.severity),
    message: { text: `${finding.title} (${owner}; ${fix}).` },
    locations: [{ logicalLocations: [logicalLocation(finding.subject.id, finding.subject.label)] }],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.id },
    ...(path === undefined || path.nodes.length === 0
      ? {}
      : {
          codeFlows: [
            {
              message: { text: `Evidence path from ${path.nodes[0] ?? ''}` },
              threadFlows: [{ locations: path.nodes.map((id, i) => flowLocation(id, i, path.steps[i - 1]?.type, labelOf?.(id) ?? labelIfSubject(finding, id))) }],
            },
          ],
        }),
    properties: {
      severity: finding.severity,
      ...(finding.owasp === null ? {} : { owasp: finding.owasp }),
      owner: finding.owner,
      remediation: finding.remediation,
      ...(finding.evidence.props === undefined ? {} : { evidence: finding.evidence.props }),
    },
  };
}

function flowLocation(id: string, i: number, via: string | undefined, label: NodeLabel | undefined): ThreadFlowLocation {
  const location: Location = {
    logicalLocations: [logicalLocation(id, label)],
    ...(via === undefined ? {} : { message: { text: `reached through ${via}` } }),
  };
  return { location, executionOrder: i + 1 };
}

/** A graph node as a SARIF logical location: `idgraph://<label>/<id>`. */
export function logicalLocation(id: string, label: NodeLabel | undefined): LogicalLocation {
  return label === undefined ? { name: id, fullyQualifiedName: `idgraph://${id}` } : { name: id, kind: label, fullyQualifiedName: `idgraph://${label}/${id}` };
}

function labelIfSubject(finding: Finding, id: string): NodeLabel | undefined {
  return finding.subject.id === id ? finding.subject.label : undefined;
}

function pascalCase(id: string): string {
  return id.split('-').map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join('');
}
