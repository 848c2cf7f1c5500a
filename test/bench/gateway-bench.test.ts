/**
 * The gateway benchmark runs: `npm run bench:gateway -- --quick --json` once, for real, in a child process.
 * It proves the harness measures what it says (both gateways answer every request, and only the enforcing
 * one withholds the protected field), not how fast anything is: the figures depend on the machine.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const QUICK_REQUESTS = 100;

/** Every number in `value`, with its path. */
function numbers(value: unknown, path = ''): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => numbers(inner, path === '' ? key : `${path}.${key}`));
}

describe('npm run bench:gateway -- --quick --json', () => {
  let report: any;
  const operation = (name: string): any => report.operations.find((o: { name: string }) => o.name === name);

  beforeAll(async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'bench:gateway', '--', '--quick', '--json'], {
      cwd: ROOT,
      maxBuffer: 16 * 2 ** 20,
      timeout: 55_000,
    });
    report = JSON.parse(stdout.slice(stdout.indexOf('{')));
  }, 60_000);

  it('says where and when it ran, and with how many requests', () => {
    expect(Number.isNaN(Date.parse(report.date))).toBe(false);
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(report.machine.node).toBe(process.version);
    expect(report.options).toEqual({ requests: QUICK_REQUESTS, warmup: 20, quick: true, json: true });
    expect(report.setup).toMatchObject({ estate: 'demo', mode: 'filter', sampleAllows: 0 });
  });

  it('measures the protected read, the public query and the refund on both gateways', () => {
    expect(report.operations.map((o: { name: string; subject: string }) => [o.name, o.subject])).toEqual([
      ['read', 'bot:dw-sync'],
      ['public', 'bot:dw-sync'],
      ['refund', 'agent:deploy-copilot'],
    ]);
    for (const op of report.operations) {
      for (const gateway of ['enforced', 'baseline']) {
        expect(Object.keys(op[gateway].ms), `${op.name}.${gateway}`).toEqual(['p50', 'p95', 'p99', 'mean']);
        expect(op[gateway].requests, `${op.name}.${gateway}`).toBe(QUICK_REQUESTS);
      }
      expect(Object.keys(op.overhead)).toEqual(['p50Ms', 'p95Ms', 'p99Ms', 'pairedMedianMs', 'ratio']);
    }
  });

  it('has both gateways answer every request without an error', () => {
    const failures = report.operations.flatMap((op: any) =>
      ['enforced', 'baseline'].map((gateway) => ({ at: `${op.name}.${gateway}`, http: op[gateway].httpErrors, graphql: op[gateway].unexpectedErrors, first: op[gateway].firstError })),
    );
    expect(failures.filter((f: { http: number; graphql: number }) => f.http + f.graphql > 0)).toEqual([]);
  });

  it('withholds Payment.cardLast4 from the bot on every enforced read, and nothing elsewhere', () => {
    const withheld = report.operations.map((op: any) => [op.name, op.enforced.forbidden, op.enforced.withheld, op.baseline.forbidden, op.baseline.withheld]);
    expect(withheld).toEqual([
      ['read', QUICK_REQUESTS, ['Payment.cardLast4'], 0, []],
      ['public', 0, [], 0, []],
      ['refund', 0, [], 0, []],
    ]);
  });

  it("counts one decision per enforced request that touches a protected field in the gateway's /metrics, none for the public one", () => {
    expect(report.operations.map((op: any) => [op.name, op.decisions.count])).toEqual([
      ['read', QUICK_REQUESTS],
      ['public', 0],
      ['refund', QUICK_REQUESTS],
    ]);
    const read = operation('read').decisions;
    expect(read.meanMs).toBeGreaterThan(0);
    expect(read.buckets.at(-1)).toEqual({ leMs: null, count: QUICK_REQUESTS });
  });

  it('gives a positive, finite latency for every percentile', () => {
    const latencies = report.operations.flatMap((op: any) => numbers({ enforced: op.enforced.ms, baseline: op.baseline.ms }, op.name));
    expect(latencies).toHaveLength(3 * 2 * 4);
    expect(latencies.filter(([, ms]: [string, number]) => !(ms > 0 && Number.isFinite(ms)))).toEqual([]);
    expect(report.runMs).toBeGreaterThan(0);
  });
});
