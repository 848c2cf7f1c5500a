/** loadGuardrails: the default set loads; a bad policy stops the load with its file, line, id and Cedar's error. */
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IdGraphError, type Issue } from '../../src/model/errors.js';
import { SCHEMA_FILE, defaultPolicyDir, loadGuardrails } from '../../src/policy/index.js';
import { guardrails } from './fixture.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the default policy folder with `files` written over it (null deletes a file). */
function policyDir(files: Record<string, string | null>): string {
  const dir = mkdtempSync(join(tmpdir(), 'idgraph-policy-'));
  dirs.push(dir);
  cpSync(defaultPolicyDir(), dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    if (text === null) rmSync(join(dir, name));
    else writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The issues of the BAD_USER_INPUT error that loading `dir` throws. */
function loadIssues(dir: string): Issue[] {
  try {
    loadGuardrails(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(IdGraphError);
    expect((error as IdGraphError).code).toBe('BAD_USER_INPUT');
    return [...(error as IdGraphError).issues];
  }
  throw new Error(`loading ${dir} did not fail`);
}

describe('loadGuardrails', () => {
  it('finds policy/ above the module and loads the default set, every policy with an id and a reason', () => {
    expect(readdirSync(defaultPolicyDir())).toContain(SCHEMA_FILE);
    const loaded = guardrails().policies;
    expect(loaded.map((p) => p.id).sort()).toEqual([
      'access-request-needs-approval', 'central-admin-acts', 'central-only', 'credential-must-expire', 'dev-never-prod',
      'grant-ttl-critical', 'grant-ttl-high', 'grant-ttl-low', 'grant-ttl-medium', 'grant-ttl-required',
      'high-grant-needs-approval', 'local-actor-own-service', 'local-credential-own-identity', 'local-definition-own-service',
      'owner-required', 'service-owner-acts-locally', 'vendor-never-critical',
    ]);
    expect(loaded.filter((p) => p.reason === p.id)).toEqual([]);
    expect(loaded.filter((p) => p.outcome === 'needs-approval').map((p) => p.id).sort()).toEqual(['access-request-needs-approval', 'high-grant-needs-approval']);
    expect(guardrails().policy('owner-required')).toMatchObject({ file: 'recipients.cedar', effect: 'forbid', outcome: 'deny' });
  });

  it('stops on a syntax error, naming the file and the line', () => {
    const issues = loadIssues(policyDir({ 'broken.cedar': '// a comment\n@id("broken")\nforbid (principal, action resource);\n' }));
    expect(issues).toEqual([{ path: 'broken.cedar', line: 3, message: expect.stringContaining('unexpected token `resource`') }]);
  });

  it('stops on a policy that does not validate against the schema, naming its id and Cedar’s error', () => {
    const text = '\n@id("no-such-attribute")\nforbid (principal, action == IdGraph::Action::"grant", resource)\nwhen { resource.colour == "red" };\n';
    const issues = loadIssues(policyDir({ 'typo.cedar': text }));
    expect(issues).toEqual([
      {
        path: 'typo.cedar',
        line: 4,
        message: expect.stringMatching(/^policy "no-such-attribute" does not validate against idgraph\.cedarschema: .*attribute `colour` on entity type `IdGraph::Grant` not found/),
      },
    ]);
  });

  it('puts the id, the file and Cedar’s message in the error message, for a server start to print', () => {
    const dir = policyDir({ 'typo.cedar': '@id("wrong-type")\nforbid (principal, action == IdGraph::Action::"grant", resource) when { resource.maxSensitivity == "HIGH" };' });
    expect(() => loadGuardrails(dir)).toThrow(/Invalid guardrail policies in .*: line 2: typo\.cedar: policy "wrong-type" does not validate/);
  });

  it('reports every problem at once: a missing id, a reused id and a bad outcome', () => {
    const issues = loadIssues(policyDir({
      'extra.cedar': [
        'permit (principal, action, resource);',
        '@id("central-only") forbid (principal, action, resource);',
        '@id("approve-it") @outcome("maybe") forbid (principal, action, resource);',
        '@id("permit-approval") @outcome("needs-approval") permit (principal, action, resource);',
      ].join('\n'),
    }));
    expect(issues.map((i) => [i.path, i.line, i.message])).toEqual(
      expect.arrayContaining([
        ['extra.cedar', 1, 'a permit policy has no @id("…") annotation'],
        ['extra.cedar', 2, 'policy "central-only": @id already used in access.cedar'],
        ['extra.cedar', 3, 'policy "approve-it": @outcome("maybe") is allowed only as @outcome("needs-approval") on a forbid'],
        ['extra.cedar', 4, 'policy "permit-approval": @outcome("needs-approval") is allowed only as @outcome("needs-approval") on a forbid'],
      ]),
    );
    expect(issues).toHaveLength(4);
  });

  it('stops on a missing or broken schema, and on a folder without policies', () => {
    expect(loadIssues(policyDir({ [SCHEMA_FILE]: null }))).toEqual([{ path: SCHEMA_FILE, message: expect.stringContaining('missing from') }]);
    const broken = loadIssues(policyDir({ [SCHEMA_FILE]: 'namespace IdGraph { entity Actor = { services: Set<Service> ' }));
    expect(broken[0]).toMatchObject({ path: SCHEMA_FILE, line: 1 });
    const empty = mkdtempSync(join(tmpdir(), 'idgraph-policy-'));
    dirs.push(empty);
    expect(loadIssues(empty).map((i) => i.message)).toEqual([expect.stringContaining('missing from'), 'no *.cedar policy files']);
  });
});
