/**
 * The SARIF output of the findings, validated against the SARIF 2.1.0 JSON schema (OASIS, vendored in
 * test/fixtures, see its NOTICE), with the mapping that code-scanning tools read: a rule per detector with
 * its OWASP reference, levels from severities, logical locations for graph nodes, stable fingerprints.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { Log, Result } from 'sarif';
import { describe, expect, it } from 'vitest';
import { RULES, runFindings, type Finding } from '../../src/findings/index.js';
import { FINGERPRINT_KEY, OWASP_NHI_TOP10_URL, sarifLevel, toSarif } from '../../src/findings/sarif.js';
import { recordsOf } from '../../src/model/interchange.js';
import { demoEstate } from '../../seed/demo-estate.js';
import { guardrails, inputOf } from './fixture.js';

const ANCHOR = new Date('2026-11-23T00:00:00Z');
const records = recordsOf(demoEstate(ANCHOR));
const input = inputOf(records, { at: ANCHOR.getTime(), guardrails: guardrails() });
const findings = runFindings(input);
const labelOf = (id: string) => input.node(id)?.label;

/** The OASIS schema is draft-07; ajv's default export speaks it. Formats are checked with small stand-ins for ajv-formats. */
function validator() {
  const schema = JSON.parse(readFileSync(new URL('../fixtures/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///'));
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)));
  return ajv.compile(schema);
}
const validate = validator();

function expectValid(log: unknown): void {
  const ok = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

/** Typed as `@types/sarif`'s Log: tsc checks that what toSarif writes is SARIF's shape. */
const log: Log = toSarif(findings, { at: ANCHOR.getTime(), labelOf });
const run = log.runs[0]!;
const results: Result[] = run.results ?? [];

describe('toSarif', () => {
  it('validates against the SARIF 2.1.0 JSON schema on the demo estate', () => {
    expect(findings.length).toBeGreaterThan(0);
    expectValid(JSON.parse(JSON.stringify(log)));
  });

  it('validates with no findings too', () => {
    expectValid(JSON.parse(JSON.stringify(toSarif([]))));
  });

  it('validates with baseline states (findings --since): new, unchanged, absent', () => {
    const [a, b, c] = findings;
    const states = new Map([[a!.id, 'new'], [b!.id, 'unchanged'], [c!.id, 'absent']] as const);
    const withBaseline: Log = toSarif([a!, b!, c!], { labelOf, baselineStates: states });
    expect(withBaseline.runs[0]!.results!.map((r) => r.baselineState)).toEqual(['new', 'unchanged', 'absent']);
    expectValid(JSON.parse(JSON.stringify(withBaseline)));
  });

  it('is checked by a schema that rejects what it should (a bad level, a result without a message)', () => {
    const bad = JSON.parse(JSON.stringify(log)) as Log;
    bad.runs[0]!.results![0]!.level = 'fatal' as never;
    expect(validate(bad)).toBe(false);
    const noMessage = JSON.parse(JSON.stringify(log)) as { runs: { results: Record<string, unknown>[] }[] };
    delete noMessage.runs[0]!.results[0]!['message'];
    expect(validate(noMessage)).toBe(false);
  });

  it('has one run of the idgraph tool with a rule per detector and its OWASP reference', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe('idgraph');
    const rules = run.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    const offboarding = rules.find((r) => r.id === 'improper-offboarding')!;
    expect(offboarding.helpUri).toBe(`${OWASP_NHI_TOP10_URL}1-improper-offboarding/`);
    expect(offboarding.properties?.tags).toContain('NHI1');
    expect(offboarding.shortDescription?.text).toBe(RULES[0]!.description);
    const drift = rules.find((r) => r.id === 'guardrail-drift')!;
    expect(drift.helpUri).toBe(OWASP_NHI_TOP10_URL);
    for (const rule of rules) expect(rule.helpUri?.startsWith(OWASP_NHI_TOP10_URL)).toBe(true);
  });

  it('maps CRITICAL and HIGH to error, MEDIUM to warning, LOW to note', () => {
    expect(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'].map((s) => sarifLevel(s as Finding['severity']))).toEqual(['error', 'error', 'warning', 'note']);
    results.forEach((result, i) => expect(result.level).toBe(sarifLevel(findings[i]!.severity)));
  });

  it('gives each result its rule, the subject as a logical location and the stable finding id as fingerprint', () => {
    expect(results).toHaveLength(findings.length);
    results.forEach((result, i) => {
      const finding = findings[i]!;
      expect(result.ruleId).toBe(finding.rule);
      expect(run.tool.driver.rules?.[result.ruleIndex!]?.id).toBe(finding.rule);
      expect(result.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: finding.id });
      expect(result.message.text).toContain(finding.title);
      expect(result.locations?.[0]?.logicalLocations).toEqual([
        { name: finding.subject.id, kind: finding.subject.label, fullyQualifiedName: `idgraph://${finding.subject.label}/${finding.subject.id}` },
      ]);
    });
  });

  it('gives the evidence path as a code flow of logical locations, in order', () => {
    const withPath = findings.findIndex((f) => (f.evidence.path?.nodes.length ?? 0) > 1);
    expect(withPath).toBeGreaterThanOrEqual(0);
    const finding = findings[withPath]!;
    const flow = results[withPath]!.codeFlows?.[0]?.threadFlows[0]?.locations ?? [];
    expect(flow.map((l) => l.location?.logicalLocations?.[0]?.name)).toEqual(finding.evidence.path!.nodes);
    expect(flow.map((l) => l.location?.logicalLocations?.[0]?.fullyQualifiedName)).toEqual(
      finding.evidence.path!.nodes.map((id) => `idgraph://${labelOf(id)!}/${id}`),
    );
    expect(flow[1]?.location?.message?.text).toBe(`reached through ${finding.evidence.path!.steps[0]!.type}`);
  });
});
