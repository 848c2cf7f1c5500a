/**
 * Benchmarks: query latency on the demo estate and on a synthetic estate, projection build time and
 * memory. The machine is shared and noisy, so each latency is also given as a ratio against a baseline
 * measured in the same run: a plain BFS over every out-edge of the same projection from the same start,
 * with no liveness, paths or counting. Run: `npm run bench [-- --identities 200000]`.
 */
import { recordsOf } from '../src/model/interchange.js';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { resolveQueryOptions } from '../src/model/query-options.js';
import type { EdgeRecord, NodeRecord } from '../src/model/records.js';
import { blastRadius, reach, whoCan, type Adjacency } from '../src/paths/index.js';
import { Projection } from '../src/projection/projection.js';
import { demoEstate } from '../seed/demo-estate.js';
import { syntheticEstate } from '../seed/synthetic.js';

const { values } = parseArgs({ options: { identities: { type: 'string', default: '100000' }, runs: { type: 'string', default: '300' }, 'kuzu-identities': { type: 'string', default: '50000' } } });
const IDENTITIES = Number(values.identities);
const RUNS = Number(values.runs);
const ANCHOR = new Date('2026-11-23T00:00:00Z');
const options = resolveQueryOptions({ at: ANCHOR });

interface Timing {
  p50: number;
  p95: number;
}

function time(run: (i: number) => unknown, runs = RUNS): Timing {
  for (let i = 0; i < Math.min(20, runs); i++) run(i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run(i);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(runs * 0.5)]!, p95: samples[Math.floor(runs * 0.95)]! };
}

/** The baseline: reachability over every out-edge, nothing else. */
function plainBfs(adj: Adjacency, start: number): number {
  const seen = new Uint8Array(adj.nodeCount);
  const queue = [start];
  seen[start] = 1;
  for (let head = 0; head < queue.length; head++) {
    adj.forEachOut(queue[head]!, (e) => {
      const to = adj.edgeTo(e);
      if (seen[to] === 0) {
        seen[to] = 1;
        queue.push(to);
      }
    });
  }
  return queue.length;
}

function row(name: string, t: Timing, base: Timing): string {
  const ms = (x: number): string => x.toFixed(3).padStart(8);
  return `${name.padEnd(34)} p50 ${ms(t.p50)} ms  p95 ${ms(t.p95)} ms   ×${(t.p50 / base.p50).toFixed(1)} baseline p50`;
}

function report(title: string, adj: Adjacency, subjects: { credentials: string[]; scopes: string[] }): void {
  const creds = subjects.credentials.map((id) => adj.indexOf(id)!);
  const base = time((i) => plainBfs(adj, creds[i % creds.length]!));
  console.log(`\n${title}`);
  console.log(`${'baseline: plain BFS from a credential'.padEnd(34)} p50 ${base.p50.toFixed(3).padStart(8)} ms  p95 ${base.p95.toFixed(3).padStart(8)} ms`);
  console.log(row('reach <credential>', time((i) => reach(adj, subjects.credentials[i % creds.length]!, options)), base));
  console.log(row('blast-radius <credential>', time((i) => blastRadius(adj, subjects.credentials[i % creds.length]!, options)), base));
  console.log(row('who-can <scope>', time((i) => whoCan(adj, subjects.scopes[i % subjects.scopes.length]!, options), Math.min(RUNS, 50)), base));
}

function build(nodes: NodeRecord[], edges: EdgeRecord[]): { projection: Projection; ms: number; heapBytes: number } {
  global.gc?.();
  const used = (): number => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  const before = used();
  const start = performance.now();
  const projection = Projection.fromRecords(nodes, edges);
  const ms = performance.now() - start;
  global.gc?.();
  return { projection, ms, heapBytes: used() - before };
}

const demo = demoEstate(ANCHOR);
const { nodes: demoNodes, edges: demoEdges } = recordsOf(demo);
const demoBuilt = build(demoNodes, demoEdges);
report(`Demo estate: ${demoNodes.length} nodes, ${demoEdges.length} edges`, demoBuilt.projection, {
  credentials: ['cred:payments-ci-key'],
  scopes: ['scope:ledger:entries:write'],
});

const synthetic = syntheticEstate({ identities: IDENTITIES, anchor: ANCHOR });
const built = build(synthetic.nodes, synthetic.edges);
const stats = built.projection.stats();
console.log(`\nSynthetic estate: ${stats.nodes} nodes, ${stats.edges} edges`);
console.log(`  projection build from records: ${built.ms.toFixed(0)} ms (${((built.ms * 1e6) / stats.edges).toFixed(0)} ns/edge)`);
console.log(`  typed arrays: ${(stats.typedArrayBytes / 2 ** 20).toFixed(1)} MiB; heap + array buffers, id interning included: ${(built.heapBytes / 2 ** 20).toFixed(1)} MiB (${(built.heapBytes / stats.edges).toFixed(0)} B/edge)${global.gc ? '' : ' (run with --expose-gc for a steady figure)'}`);
const sample = (prefix: string, count: number, every: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${(i * every) % IDENTITIES}`);
report('Synthetic estate queries', built.projection, {
  credentials: sample('cred:', 200, 7919),
  scopes: Array.from({ length: 20 }, (_, i) => `scope:s${i}:x0`),
});

/** Build from the embedded store: the scan at open (write time is the bulk load through the port). */
async function kuzuBuild(identities: number): Promise<void> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { openKuzuStore } = await import('../src/store/kuzu/kuzu-store.js');
  const dir = mkdtempSync(join(tmpdir(), 'idgraph-bench-'));
  const store = await openKuzuStore({ dir });
  try {
    const estate = syntheticEstate({ identities, anchor: ANCHOR, seed: 7 });
    let start = performance.now();
    await store.write({ nodes: estate.nodes, edges: estate.edges, audit: { actor: 'bench', action: 'import' } });
    const writeMs = performance.now() - start;
    start = performance.now();
    const projection = await Projection.build(store);
    const buildMs = performance.now() - start;
    const { nodes, edges } = projection.stats();
    console.log(`\nKuzu store: ${nodes} nodes, ${edges} edges`);
    console.log(`  one atomic write through the port: ${writeMs.toFixed(0)} ms (${((writeMs * 1000) / (nodes + edges)).toFixed(1)} µs/record)`);
    console.log(`  projection build by scan at open: ${buildMs.toFixed(0)} ms (${((buildMs * 1e6) / edges).toFixed(0)} ns/edge, ×${(buildMs / ((built.ms * edges) / stats.edges)).toFixed(1)} the in-memory build per edge)`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await kuzuBuild(Number(values['kuzu-identities']));
