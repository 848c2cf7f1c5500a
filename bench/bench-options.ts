/**
 * The benchmark's command line: `--sizes 10k,100k,1m`, `--quick`, `--runs <n>`, `--subjects <n>`, `--json`.
 * `--quick` picks small defaults for everything (10k only, one run, short HTTP load: well under a minute);
 * a flag given explicitly wins over them. Every bad flag is reported, not the first.
 */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Estate sizes, in identities. */
  readonly sizes: readonly number[];
  readonly quick: boolean;
  /** Repeats of each latency section; the median of the repeats is reported. */
  readonly runs: number;
  /** Random subjects per engine query. */
  readonly subjects: number;
  readonly json: boolean;
  /** Subjects of the Cypher section (a prefix of the engine's), and its time budget per run. */
  readonly cypherSubjects: number;
  readonly cypherBudgetMs: number;
  /** Sequential HTTP requests per run, and the time budget that may cut them short. */
  readonly sequentialRequests: number;
  readonly sequentialBudgetMs: number;
  /** Concurrent HTTP clients, for how long each load run lasts, and when a client gives a request up. */
  readonly connections: number;
  readonly durationSeconds: number;
  readonly timeoutSeconds: number;
}

/** autocannon's default: a request unanswered after this long is an error (a user would have given up). */
const CLIENT_TIMEOUT_SECONDS = 10;

const FULL = { sizes: '10k,100k,1m', runs: 3, subjects: 200, cypherSubjects: 30, cypherBudgetMs: 20_000, sequentialRequests: 200, sequentialBudgetMs: 30_000, connections: 20, durationSeconds: 10 };
const QUICK = { sizes: '10k', runs: 1, subjects: 100, cypherSubjects: 10, cypherBudgetMs: 3_000, sequentialRequests: 50, sequentialBudgetMs: 5_000, connections: 10, durationSeconds: 5 };

/**
 * @throws Error naming every bad flag and the value it got.
 * @example parseBenchOptions(['--sizes', '10k,100k', '--json'])
 */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string' },
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      subjects: { type: 'string' },
      json: { type: 'boolean', default: false },
      'cypher-subjects': { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
    },
    strict: true,
  });
  const defaults = values.quick ? QUICK : FULL;
  const problems: string[] = [];
  const whole = wholeFlag(problems);
  const sizes = (values.sizes ?? defaults.sizes).split(',').map((text) => {
    const n = parseSize(text.trim());
    if (n === undefined) problems.push(`--sizes takes sizes such as 10k, 100k, 1m or 25000, got ${JSON.stringify(text)}`);
    return n ?? 0;
  });
  const options: BenchOptions = {
    sizes,
    quick: values.quick,
    runs: whole('runs', values.runs, defaults.runs, 1),
    subjects: whole('subjects', values.subjects, defaults.subjects, 1),
    json: values.json,
    cypherSubjects: whole('cypher-subjects', values['cypher-subjects'], defaults.cypherSubjects, 1),
    cypherBudgetMs: defaults.cypherBudgetMs,
    sequentialRequests: defaults.sequentialRequests,
    sequentialBudgetMs: defaults.sequentialBudgetMs,
    connections: whole('connections', values.connections, defaults.connections, 1),
    durationSeconds: whole('duration', values.duration, defaults.durationSeconds, 1),
    timeoutSeconds: CLIENT_TIMEOUT_SECONDS,
  };
  if (problems.length > 0) throw new Error(`Bad benchmark options: ${problems.join('; ')}`);
  return options;
}

/** `10k` → 10 000, `1m` → 1 000 000, `2500` → 2 500; undefined for anything else. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text);
  if (match === null) return undefined;
  const n = Number(match[1]) * (match[2]?.toLowerCase() === 'k' ? 1e3 : match[2]?.toLowerCase() === 'm' ? 1e6 : 1);
  return Number.isInteger(n) && n >= 10 ? n : undefined;
}

/** `10000` → `10k`, `1000000` → `1m`. */
export function formatSize(n: number): string {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}m`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

/**
 * Reads whole-number flags, collecting every problem in `problems` (the caller reports them together).
 * @example const whole = wholeFlag(problems); const runs = whole('runs', values.runs, 3, 1)
 */
export function wholeFlag(problems: string[]): (flag: string, given: string | undefined, fallback: number, min: number) => number {
  return (flag, given, fallback, min) => {
    if (given === undefined) return fallback;
    const n = /^\d+$/.test(given) ? Number(given) : NaN;
    if (!(n >= min)) problems.push(`--${flag} must be a whole number of at least ${min}, got ${JSON.stringify(given)}`);
    return n;
  };
}
