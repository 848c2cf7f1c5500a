/**
 * `npm run bench:gateway`: what enforcing `@requiresScopes` / `@authenticated` from the identity graph
 * costs a request through `idgraph gateway` (issue 7). Two gateways run in this process over the same
 * Kuzu store (seeded with the demo estate) and the same example subgraphs: A enforces (and serves the
 * identity subgraph), B is the same gateway with `enforce: false`. Each operation is sent to A and B
 * alternately, request by request (the order flips every pair), sequentially over keep-alive HTTP, after a
 * warm-up; the overhead is A against B measured in the same run (the machine is shared and noisy).
 *
 * Operations: a read of protected fields as `bot:dw-sync` (one field withheld, so every enforced request
 * is a denial, written to the audit log off the request's path), a public-only query (enforcement finds
 * nothing protected and steps aside), and a refund as `agent:deploy-copilot` (allowed via delegation).
 * Every response is checked: the enforced read must withhold `Payment.cardLast4`, the baseline nothing,
 * and no request may fail otherwise; the counts are in the report. The decision latency histogram comes
 * from A's `/metrics` (every decision of an operation that touches a protected field).
 *
 * Run: `npm run bench:gateway [-- --requests N] [--warmup N] [--quick] [--json]` (N per gateway per
 * operation; default 2000, `--quick` 100). Progress goes to stderr; with `--json` stdout holds one JSON
 * document (`GatewayBenchReport`) and nothing else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { startInventorySubgraph } from '../examples/company/inventory-subgraph.js';
import { startPaymentsSubgraph } from '../examples/company/payments-subgraph.js';
import type { RunningSubgraph } from '../examples/company/start-subgraph.js';
import { demoEstate } from '../seed/demo-estate.js';
import { mintLocalToken } from '../src/auth/index.js';
import { openStore } from '../src/cli/open-store.js';
import { loadConfig } from '../src/config/config.js';
import type { EnforcementMode, GatewayConfig } from '../src/config/gateway-config.js';
import { importLines } from '../src/interchange/import.js';
import { formatLine } from '../src/model/interchange.js';
import { createLogger } from '../src/server/logger.js';
import { startGateway, type RunningGateway } from '../src/server/start-gateway.js';
import type { GraphStore } from '../src/store/port.js';
import { wholeFlag } from './bench-options.js';
import { median, percentiles, type Percentiles } from './percentiles.js';
import { machine, type Machine } from './report.js';

// @apollo/gateway would otherwise report usage to Apollo's servers; read when a gateway is constructed.
process.env['APOLLO_TELEMETRY_DISABLED'] = 'true';

export interface GatewayBenchOptions {
  /** Measured requests per gateway per operation. */
  readonly requests: number;
  /** Unmeasured A/B pairs first, per operation. */
  readonly warmup: number;
  readonly quick: boolean;
  readonly json: boolean;
}

export interface SideFigures {
  readonly requests: number;
  readonly ms: Percentiles & { readonly mean: number };
  /** Non-200 answers and failed fetches. */
  readonly httpErrors: number;
  /** Answers without data, or with a GraphQL error other than FORBIDDEN. */
  readonly unexpectedErrors: number;
  readonly firstError: string | undefined;
  /** Answers with at least one FORBIDDEN error, and the coordinates they withheld. */
  readonly forbidden: number;
  readonly withheld: readonly string[];
}

export interface DecisionFigures {
  /** Decisions recorded by A's metrics during the measured requests (warm-up excluded). */
  readonly count: number;
  readonly meanMs: number | undefined;
  /** Upper bounds of the buckets that hold the median and the 95th percentile. */
  readonly p50UpToMs: number | undefined;
  readonly p95UpToMs: number | undefined;
  /** Cumulative, as Prometheus gives them; `leMs: null` is +Inf. */
  readonly buckets: readonly { readonly leMs: number | null; readonly count: number }[];
}

export interface OperationFigures {
  readonly name: string;
  readonly subject: string;
  readonly query: string;
  readonly enforced: SideFigures;
  readonly baseline: SideFigures;
  readonly overhead: {
    readonly p50Ms: number;
    readonly p95Ms: number;
    readonly p99Ms: number;
    /** The median of the per-pair differences (enforced − baseline of the same pair). */
    readonly pairedMedianMs: number;
    readonly ratio: Percentiles;
  };
  readonly decisions: DecisionFigures;
}

export interface GatewayBenchReport {
  readonly date: string;
  readonly machine: Machine;
  readonly options: GatewayBenchOptions;
  readonly setup: { readonly estate: 'demo'; readonly mode: EnforcementMode; readonly sampleAllows: number; readonly startMs: number };
  readonly operations: readonly OperationFigures[];
  readonly runMs: number;
}

interface Operation {
  readonly name: string;
  readonly subject: string;
  readonly query: string;
}

/** A refund takes 1 cent of pay_1003 (56 000) per request: at most 56 000 refunds in a run. */
const REFUND_BUDGET_PAIRS = 28_000;
const OPERATIONS: readonly Operation[] = [
  { name: 'read', subject: 'bot:dw-sync', query: '{ payments(first: 5) { id amount cardLast4 fee } }' },
  { name: 'public', subject: 'bot:dw-sync', query: '{ supportedCurrencies }' },
  { name: 'refund', subject: 'agent:deploy-copilot', query: 'mutation { refund(paymentId: "pay_1003", amount: 1) { id amount } }' },
];
const DECISION_HISTOGRAM = 'idgraph_gateway_decision_duration_seconds';

const started = performance.now();
const options = parseOptions(process.argv.slice(2));
const progress = (line: string): void => void process.stderr.write(`[bench gateway] ${line}\n`);
const dir = mkdtempSync(join(tmpdir(), 'idgraph-bench-gateway-'));
const logger = createLogger('warn', process.stderr);
const subgraphs: RunningSubgraph[] = [];
const gateways: RunningGateway[] = [];
let store: GraphStore | undefined;
try {
  const config = loadConfig({ store: `kuzu:${dir}`, port: '0' }, {});
  store = await openStore(config.store);
  await importLines(store, demoEstate(new Date()).map(formatLine), { source: 'demo estate', action: 'seed', actor: 'bench' });
  subgraphs.push(await startPaymentsSubgraph({ host: '127.0.0.1', port: 0 }), await startInventorySubgraph({ host: '127.0.0.1', port: 0 }));
  const settings: GatewayConfig = {
    file: '(bench/gateway.ts)',
    listen: { host: '127.0.0.1', port: 0 },
    mode: 'filter',
    enforce: true,
    identity: { port: 0 },
    subgraphs: [
      { name: 'payments', url: subgraphs[0]!.url },
      { name: 'inventory', url: subgraphs[1]!.url },
    ],
    supergraph: undefined,
    audit: { sampleAllows: 0 },
    forwardAuthorization: true,
    explainHeader: 'x-idgraph-explain',
    maxDepth: 16,
  };
  const startAt = performance.now();
  const enforced = await startGateway({ config, gateway: settings, store, logger });
  gateways.push(enforced);
  // Kuzu opens once per process: B reads the same store object, and builds its own projection from it.
  const baseline = await startGateway({ config, gateway: { ...settings, enforce: false, identity: { url: enforced.identityUrl } }, store, logger });
  gateways.push(baseline);
  const startMs = performance.now() - startAt;
  progress(`gateways up in ${(startMs / 1000).toFixed(2)} s: enforced ${enforced.url}, baseline ${baseline.url}; ${options.requests} requests per gateway per operation after ${options.warmup} warm-up pairs`);

  const tokens = new Map<string, string>();
  for (const subject of new Set(OPERATIONS.map((o) => o.subject))) tokens.set(subject, (await mintLocalToken({ dir, subject, roles: ['analyst'] })).token);
  const metricsToken = tokens.get('bot:dw-sync')!;

  const operations: OperationFigures[] = [];
  for (const operation of OPERATIONS) {
    const post = (url: string) => () =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(operation.subject)!}` }, body: JSON.stringify({ query: operation.query }) });
    const sides = { enforced: side(post(enforced.url)), baseline: side(post(baseline.url)) };
    await alternate(sides, options.warmup, false);
    const before = await scrape(enforced, metricsToken);
    await alternate(sides, options.requests, true, (done) => progress(`${operation.name}: ${done} of ${options.requests} pairs`));
    const after = await scrape(enforced, metricsToken);
    const e = sides.enforced.figures();
    const b = sides.baseline.figures();
    const pairs = sides.enforced.samples.slice(0, sides.baseline.samples.length).map((ms, i) => ms - sides.baseline.samples[i]!);
    operations.push({
      ...operation,
      enforced: e,
      baseline: b,
      overhead: {
        p50Ms: e.ms.p50 - b.ms.p50,
        p95Ms: e.ms.p95 - b.ms.p95,
        p99Ms: e.ms.p99 - b.ms.p99,
        pairedMedianMs: median(pairs),
        ratio: { p50: e.ms.p50 / b.ms.p50, p95: e.ms.p95 / b.ms.p95, p99: e.ms.p99 / b.ms.p99 },
      },
      decisions: decisionFigures(before, after),
    });
  }
  const report: GatewayBenchReport = {
    date: new Date().toISOString(),
    machine: machine(),
    options,
    setup: { estate: 'demo', mode: settings.mode, sampleAllows: settings.audit.sampleAllows, startMs },
    operations,
    runMs: performance.now() - started,
  };
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else console.log(format(report));
} finally {
  for (const gateway of gateways.reverse()) await gateway.close();
  for (const subgraph of subgraphs) await subgraph.stop();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
  progress(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

interface Side {
  /** Latencies of the measured requests, in the order sent. */
  readonly samples: number[];
  send(measured: boolean): Promise<void>;
  figures(): SideFigures;
}

/** One gateway's requests of one operation: latencies of the measured ones, and what came back. */
function side(request: () => Promise<Response>): Side {
  const samples: number[] = [];
  const withheld = new Set<string>();
  const counts = { sent: 0, httpErrors: 0, unexpectedErrors: 0, forbidden: 0 };
  let firstError: string | undefined;
  const fail = (kind: 'httpErrors' | 'unexpectedErrors', message: string): void => {
    counts[kind]++;
    firstError ??= message;
  };
  return {
    samples,
    async send(measured) {
      if (measured) counts.sent++;
      const start = performance.now();
      let status: number;
      let text: string;
      try {
        const response = await request();
        text = await response.text();
        status = response.status;
      } catch (error) {
        if (measured) fail('httpErrors', (error as Error).message);
        return;
      }
      const ms = performance.now() - start;
      if (!measured) return;
      samples.push(ms);
      if (status !== 200) return fail('httpErrors', `HTTP ${status}: ${text.slice(0, 200)}`);
      let body: { data?: unknown; errors?: { message: string; extensions?: { code?: string; coordinate?: string } }[] };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        return fail('unexpectedErrors', `not JSON: ${text.slice(0, 200)}`);
      }
      const errors = body.errors ?? [];
      const forbidden = errors.filter((e) => e.extensions?.code === 'FORBIDDEN');
      if (forbidden.length > 0) counts.forbidden++;
      for (const e of forbidden) withheld.add(e.extensions?.coordinate ?? '(no coordinate)');
      const other = errors.find((e) => e.extensions?.code !== 'FORBIDDEN');
      if (body.data === undefined || body.data === null || other !== undefined) {
        fail('unexpectedErrors', other === undefined ? `no data: ${text.slice(0, 200)}` : `${other.extensions?.code}: ${other.message}`);
      }
    },
    figures() {
      return {
        requests: counts.sent,
        ms: { ...percentiles(samples), mean: samples.reduce((sum, ms) => sum + ms, 0) / samples.length },
        httpErrors: counts.httpErrors,
        unexpectedErrors: counts.unexpectedErrors,
        firstError,
        forbidden: counts.forbidden,
        withheld: [...withheld].sort(),
      };
    },
  };
}

/** `count` pairs, A then B on even pairs and B then A on odd ones, so neither always goes first. */
async function alternate(sides: { enforced: Side; baseline: Side }, count: number, measured: boolean, report?: (done: number) => void): Promise<void> {
  const step = Math.max(1, Math.ceil(count / 4));
  for (let i = 0; i < count; i++) {
    const [first, second] = i % 2 === 0 ? [sides.enforced, sides.baseline] : [sides.baseline, sides.enforced];
    await first.send(measured);
    await second.send(measured);
    if ((i + 1) % step === 0 || i + 1 === count) report?.(i + 1);
  }
}

interface Scraped {
  /** Cumulative counts by upper bound in seconds (Infinity for +Inf). */
  readonly buckets: Map<number, number>;
  readonly sum: number;
  readonly count: number;
}

/** The decision histogram, from the gateway's Prometheus text at `/metrics`. */
async function scrape(gateway: RunningGateway, token: string): Promise<Scraped> {
  const response = await fetch(gateway.url.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}: ${text.slice(0, 200)}`);
  const buckets = new Map<number, number>();
  let sum = 0;
  let count = 0;
  const bucketLine = new RegExp(`^${DECISION_HISTOGRAM}_bucket\\{le="([^"]+)"\\} (\\S+)$`);
  for (const line of text.split('\n')) {
    const bucket = bucketLine.exec(line);
    if (bucket !== null) buckets.set(bucket[1] === '+Inf' ? Infinity : Number(bucket[1]), Number(bucket[2]));
    else if (line.startsWith(`${DECISION_HISTOGRAM}_sum `)) sum = Number(line.split(' ')[1]);
    else if (line.startsWith(`${DECISION_HISTOGRAM}_count `)) count = Number(line.split(' ')[1]);
  }
  return { buckets, sum, count };
}

/** The decisions recorded between two scrapes. */
function decisionFigures(before: Scraped, after: Scraped): DecisionFigures {
  const count = after.count - before.count;
  const buckets = [...after.buckets].sort(([a], [b]) => a - b).map(([le, n]) => ({ le, count: n - (before.buckets.get(le) ?? 0) }));
  const upTo = (p: number): number | undefined => {
    if (count === 0) return undefined;
    const le = buckets.find((b) => b.count >= Math.ceil(p * count))!.le;
    return Number.isFinite(le) ? le * 1000 : undefined;
  };
  return {
    count,
    meanMs: count === 0 ? undefined : ((after.sum - before.sum) / count) * 1000,
    p50UpToMs: upTo(0.5),
    p95UpToMs: upTo(0.95),
    buckets: buckets.map(({ le, count: n }) => ({ leMs: Number.isFinite(le) ? le * 1000 : null, count: n })),
  };
}

/** @throws Error naming every bad flag and the value it got. */
function parseOptions(argv: readonly string[]): GatewayBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { requests: { type: 'string' }, warmup: { type: 'string' }, quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  const problems: string[] = [];
  const whole = wholeFlag(problems);
  const requests = whole('requests', values.requests, values.quick ? 100 : 2000, 1);
  const warmup = whole('warmup', values.warmup, values.quick ? 20 : 200, 0);
  if (requests + warmup > REFUND_BUDGET_PAIRS) problems.push(`--requests plus --warmup must be at most ${REFUND_BUDGET_PAIRS} (each pair refunds 2 of pay_1003's 56000 cents), got ${requests + warmup}`);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return { requests, warmup, quick: values.quick, json: values.json };
}

/** The report as a table per operation, the overhead spelled out. */
function format(report: GatewayBenchReport): string {
  const m = report.machine;
  const o = report.options;
  const lines = [
    `idgraph gateway bench, ${report.date}`,
    `machine: ${m.cpus} × ${m.cpuModel}, ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB, ${m.platform}, node ${m.node}`,
    `demo estate, mode ${report.setup.mode}; enforced gateway (A) against the same gateway with enforce: false (B), same store and subgraphs, one process;`,
    `${o.requests} sequential keep-alive requests per gateway per operation, A and B alternating, after ${o.warmup} warm-up pairs${o.quick ? ' (--quick)' : ''}; both gateways up in ${(report.setup.startMs / 1000).toFixed(2)} s`,
  ];
  for (const op of report.operations) {
    const { enforced: e, baseline: b, overhead: d, decisions } = op;
    lines.push('', `── ${op.name} as ${op.subject}: ${op.query}`);
    const row = (name: string, s: SideFigures): string[] => [name, ms(s.ms.p50), ms(s.ms.p95), ms(s.ms.p99), ms(s.ms.mean), String(s.forbidden), s.withheld.join(', ') || '-', String(s.httpErrors + s.unexpectedErrors)];
    lines.push(
      table(
        ['gateway', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms', 'FORBIDDEN', 'withheld', 'errors'],
        [
          row('enforced', e),
          row('baseline', b),
          ['overhead', signed(d.p50Ms), signed(d.p95Ms), signed(d.p99Ms), signed(e.ms.mean - b.ms.mean), '', `paired median ${signed(d.pairedMedianMs)} ms`, ''],
          ['ratio', times(d.ratio.p50), times(d.ratio.p95), times(d.ratio.p99), times(e.ms.mean / b.ms.mean), '', '', ''],
        ],
      ),
    );
    if (e.firstError !== undefined || b.firstError !== undefined) lines.push(`  first error: ${e.firstError ?? b.firstError}`);
    lines.push(
      decisions.count === 0
        ? '  decisions recorded: none (no protected field touched)'
        : `  decisions recorded (A's /metrics): ${decisions.count}, mean ${ms(decisions.meanMs!)} ms; p50 ≤ ${decisions.p50UpToMs ?? '> 100'} ms, p95 ≤ ${decisions.p95UpToMs ?? '> 100'} ms (histogram buckets)`,
    );
  }
  lines.push('', `run ${(report.runMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => (i === 0 || head[i] === 'withheld' ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

function ms(x: number): string {
  return x.toFixed(Math.abs(x) < 1 ? 3 : 2);
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${ms(Math.abs(x))}`;
}

function times(ratio: number): string {
  return `×${ratio.toFixed(2)}`;
}
