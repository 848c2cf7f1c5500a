/**
 * `idgraph findings` and `idgraph report`: the posture findings (issue 8) as a readable table, one JSON
 * document, or a SARIF 2.1.0 log for code scanning, with an exit code for CI gates; and a Markdown report
 * per accountable owner with their findings, their worst blast radius and the fixes. Thin shells over
 * `runFindings` and `blastRadius`; every flag is checked before the store opens.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Table from 'cli-table3';
import type { Command } from 'commander';
import {
  FindingsInput,
  OWASP_ITEMS,
  RULE_IDS,
  SEVERITY_ORDER,
  atOrAbove,
  bySeverityThenId,
  postureSummary,
  runFindings,
  type Finding,
  type OwaspItem,
  type PathJson,
  type PostureSummary,
  type Remediation,
  type RuleId,
} from '../findings/index.js';
import { toSarif } from '../findings/sarif.js';
import { findingsSince, parseSince, type FindingsSince } from '../findings/since.js';
import { IdGraphError, badInput, type Issue } from '../model/errors.js';
import { DEFAULT_MAX_DEPTH, resolveQueryOptions } from '../model/query-options.js';
import { SEVERITIES, type Severity } from '../model/vocabulary.js';
import { blastRadius, type Adjacency, type BlastRadiusResult } from '../paths/index.js';
import { loadGuardrails } from '../policy/index.js';
import type { GraphStore } from '../store/port.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './main.js';
import { renderPath } from './render.js';

type WithStore = <T>(use: (store: GraphStore) => Promise<T>) => Promise<T>;

export interface FindingsCommandDeps {
  readonly withStore: WithStore;
  /** The projection over the store (a snapshot or a scan), as the query commands get it. */
  readonly projectionOf: (store: GraphStore) => Promise<Adjacency>;
}

export const FINDINGS_FORMATS = ['table', 'json', 'sarif'] as const;
export type FindingsFormat = (typeof FINDINGS_FORMATS)[number];

/** The default directory of `idgraph report`. */
export const DEFAULT_REPORT_DIR = 'idgraph-report';

interface FindingsFlags {
  readonly at?: string;
  readonly json?: boolean;
  readonly format?: string;
  readonly failOn?: string;
  readonly rule: string[];
  readonly owasp: string[];
  readonly since?: string;
}

/** The flags of `findings`, validated. */
interface FindingsRequest {
  readonly at: number;
  readonly format: FindingsFormat;
  readonly failOn: Severity | undefined;
  readonly rules: readonly RuleId[] | undefined;
  readonly owasp: readonly OwaspItem[] | undefined;
  /** `--since`, ms: compare with the findings this long before `at`. */
  readonly sinceMs: number | undefined;
}

/**
 * Registers `findings` and `report`.
 * @example addFindingsCommands(program, io, { withStore, projectionOf })
 */
export function addFindingsCommands(program: Command, io: CliIo, deps: FindingsCommandDeps): void {
  const now = io.now ?? (() => new Date());

  program
    .command('findings')
    .description('posture findings: the OWASP NHI Top 10 found in the graph, each with its path, owner and fix')
    .option('--at <time>', 'find as of this ISO-8601 time (default: now)')
    .option('--json', 'print one JSON document { at, summary, findings } (same as --format json)')
    .option('--format <format>', `output: ${FINDINGS_FORMATS.join(', ')} (default: table)`)
    .option('--fail-on <severity>', `exit 1 when a finding at or above this severity exists (${SEVERITY_ORDER.slice().reverse().join(', ')}; default: never)`)
    .option('--rule <id>', 'only this rule (repeatable, or comma-separated)', collect, [])
    .option('--owasp <item>', 'only this OWASP NHI Top 10 item, e.g. NHI1 (repeatable, or comma-separated)', collect, [])
    .option('--since <duration>', 'compare with the findings this long before --at (e.g. 30d, 12h): what is new, resolved and stayed')
    .action(async (flags: FindingsFlags) => {
      const request = parseFindingsFlags(flags, () => now().getTime());
      const keep = (list: readonly Finding[]): Finding[] => (request.owasp === undefined ? [...list] : list.filter((f) => f.owasp !== null && request.owasp?.includes(f.owasp)));
      if (request.sinceMs !== undefined) {
        const sinceMs = request.sinceMs;
        const { changes, labelOf } = await deps.withStore(async (store) => {
          const input = await FindingsInput.load(store, await deps.projectionOf(store), { at: request.at, guardrails: loadGuardrails() });
          return { changes: findingsSince(input, undefined, { at: request.at, sinceMs, rules: request.rules }), labelOf: (id: string) => input.node(id)?.label };
        });
        const diff: FindingsSince = { new: keep(changes.new), resolved: keep(changes.resolved), stayed: keep(changes.stayed) };
        const current = [...diff.new, ...diff.stayed].sort(bySeverityThenId);
        const from = new Date(request.at - sinceMs).toISOString();
        if (request.format === 'json') {
          io.stdout(`${JSON.stringify({ at: new Date(request.at).toISOString(), since: from, summary: postureSummary(current), new: diff.new, resolved: diff.resolved, stayed: diff.stayed }, null, 2)}\n`);
        } else if (request.format === 'sarif') {
          const states = new Map<string, 'new' | 'unchanged' | 'absent'>([
            ...diff.new.map((f) => [f.id, 'new'] as const),
            ...diff.stayed.map((f) => [f.id, 'unchanged'] as const),
            ...diff.resolved.map((f) => [f.id, 'absent'] as const),
          ]);
          io.stdout(`${JSON.stringify(toSarif([...current, ...diff.resolved], { at: request.at, labelOf, baselineStates: states }), null, 2)}\n`);
        } else io.stdout(renderChanges(diff, from, request.at));
        if (request.failOn !== undefined && current.some((f) => atOrAbove(f.severity, request.failOn!))) program.setOptionValue('exitCode', EXIT.NOT_FOUND);
        return;
      }
      const { findings, labelOf } = await deps.withStore(async (store) => findingsAt(store, await deps.projectionOf(store), request.at, request.rules));
      const shown = keep(findings);
      const summary = postureSummary(shown);
      if (request.format === 'json') io.stdout(`${JSON.stringify({ at: new Date(request.at).toISOString(), summary, findings: shown }, null, 2)}\n`);
      else if (request.format === 'sarif') io.stdout(`${JSON.stringify(toSarif(shown, { at: request.at, labelOf }), null, 2)}\n`);
      else io.stdout(renderFindings(shown, summary, request.at));
      if (request.failOn !== undefined && shown.some((f) => atOrAbove(f.severity, request.failOn!))) program.setOptionValue('exitCode', EXIT.NOT_FOUND);
    });

  program
    .command('report')
    .description('write a Markdown report per accountable owner: their findings, worst blast radius and fixes')
    .option('--out <dir>', `the directory to write to (default: ${DEFAULT_REPORT_DIR})`)
    .option('--at <time>', 'report as of this ISO-8601 time (default: now)')
    .action(async (flags: { out?: string; at?: string }) => {
      const { at } = resolveQueryOptions({ at: flags.at }, () => now().getTime());
      const dir = flags.out ?? DEFAULT_REPORT_DIR;
      if (dir.trim() === '') throw badInput('--out: must name a directory', [{ path: '--out', message: 'must name a directory, got ""' }]);
      const reports = await deps.withStore(async (store) => {
        const adj = await deps.projectionOf(store);
        const { findings } = await findingsAt(store, adj, at, undefined);
        return ownerReports(adj, findings, at);
      });
      try {
        mkdirSync(dir, { recursive: true });
        for (const report of reports) writeFileSync(join(dir, report.file), report.text);
      } catch (error) {
        throw new IdGraphError('BAD_USER_INPUT', `Cannot write the report to ${dir}: ${(error as Error).message}`, {
          issues: [{ path: '--out', message: `cannot write to ${JSON.stringify(dir)}: ${(error as Error).message}` }],
          cause: error,
        });
      }
      const total = reports.reduce((n, r) => n + r.count, 0);
      io.stdout(`Wrote ${reports.length} report${reports.length === 1 ? '' : 's'} (${total} finding${total === 1 ? '' : 's'}) at ${new Date(at).toISOString()}:\n`);
      for (const report of reports) io.stdout(`  ${join(dir, report.file)}  ${report.count} finding${report.count === 1 ? '' : 's'}\n`);
    });
}

/**
 * Every bad flag, reported at once, before the store opens.
 * @throws IdGraphError BAD_USER_INPUT whose issues name each bad flag.
 */
export function parseFindingsFlags(flags: FindingsFlags, now: () => number): FindingsRequest {
  const issues: Issue[] = [];
  let at = 0;
  try {
    at = resolveQueryOptions({ at: flags.at }, now).at;
  } catch (error) {
    if (!(error instanceof IdGraphError)) throw error;
    issues.push(...error.issues.map((i) => ({ ...i, path: i.path === 'at' ? '--at' : i.path })));
  }
  let format: FindingsFormat = flags.json === true ? 'json' : 'table';
  if (flags.format !== undefined) {
    const wanted = flags.format.toLowerCase();
    if (!(FINDINGS_FORMATS as readonly string[]).includes(wanted)) issues.push({ path: '--format', message: `must be one of ${FINDINGS_FORMATS.join(', ')}, got ${JSON.stringify(flags.format)}` });
    else if (flags.json === true && wanted !== 'json') issues.push({ path: '--json', message: `cannot be combined with --format ${wanted}` });
    else format = wanted as FindingsFormat;
  }
  let failOn: Severity | undefined;
  if (flags.failOn !== undefined) {
    const wanted = flags.failOn.toUpperCase();
    if ((SEVERITIES as readonly string[]).includes(wanted)) failOn = wanted as Severity;
    else issues.push({ path: '--fail-on', message: `must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(flags.failOn)}` });
  }
  const rules = splitList(flags.rule);
  for (const rule of rules) {
    if (!(RULE_IDS as readonly string[]).includes(rule)) issues.push({ path: '--rule', message: `unknown rule ${JSON.stringify(rule)}; expected one of ${RULE_IDS.join(', ')}` });
  }
  const owasp = splitList(flags.owasp).map((item) => item.toUpperCase());
  for (const item of owasp) {
    if (item === 'NHI6') issues.push({ path: '--owasp', message: 'NHI6 (insecure cloud deployment configurations) is not visible in an identity graph: no rule reports it' });
    else if (!(OWASP_ITEMS as readonly string[]).includes(item)) issues.push({ path: '--owasp', message: `must be one of ${OWASP_ITEMS.join(', ')}, got ${JSON.stringify(item)}` });
  }
  let sinceMs: number | undefined;
  if (flags.since !== undefined) {
    try {
      sinceMs = parseSince(flags.since);
    } catch (error) {
      if (!(error instanceof IdGraphError)) throw error;
      issues.push(...error.issues.map((i) => ({ ...i, path: '--since' })));
    }
  }
  if (issues.length > 0) throw badInput(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  return {
    sinceMs,
    at,
    format,
    failOn,
    rules: rules.length === 0 ? undefined : (rules as RuleId[]),
    owasp: owasp.length === 0 ? undefined : (owasp as OwaspItem[]),
  };
}

/** The readable answer: a heading that counts by severity, then one row per finding. */
export function renderFindings(findings: readonly Finding[], summary: PostureSummary, at: number): string {
  const counts = SEVERITY_ORDER.map((s) => `${summary.bySeverity[s]} ${s}`).join(', ');
  const heading = `${summary.total} finding${summary.total === 1 ? '' : 's'} at ${new Date(at).toISOString()}${summary.total === 0 ? '.' : `: ${counts}.`}`;
  return findings.length === 0 ? `${heading}\n` : `${heading}\n${findingsTable(findings)}\n`;
}

/** `--since`: what is new, what was resolved (as it was then) and what stayed, a table each. */
export function renderChanges(diff: FindingsSince, from: string, at: number): string {
  const lines = [`Since ${from}, at ${new Date(at).toISOString()}: ${diff.new.length} new, ${diff.resolved.length} resolved, ${diff.stayed.length} stayed.`];
  for (const [name, list] of [['New', diff.new], ['Resolved', diff.resolved], ['Stayed', diff.stayed]] as const) {
    lines.push('', `${name} (${list.length})${list.length === 0 ? '.' : ':'}`);
    if (list.length > 0) lines.push(findingsTable(list));
  }
  return `${lines.join('\n')}\n`;
}

function findingsTable(findings: readonly Finding[]): string {
  const t = new Table({
    head: ['Severity', 'OWASP', 'Rule', 'Subject', 'Owner', 'Fix'],
    wordWrap: true,
    colWidths: [null, null, null, 48, 24, 40],
    style: { head: [], border: [] },
  });
  for (const f of findings) {
    t.push([f.severity, f.owasp ?? '-', f.rule, `${f.subject.id}\n${f.title}`, ownerCell(f), fixCell(f.remediation)]);
  }
  return t.toString();
}

/**
 * A remediation as GraphQL mutation text, with its arguments (and `dryRun` when asked and taken).
 * @example mutationText(f.remediation, { dryRun: true }) // 'mutation {\n  retireIdentity(id: "sa:x", reason: "…", dryRun: true) { … }\n}'
 */
export function mutationText(remediation: Remediation, options: { dryRun?: boolean } = {}): string {
  const args = Object.entries(remediation.args).map(([name, value]) => `${name}: ${graphqlValue(value, name)}`);
  if (options.dryRun === true && remediation.dryRunnable) args.push('dryRun: true');
  return `mutation {\n  ${remediation.mutation}(${args.join(', ')}) ${SELECTIONS[remediation.mutation] ?? '{ __typename }'}\n}`;
}

interface OwnerReport {
  readonly file: string;
  readonly count: number;
  readonly text: string;
}

/** One Markdown report per accountable owner (and `unowned.md`), in owner id order. */
export function ownerReports(adj: Adjacency, findings: readonly Finding[], at: number): OwnerReport[] {
  const byOwner = new Map<string, Finding[]>([['', []]]);
  for (const f of findings) {
    const list = byOwner.get(f.owner.id);
    if (list === undefined) byOwner.set(f.owner.id, [f]);
    else list.push(f);
  }
  const used = new Set<string>();
  return [...byOwner.keys()].sort().map((ownerId) => {
    const own = byOwner.get(ownerId) ?? [];
    let file = ownerId === '' ? 'unowned.md' : `${sanitize(ownerId)}.md`;
    for (let n = 2; used.has(file); n++) file = `${sanitize(ownerId)}-${n}.md`;
    used.add(file);
    return { file, count: own.length, text: ownerMarkdown(adj, ownerId, own, at) };
  });
}

/** The store's records and the projection, read once, and every rule run over them. */
async function findingsAt(store: GraphStore, adj: Adjacency, at: number, rules: readonly RuleId[] | undefined) {
  const input = await FindingsInput.load(store, adj, { at, guardrails: loadGuardrails() });
  const findings = runFindings(input, undefined, { rules });
  return { findings, labelOf: (id: string) => input.node(id)?.label };
}

function ownerMarkdown(adj: Adjacency, ownerId: string, findings: readonly Finding[], at: number): string {
  const name = findings.find((f) => f.owner.name !== undefined)?.owner.name;
  const title = ownerId === '' ? 'Findings with no accountable owner' : `Findings for ${name === undefined ? ownerId : `${name} (${ownerId})`}`;
  const summary = postureSummary(findings);
  const lines = [`# ${title}`, '', `As of ${new Date(at).toISOString()}: ${summary.total} finding${summary.total === 1 ? '' : 's'}${summary.total === 0 ? '.' : ` (${SEVERITY_ORDER.map((s) => `${summary.bySeverity[s]} ${s}`).join(', ')}).`}`];
  if (ownerId === '' && findings.length > 0) lines.push('', 'Nobody is accountable for these subjects: give each an owner (an `OWNS` edge) first.');
  const notes = [...new Set(findings.map((f) => f.owner.note).filter((n): n is string => n !== undefined))];
  for (const note of notes) lines.push('', `> ${note}`);
  if (findings.length === 0) return `${lines.join('\n')}\n`;

  lines.push('', '## Worst blast radius', '', ...worstBlastRadius(adj, findings, at));
  lines.push('', '## Findings', '', '| Severity | OWASP | Rule | Subject | Finding |', '|---|---|---|---|---|');
  for (const f of findings) lines.push(`| ${f.severity} | ${f.owasp ?? '-'} | ${f.rule} | \`${f.subject.id}\` (${f.subject.label}) | ${cell(f.title)} |`);
  lines.push('', '## Fixes', '');
  findings.forEach((f, i) => {
    lines.push(`### ${i + 1}. ${f.severity}: ${f.title}`, '', `Finding \`${f.id}\`${f.owasp === null ? '' : ` (OWASP ${f.owasp}:2025)`}.`);
    if (f.evidence.path !== undefined && f.evidence.path.nodes.length > 1) lines.push('', `Evidence: \`${evidencePath(f.evidence.path)}\``);
    if (f.remediation.dryRunnable) {
      lines.push('', `Preview what \`${f.remediation.mutation}\` would end:`, '', '```graphql', mutationText(f.remediation, { dryRun: true }), '```');
      lines.push('', 'Then apply it:', '', '```graphql', mutationText(f.remediation), '```', '');
    } else {
      lines.push('', `Apply (\`${f.remediation.mutation}\` takes no \`dryRun\`: it acts at once):`, '', '```graphql', mutationText(f.remediation), '```', '');
    }
  });
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The subject whose compromise takes the most with it, among an owner's subjects in the projection. */
function worstBlastRadius(adj: Adjacency, findings: readonly Finding[], at: number): string[] {
  let worst: BlastRadiusResult | undefined;
  for (const id of [...new Set(findings.map((f) => f.subject.id))].sort()) {
    if (adj.indexOf(id) === undefined) continue;
    const result = blastRadius(adj, id, { at, maxDepth: DEFAULT_MAX_DEPTH });
    if (worst === undefined || result.summary.impact > worst.summary.impact || (result.summary.impact === worst.summary.impact && result.summary.total > worst.summary.total)) worst = result;
  }
  if (worst === undefined || worst.summary.total === 0) return ['None of these subjects reaches anything live.'];
  const byLabel = worst.summary.byLabel.map((c) => `${c.count} ${c.label}`).join(', ');
  const lines = [`If \`${worst.subject.id}\` (${worst.subject.label}) is compromised, ${worst.summary.total} node${worst.summary.total === 1 ? '' : 's'} fall with it (${byLabel}), impact ${worst.summary.impact}. The highest-impact of them:`, ''];
  for (const entry of worst.entries.slice(0, 5)) lines.push(`- \`${entry.target.id}\` (${entry.target.label}, impact ${entry.impact ?? 0}): \`${renderPath(entry.path)}\``);
  return lines;
}

const LIFECYCLE_SELECTION = '{ dryRun decision { outcome policyIds reasons } ended { kind id type from to key } sequence }';

/** What each fix returns worth reading, by the mutation's result type (schema/governance.graphql). */
const SELECTIONS: Readonly<Record<string, string>> = {
  revoke: '{ type from to id decision { outcome policyIds reasons } sequence }',
  revokeCredential: '{ credential { id } decision { outcome policyIds reasons } sequence }',
  rotateCredential: '{ credential { id } decision { outcome policyIds reasons } sequence }',
  retireIdentity: LIFECYCLE_SELECTION,
  retireService: LIFECYCLE_SELECTION,
  offboardVendor: LIFECYCLE_SELECTION,
  quarantine: LIFECYCLE_SELECTION,
  reassignOwner: LIFECYCLE_SELECTION,
};

/** A GraphQL literal; a grant's `type` is an enum value (GrantType), so it goes unquoted. */
function graphqlValue(value: unknown, name: string): string {
  if (name === 'type' && typeof value === 'string' && /^[A-Z_]+$/.test(value)) return value;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => graphqlValue(v, '')).join(', ')}]`;
  if (typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${graphqlValue(v, k)}`).join(', ')} }`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(String(value));
}

/** An evidence path as `a ─HAS_ROLE(local)→ b`, like `renderPath` does for engine paths. */
function evidencePath(path: PathJson): string {
  return [path.nodes[0] ?? '', ...path.steps.map((step, i) => `─${step.type}${step.origin === 'LOCAL' ? '(local)' : ''}→ ${path.nodes[i + 1] ?? step.to}`)].join(' ');
}

function ownerCell(f: Finding): string {
  if (f.owner.via === 'none') return '(none)';
  return f.owner.via === 'team' ? `${f.owner.id}\n(team stands in)` : f.owner.id;
}

/** `revokeCredential cred:x`, `revoke a ─HAS_ROLE→ b`, with a note when it can be previewed. */
function fixCell(r: Remediation): string {
  const args = r.args as Record<string, unknown>;
  const grant = args['grant'] as { type?: string; from?: string; to?: string } | undefined;
  const target =
    typeof args['id'] === 'string' ? args['id']
    : grant !== undefined ? `${grant.from ?? ''} ─${grant.type ?? ''}→ ${grant.to ?? ''}`
    : typeof args['from'] === 'string' ? `${args['from']} → ${String(args['to'])}`
    : '';
  return `${r.mutation} ${target}${r.dryRunnable ? '\n(dryRun first)' : ''}`.trim();
}


function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** An owner id as a file name: `team:payments` → `team-payments`. */
function sanitize(id: string): string {
  const name = id.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '').slice(0, 120);
  return name === '' || name === 'unowned' ? `owner-${name}` : name;
}

/** A Markdown table cell: no pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
