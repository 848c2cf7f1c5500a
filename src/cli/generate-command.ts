/**
 * `idgraph generate`: streams a synthetic enterprise (`seed/enterprise.ts`) as interchange NDJSON, to a
 * file or standard output, in constant memory at any size. It never opens the store: pipe it into
 * `idgraph import -`, or write a file to import later.
 */
import type { Command } from 'commander';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IdGraphError, type Issue } from '../model/errors.js';
import { DEFAULT_ENTERPRISE_SEED, MAX_ENTERPRISE_IDENTITIES, enterpriseLines } from '../../seed/enterprise.js';
import type { CliIo } from './main.js';

interface GenerateFlags {
  readonly identities: string;
  readonly seed?: string;
  readonly out?: string;
}

interface Counts {
  lines: number;
  nodes: number;
}

/** Lines are written in chunks of this many: one write per line would cost more than generating it. */
const LINES_PER_CHUNK = 1024;

/**
 * Registers `generate` on the program. Bad flags exit 2 with one line per problem, before anything is
 * written. Output streams with backpressure, to a file or to standard output (see `stdoutSink`).
 * @example addGenerateCommand(program, io)
 */
export function addGenerateCommand(program: Command, io: CliIo): void {
  program
    .command('generate')
    .description('stream a synthetic enterprise (humans, NHIs, credentials, services, roles, grants) as NDJSON')
    .requiredOption('--identities <n>', `how many identities, 1 to ${MAX_ENTERPRISE_IDENTITIES.toLocaleString('en-US')} (every other count follows)`)
    .option('--seed <n>', `the random seed, a whole number (default ${DEFAULT_ENTERPRISE_SEED}); the same seed gives the same bytes`)
    .option('--out <file>', 'write to this file, or - for standard output (default)')
    .action(async (flags: GenerateFlags) => {
      const { identities, seed } = getValidGenerateFlags(flags);
      const toFile = flags.out !== undefined && flags.out !== '-';
      const counts: Counts = { lines: 0, nodes: 0 };
      const started = performance.now();
      const chunks = Readable.from(chunked(enterpriseLines({ identities, seed }), counts));
      if (!toFile) {
        await toStdout(chunks, io);
        return;
      }
      const file = flags.out!;
      try {
        await pipeline(chunks, createWriteStream(file));
      } catch (error) {
        // Only a failure of the file system is bad input; anything else is a bug, reported as one.
        if ((error as NodeJS.ErrnoException).syscall === undefined) throw error;
        throw new IdGraphError('BAD_USER_INPUT', `Cannot write ${file}: ${(error as Error).message}`, { cause: error });
      }
      const seconds = (performance.now() - started) / 1000;
      const rate = Math.round(counts.lines / Math.max(seconds, 0.001));
      io.stderr(
        `Generated ${identities} identities into ${file}: ${counts.lines} lines (${counts.nodes} nodes, ${counts.lines - counts.nodes} edges) in ${seconds.toFixed(1)} s, ${rate} lines/s.\n`,
      );
    });
}

/**
 * The numbers of the flags, every problem reported at once, each naming its flag.
 * @throws IdGraphError BAD_USER_INPUT
 */
export function getValidGenerateFlags(flags: Pick<GenerateFlags, 'identities' | 'seed'>): { identities: number; seed: number } {
  const issues: Issue[] = [];
  const identities = wholeNumber(flags.identities, 1, MAX_ENTERPRISE_IDENTITIES, '--identities', issues);
  const seed = flags.seed === undefined ? DEFAULT_ENTERPRISE_SEED : wholeNumber(flags.seed, 0, 0xffffffff, '--seed', issues);
  if (issues.length > 0) throw new IdGraphError('BAD_USER_INPUT', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  return { identities, seed };
}

function wholeNumber(value: string, min: number, max: number, flag: string, issues: Issue[]): number {
  const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (n >= min && n <= max) return n;
  issues.push({ path: flag, message: `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}` });
  return NaN;
}

/** Newline-terminated lines joined into chunks (join beats `+=`, then one copy), counting on the way. */
function* chunked(lines: Iterable<string>, counts: Counts): Generator<string> {
  let batch: string[] = [];
  for (const line of lines) {
    batch.push(line);
    // `{"type":"node"…`: the 10th character tells a node line from an edge line.
    if (line.charCodeAt(9) === 110) counts.nodes++;
    if (batch.length === LINES_PER_CHUNK) {
      counts.lines += batch.length;
      batch.push('');
      yield batch.join('\n');
      batch = [];
    }
  }
  counts.lines += batch.length;
  if (batch.length > 0) {
    batch.push('');
    yield batch.join('\n');
  }
}

/** A reader that stops early (`| head`) closes the pipe: that ends the output, not in an error. */
async function toStdout(chunks: Readable, io: CliIo): Promise<void> {
  let broken: Error | undefined;
  const onError = (error: Error): void => void (broken = error);
  process.stdout.on('error', onError);
  try {
    await pipeline(chunks, stdoutSink(io, () => broken));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
  } finally {
    process.stdout.off('error', onError);
  }
}

/**
 * Standard output with backpressure. `run()` binds `io.stdout` to `process.stdout.write`, whose `false`
 * says the chunk was queued (a pipe to a slower reader, such as `idgraph import -`): then the next chunk
 * waits for process.stdout to drain, so memory stays flat. A test's `io.stdout` returns nothing, and
 * when process.stdout has nothing queued there is nothing to wait for.
 */
function stdoutSink(io: CliIo, broken: () => Error | undefined): Writable {
  const write = io.stdout as (text: string) => unknown;
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      const error = broken();
      if (error !== undefined) return callback(error);
      const queued = write(typeof chunk === 'string' ? chunk : chunk.toString('utf8')) === false;
      if (!queued || !process.stdout.writableNeedDrain) return callback();
      once(process.stdout, 'drain').then(() => callback(), callback);
    },
  });
}
