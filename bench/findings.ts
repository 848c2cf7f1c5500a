/**
 * `npm run bench:findings`: the time of a full posture-findings run (issue 8) at enterprise scale. For each
 * size, in one process: a synthetic enterprise (`seed/enterprise.ts`) imported into a fresh Kuzu store as
 * the main benchmark does, the projection built from it, then the run itself: `FindingsInput.load` (one
 * scan of every node and edge, indexed) and every rule over it, each timed, with its findings count, and
 * the process's RSS after each phase.
 *
 * The rules share the input's memoised `reach` per identity, so a rule that comes after another which
 * walked the same identities pays less: the per-rule times add up to the run, not to each rule alone.
 *
 * Run: `npm run bench:findings [-- --sizes 100k,1m] [--json]`. Progress goes to stderr; with `--json`
 * stdout holds one JSON document and nothing else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { DEFAULT_THRESHOLDS, FindingsInput, RULES, type RuleId } from '../src/findings/index.js';
import { EDGE_TYPES, NODE_LABELS } from '../src/model/vocabulary.js';
import { loadGuardrails } from '../src/policy/index.js';
import { Projection } from '../src/projection/projection.js';
import { openKuzuStore } from '../src/store/kuzu/kuzu-store.js';
import { formatSize, parseSize } from './bench-options.js';
import { writeEstateFile } from './estate.js';
import { importEstate, type ImportFigures } from './import-estate.js';
import { ANCHOR } from './measure-size.js';
import { machine } from './report.js';

export interface RuleFigures {
  readonly rule: RuleId;
  readonly ms: number;
  readonly findings: number;
}

export interface FindingsFigures {
  readonly identities: number;
  readonly lines: number;
  readonly import: ImportFigures;
  readonly projectionMs: number;
  /** `FindingsInput.load`: the scan of nodes and edges from the store, sorted and indexed. */
  readonly loadMs: number;
  readonly nodes: number;
  readonly edges: number;
  /** Every rule, in `RULES` order. */
  readonly rules: readonly RuleFigures[];
  readonly rulesMs: number;
  /** load + rules: what `idgraph findings` costs once the projection is up. */
  readonly runMs: number;
  readonly findings: number;
  /** Resident set size after each phase, and the process's peak, MiB. */
  readonly rssMiB: { readonly afterProjection: number; readonly afterLoad: number; readonly afterRules: number; readonly peak: number };
}

const MiB = 1024 * 1024;

const { values } = parseArgs({ args: process.argv.slice(2), options: { sizes: { type: 'string', default: '100k,1m' }, json: { type: 'boolean', default: false } }, strict: true });
const sizes = values.sizes.split(',').map((text) => {
  const n = parseSize(text.trim());
  if (n === undefined) throw new Error(`--sizes takes sizes such as 100k or 1m, got ${JSON.stringify(text)}`);
  return n;
});

const report = { date: new Date().toISOString(), machine: machine(), sizes: [] as FindingsFigures[] };
if (!values.json) console.log(`findings benchmark, ${report.date}, ${JSON.stringify(report.machine)}`);
for (const identities of sizes) {
  const figures = await measureFindings(identities, (step) => process.stderr.write(`[findings ${formatSize(identities)}] ${step}\n`));
  report.sizes.push(figures);
  if (!values.json) console.log(formatFigures(figures));
}
if (values.json) console.log(JSON.stringify(report, null, 2));

/** One size: generate, import, build the projection, then load the input and run every rule. */
async function measureFindings(identities: number, progress: (message: string) => void): Promise<FindingsFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'idgraph-bench-findings-'));
  try {
    progress('generating the estate');
    const estate = writeEstateFile(join(dir, 'estate.ndjson'), identities, ANCHOR);
    const store = await openKuzuStore({ dir: join(dir, 'store') });
    try {
      progress(`importing ${estate.lines} lines`);
      const imported = await importEstate(store, estate.file);
      progress(`imported in ${(imported.ms / 1000).toFixed(1)} s; building the projection`);
      let start = performance.now();
      const projection = await Projection.build(store);
      const projectionMs = performance.now() - start;
      const afterProjection = rss();

      progress('loading the findings input');
      const guardrails = loadGuardrails();
      start = performance.now();
      const input = await FindingsInput.load(store, projection, { at: ANCHOR.getTime(), guardrails });
      const loadMs = performance.now() - start;
      const afterLoad = rss();
      progress(`loaded in ${(loadMs / 1000).toFixed(1)} s, RSS ${afterLoad} MiB`);

      const rules: RuleFigures[] = [];
      for (const rule of RULES) {
        start = performance.now();
        const found = rule.run(input, DEFAULT_THRESHOLDS);
        rules.push({ rule: rule.id, ms: performance.now() - start, findings: found.length });
        progress(`rule ${rule.id}: ${(performance.now() - start).toFixed(0)} ms, ${found.length} findings, RSS ${rss()} MiB`);
      }
      const rulesMs = rules.reduce((sum, r) => sum + r.ms, 0);
      const counted = countRecords(input);
      return {
        identities,
        lines: estate.lines,
        import: imported,
        projectionMs,
        loadMs,
        nodes: counted.nodes,
        edges: counted.edges,
        rules,
        rulesMs,
        runMs: loadMs + rulesMs,
        findings: rules.reduce((sum, r) => sum + r.findings, 0),
        rssMiB: { afterProjection, afterLoad, afterRules: rss(), peak: Math.round(process.resourceUsage().maxRSS / 1024) },
      };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function countRecords(input: FindingsInput): { nodes: number; edges: number } {
  return { nodes: NODE_LABELS.reduce((n, l) => n + input.nodesOf(l).length, 0), edges: EDGE_TYPES.reduce((n, t) => n + input.edgesOf(t).length, 0) };
}

function rss(): number {
  return Math.round(process.memoryUsage().rss / MiB);
}

function formatFigures(f: FindingsFigures): string {
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const lines = [
    `\n## ${formatSize(f.identities)} identities (${f.nodes} nodes, ${f.edges} edges; ${f.lines} lines)`,
    `import ${s(f.import.ms)} · projection ${s(f.projectionMs)}`,
    `full findings run ${s(f.runMs)} = load ${s(f.loadMs)} + rules ${s(f.rulesMs)} · ${f.findings} findings`,
    `RSS MiB: after projection ${f.rssMiB.afterProjection}, after load ${f.rssMiB.afterLoad}, after rules ${f.rssMiB.afterRules}, peak ${f.rssMiB.peak}`,
    '',
    '| rule | ms | findings |',
    '|---|---:|---:|',
    ...f.rules.map((r) => `| ${r.rule} | ${r.ms.toFixed(0)} | ${r.findings} |`),
  ];
  return lines.join('\n');
}
