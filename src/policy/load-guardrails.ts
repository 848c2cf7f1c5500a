/**
 * Loads the guardrails from `policy/`: the Cedar schema `idgraph.cedarschema` and every `*.cedar` file,
 * parsed and validated against the schema (strict) before anything is decided, so that a server start
 * stops on a bad policy instead of denying (or allowing) by accident later. Every problem is collected,
 * then reported in one error.
 */
import { checkParsePolicySet, checkParseSchema, policySetTextToParts, policyToJson, validate, type DetailedError } from '@cedar-policy/cedar-wasm/nodejs';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IdGraphError, badInput, formatIssue, type Issue } from '../model/errors.js';
import { Guardrails, type GuardrailPolicy, type PolicyOutcome } from './guardrails.js';

/** The schema's file name inside the policy folder. */
export const SCHEMA_FILE = 'idgraph.cedarschema';

const OUTCOMES: Readonly<Record<string, PolicyOutcome>> = { 'needs-approval': 'needs-approval' };

/**
 * The package's `policy/` folder: the nearest one above this module that holds the schema, whether it runs
 * from `src/` or `dist/` (`src/policy/` itself is this TypeScript, hence the schema check).
 * @throws IdGraphError INTERNAL when there is none.
 */
export function defaultPolicyDir(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'policy');
    if (existsSync(join(candidate, SCHEMA_FILE))) return candidate;
    if (dirname(dir) === dir) throw new IdGraphError('INTERNAL', `No policy/${SCHEMA_FILE} above ${start}`);
  }
}

/**
 * Reads, parses and validates the schema and policies of `dir` (default: the package's `policy/`).
 * Each policy needs a unique `@id`; `@outcome`, when given, is "needs-approval" and only on a forbid.
 * @throws IdGraphError BAD_USER_INPUT listing every problem: its file and line, and the policy id with
 *   Cedar's own message when the policy parsed.
 * @example const guardrails = loadGuardrails(); // at server start
 */
export function loadGuardrails(dir: string = defaultPolicyDir()): Guardrails {
  const issues: Issue[] = [];
  const schema = readSchema(dir, issues);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cedar')).sort() : [];
  if (files.length === 0) issues.push({ path: dir, message: 'no *.cedar policy files' });
  const policies = files.flatMap((file) => readPolicies(file, readFileSync(join(dir, file), 'utf8'), issues));

  const seen = new Map<string, GuardrailPolicy>();
  for (const policy of policies) {
    const first = seen.get(policy.id);
    if (first !== undefined) issues.push(at(policy, `policy "${policy.id}": @id already used in ${first.file}`));
    else seen.set(policy.id, policy);
  }
  if (schema !== undefined && issues.length === 0) validateAgainst(schema, policies, issues);
  if (issues.length > 0) throw badInput(`Invalid guardrail policies in ${dir}: ${issues.map(formatIssue).join('; ')}`, issues);
  return new Guardrails(schema!, policies);
}

function readSchema(dir: string, issues: Issue[]): string | undefined {
  const path = join(dir, SCHEMA_FILE);
  if (!existsSync(path)) {
    issues.push({ path: SCHEMA_FILE, message: `missing from ${dir}` });
    return undefined;
  }
  const text = readFileSync(path, 'utf8');
  const parsed = checkParseSchema(text);
  if (parsed.type === 'success') return text;
  for (const error of parsed.errors) issues.push({ path: SCHEMA_FILE, line: lineAt(text, error), message: describe(error) });
  return undefined;
}

function readPolicies(file: string, text: string, issues: Issue[]): GuardrailPolicy[] {
  const parsed = checkParsePolicySet({ staticPolicies: text });
  if (parsed.type === 'failure') {
    for (const error of parsed.errors) issues.push({ path: file, line: lineAt(text, error), message: describe(error) });
    return [];
  }
  const parts = policySetTextToParts(text);
  if (parts.type === 'failure') {
    for (const error of parts.errors) issues.push({ path: file, line: lineAt(text, error), message: describe(error) });
    return [];
  }
  if (parts.policy_templates.length > 0) issues.push({ path: file, message: 'templates are not supported: write static policies' });
  return parts.policies.flatMap((policyText) => {
    const line = lineOf(text, Math.max(0, text.indexOf(policyText)));
    const json = policyToJson(policyText);
    if (json.type === 'failure') {
      issues.push({ path: file, line, message: json.errors.map(describe).join('; ') });
      return [];
    }
    const { effect, annotations = {} } = json.json;
    const id = annotations['id'];
    if (id === undefined || id === '') {
      issues.push({ path: file, line, message: `a ${effect} policy has no @id("…") annotation` });
      return [];
    }
    const outcomeName = annotations['outcome'];
    const outcome: PolicyOutcome = outcomeName === undefined ? (effect === 'permit' ? 'allow' : 'deny') : OUTCOMES[outcomeName] ?? 'deny';
    if (outcomeName !== undefined && (OUTCOMES[outcomeName] === undefined || effect !== 'forbid')) {
      issues.push({ path: file, line, message: `policy "${id}": @outcome("${outcomeName}") is allowed only as @outcome("needs-approval") on a forbid` });
    }
    return [{ id, file, line, effect, outcome, reason: annotations['reason'] ?? id, text: policyText }];
  });
}

function validateAgainst(schema: string, policies: readonly GuardrailPolicy[], issues: Issue[]): void {
  const answer = validate({
    schema,
    policies: { staticPolicies: Object.fromEntries(policies.map((p) => [p.id, p.text])) },
    validationSettings: { mode: 'strict' },
  });
  if (answer.type === 'failure') {
    for (const error of answer.errors) issues.push({ path: SCHEMA_FILE, message: describe(error) });
    return;
  }
  const byId = new Map(policies.map((p) => [p.id, p]));
  for (const { policyId, error } of answer.validationErrors) {
    const policy = byId.get(policyId);
    if (policy === undefined) issues.push({ path: '', message: `policy "${policyId}": ${describe(error)}` });
    else {
      // Cedar locates the error inside the policy's own text; the file line is the policy's line plus that.
      const within = lineAt(policy.text, error);
      const line = within === undefined ? policy.line : policy.line + within - 1;
      issues.push({ path: policy.file, line, message: `policy "${policyId}" does not validate against ${SCHEMA_FILE}: ${describe(error)}` });
    }
  }
}

function at(policy: GuardrailPolicy, message: string): Issue {
  return { path: policy.file, line: policy.line, message };
}

/** Cedar's message, with its help when it has one ("did you mean …"). */
function describe(error: DetailedError): string {
  return error.help ? `${error.message} (${error.help})` : error.message;
}

function lineAt(text: string, error: DetailedError): number | undefined {
  const offset = error.sourceLocations?.[0]?.start;
  return offset === undefined ? undefined : lineOf(text, offset);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
