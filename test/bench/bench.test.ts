/**
 * The benchmark runs: `npm run bench -- --quick --json` once, for real, in a child process. It proves the
 * harness works end to end (every section measured, the API answering under load without an error), not
 * how fast anything is: the figures depend on the machine.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const ERROR_COUNTS = new Set(['errors', 'non2xx', 'graphqlErrors', 'socketErrors', 'timeouts']);
/** Counts that may well be zero on a small estate. */
const MAY_BE_ZERO = new Set(['truncated']);

/** Every number in `value`, with its path. */
function numbers(value: unknown, path = ''): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => numbers(inner, path === '' ? key : `${path}.${key}`));
}

describe('npm run bench -- --quick --json', () => {
  let report: any;

  beforeAll(async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'bench', '--', '--quick', '--json'], {
      cwd: ROOT,
      maxBuffer: 16 * 2 ** 20,
      timeout: 170_000,
    });
    report = JSON.parse(stdout.slice(stdout.indexOf('{')));
  }, 180_000);

  it('says where and when it ran', () => {
    expect(Number.isNaN(Date.parse(report.date))).toBe(false);
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(report.machine.node).toBe(process.version);
  });

  it('measures one 10k estate, every section', () => {
    expect(report.sizes).toHaveLength(1);
    const size = report.sizes[0];
    expect(size.identities).toBe(10_000);
    for (const section of ['import', 'projection', 'engine', 'cypher', 'http']) expect(size[section], section).toBeTypeOf('object');
    for (const query of ['reach', 'whoCan', 'blastRadius']) {
      for (const figure of ['ms', 'baselineMs', 'ratio']) expect(Object.keys(size.engine[query][figure]), `${query}.${figure}`).toEqual(['p50', 'p95', 'p99']);
    }
    expect(size.cypher.query).toBe('bench/cypher/reach.cypher');
  });

  it('gives a positive figure everywhere, and zero errors over HTTP', () => {
    const found = numbers(report.sizes[0]);
    const errorCounts = found.filter(([path]) => ERROR_COUNTS.has(path.split('.').at(-1)!));
    const figures = found.filter(([path]) => !ERROR_COUNTS.has(path.split('.').at(-1)!) && !MAY_BE_ZERO.has(path.split('.').at(-1)!));
    expect(errorCounts.map(([path]) => path).sort()).toEqual([
      'http.load.errors',
      'http.load.graphqlErrors',
      'http.load.non2xx',
      'http.load.socketErrors',
      'http.load.timeouts',
      'http.sequential.errors',
    ]);
    expect(errorCounts.filter(([, n]) => n !== 0)).toEqual([]);
    expect(report.sizes[0].http.load.firstError).toBeUndefined();
    expect(figures.length).toBeGreaterThan(60);
    expect(figures.filter(([, n]) => !(n > 0 && Number.isFinite(n)))).toEqual([]);
    expect(report.sizes[0].http.load.requests).toBeGreaterThan(0);
  });
});
