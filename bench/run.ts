/**
 * `npm run bench`: the engine at enterprise scale, every figure next to a baseline measured in the same
 * run (the machine is shared and noisy; ratios travel better than milliseconds). For each size, in one
 * process: import of a generated estate into a fresh Kuzu store, projection build and memory, `reach`,
 * `whoCan` and `blastRadius` against a plain typed-array BFS on the same subjects, the same reach as one
 * recursive Cypher query, and the GraphQL API over HTTP, sequential and under concurrent load.
 *
 * Run: `npm run bench [-- --sizes 10k,100k,1m] [--runs 3] [--subjects 200] [--quick] [--json]`; also
 * `--cypher-subjects <n>`, `--connections <n>` and `--duration <seconds>` (of each HTTP load run).
 * With `--json` it prints one JSON document (`BenchReport`) and nothing else on stdout; progress goes to
 * stderr. It needs `node --expose-gc` (the npm script passes it) for the bytes-per-edge figure.
 */
import { formatSize, parseBenchOptions } from './bench-options.js';
import { measureSize, type SizeFigures } from './measure-size.js';
import { formatSizeReport, header, machine, type BenchReport } from './report.js';

const options = parseBenchOptions(process.argv.slice(2));
if (global.gc === undefined) throw new Error('Run the benchmark with node --expose-gc (npm run bench does)');
const head = { date: new Date().toISOString(), machine: machine(), options };
if (!options.json) console.log(header(head));
const sizes: SizeFigures[] = [];
for (const identities of options.sizes) {
  const started = Date.now();
  const figures = await measureSize(identities, options, (step) => process.stderr.write(`[bench ${formatSize(identities)}] ${step}\n`));
  process.stderr.write(`[bench ${formatSize(identities)}] done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  sizes.push(figures);
  if (!options.json) console.log(formatSizeReport(figures));
}
const report: BenchReport = { ...head, sizes };
if (options.json) console.log(JSON.stringify(report, null, 2));
