/**
 * The benchmark's output: one JSON document (`BenchReport`), or the same figures as readable tables with
 * the ratios spelled out (engine against its floor, Cypher against the engine, HTTP against `/livez`).
 */
import { cpus, platform, arch, totalmem } from 'node:os';
import { formatSize, type BenchOptions } from './bench-options.js';
import type { SizeFigures } from './measure-size.js';

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly node: string;
  readonly platform: string;
}

export interface BenchReport {
  readonly date: string;
  readonly machine: Machine;
  readonly options: BenchOptions;
  readonly sizes: readonly SizeFigures[];
}

/** This machine, for the header. */
export function machine(): Machine {
  const list = cpus();
  return { cpus: list.length, cpuModel: list[0]?.model.trim() ?? 'unknown', memoryBytes: totalmem(), node: process.version, platform: `${platform()} ${arch()}` };
}

/** The header lines: what ran where and when. */
export function header(report: Pick<BenchReport, 'date' | 'machine' | 'options'>): string {
  const m = report.machine;
  const o = report.options;
  return [
    `idgraph bench, ${report.date}`,
    `machine: ${m.cpus} × ${m.cpuModel}, ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB, ${m.platform}, node ${m.node}`,
    `sizes ${o.sizes.map(formatSize).join(', ')}; ${o.subjects} subjects; latencies are the median of ${o.runs} run(s)${o.quick ? ' (--quick)' : ''}`,
  ].join('\n');
}

/** One size's figures as tables and headline lines. */
export function formatSizeReport(s: SizeFigures): string {
  const e = s.engine;
  const p = s.projection;
  const c = s.cypher;
  const h = s.http;
  const lines: string[] = [];
  lines.push('', `── ${formatSize(s.identities)} identities: ${int(p.nodes)} nodes, ${int(p.edges)} edges ${'─'.repeat(30)}`);
  lines.push(`import       ${int(s.import.lines)} lines in ${sec(s.import.ms)}: ${int(s.import.linesPerSecond)} lines/s (${s.import.method})`);
  lines.push(`projection   build ${sec(p.buildMs)} (${int((p.buildMs * 1e6) / p.edges)} ns/edge); RSS after build ${mib(p.rssBytes)}; ${int(p.bytesPerEdge)} B/edge retained (typed arrays ${int(p.typedArrayBytes / p.edges)} B/edge)`);
  lines.push(`snapshot     ${mib(p.snapshotBytes)}: save ${sec(p.snapshotSaveMs)}, load ${sec(p.snapshotLoadMs)} (${times(p.buildMs / p.snapshotLoadMs)} faster than the build)`);
  lines.push('', `engine on ${e.subjects} identities (${e.humans} humans) and ${e.scopes} scopes; baseline = plain Int32Array CSR BFS, same edges and maxDepth, no time filter, no paths`);
  lines.push(table(
    ['query', 'p50 ms', 'p95 ms', 'p99 ms', '×base p50', '×base p95', '×base p99', 'base p95 ms', 'entries', 'base reached', 'hit maxDepth'],
    (['reach', 'whoCan', 'blastRadius'] as const).map((q) => {
      const f = e[q];
      return [q, ms(f.ms.p50), ms(f.ms.p95), ms(f.ms.p99), times(f.ratio.p50), times(f.ratio.p95), times(f.ratio.p99), ms(f.baselineMs.p95), f.meanEntries.toFixed(1), f.meanBaselineReached.toFixed(1), `${int(f.truncated)} of ${int(q === 'whoCan' ? e.scopes : e.subjects)}`];
    }),
  ));
  lines.push('', `recursive Cypher (${c.query}), ${c.subjects} of the identities`);
  lines.push(table(
    ['query', 'p50 ms', 'p95 ms', 'rows', 'engine p50 ms', 'engine p95 ms', '×engine p50', '×engine p95'],
    [['reach', ms(c.ms.p50), ms(c.ms.p95), c.meanRows.toFixed(1), ms(c.engineMs.p50), ms(c.engineMs.p95), times(c.ratio.p50), times(c.ratio.p95)]],
  ));
  lines.push('', `HTTP blastRadius, first page of 20 entries with names and paths (ids only: the same without store reads); server start incl. projection build ${sec(h.startMs)}`);
  const sq = h.sequential;
  const ld = h.load;
  lines.push(table(
    ['mode', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'note'],
    [
      ['sequential', int(sq.requests), '', ms(sq.ms.p50), ms(sq.ms.p95), ms(sq.ms.p99), int(sq.errors), `${times(sq.ms.p50 / sq.livezMs.p50)} /livez p50; ${sq.storeReadsPerRequest.toFixed(1)} store reads a request`],
      ['  ids only', int(sq.requests), '', ms(sq.idsOnlyMs.p50), ms(sq.idsOnlyMs.p95), ms(sq.idsOnlyMs.p99), '', `${times(sq.idsOnlyMs.p50 / sq.livezMs.p50)} /livez p50`],
      ['  /livez', int(sq.requests), '', ms(sq.livezMs.p50), ms(sq.livezMs.p95), ms(sq.livezMs.p99), '', 'the HTTP floor'],
      [`${ld.connections} clients`, int(ld.requests), int(ld.requestsPerSecond), ms(ld.ms.p50), ms(ld.ms.p95), ms(ld.ms.p99), int(ld.errors), loadNote(ld)],
    ],
  ));
  lines.push('');
  const faster = (ratio: number): string => `${times(ratio)} faster than Cypher`;
  lines.push(`  reach        p95 ${ms(e.reach.ms.p95)} ms  ${times(e.reach.ratio.p95)} baseline  ${faster(c.ratio.p95)}`);
  lines.push(`  whoCan       p95 ${ms(e.whoCan.ms.p95)} ms  ${times(e.whoCan.ratio.p95)} baseline`);
  lines.push(`  blastRadius  p95 ${ms(e.blastRadius.ms.p95)} ms  ${times(e.blastRadius.ratio.p95)} baseline; over HTTP p95 ${ms(sq.ms.p95)} ms, ${int(ld.requestsPerSecond)} req/s with ${ld.connections} clients, ${int(ld.errors)} errors`);
  return lines.join('\n');
}

function loadNote(load: SizeFigures['http']['load']): string {
  const kinds = [
    [load.non2xx, 'non-2xx'],
    [load.graphqlErrors, 'with GraphQL errors'],
    [load.socketErrors, 'socket errors'],
    [load.timeouts, `timeouts (client gives up at ${load.timeoutSeconds} s)`],
  ] as const;
  const errors = kinds.filter(([n]) => n > 0).map(([n, what]) => `${int(n)} ${what}`);
  const first = load.firstError === undefined ? '' : `; first: ${load.firstError.slice(0, 60)}`;
  return `${load.durationSeconds} s a run; server drained in ${sec(load.drainMs)} after${errors.length > 0 ? `; ${errors.join(', ')}` : ''}${first}`;
}

/** Figures right-aligned; the first column and a `note` column left-aligned. */
function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === 0 || head[i] === 'note' ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

function ms(x: number): string {
  if (x === 0) return '0';
  if (x < 0.01) return x.toFixed(4);
  if (x < 1) return x.toFixed(3);
  if (x < 100) return x.toFixed(2);
  return x.toFixed(0);
}

function times(ratio: number): string {
  return `×${ratio < 10 ? ratio.toFixed(1) : int(ratio)}`;
}

function int(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

function sec(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(milliseconds < 10_000 ? 2 : 1)} s`;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MiB`;
}

