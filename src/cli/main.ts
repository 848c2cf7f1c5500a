/**
 * `idgraph`: the command-line shell over the same library calls the GraphQL API uses (DESIGN.md, CLI
 * contract). `main(argv, io)` returns the exit code and never throws, so tests call it in-process; `run()`
 * is the process entry, the one place that reads `process.env` and `process.exit`s.
 */
import { CommanderError } from 'commander';
import { fileURLToPath } from 'node:url';
import { realpathSync } from 'node:fs';
import { IdGraphError, formatIssue } from '../model/errors.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { buildProgram } from './program.js';

/** Where the CLI writes and what it reads; a test passes buffers. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal: progress is drawn as a bar there, as plain lines elsewhere. */
  readonly stderrIsTTY?: boolean;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The current time, for queries without --at and for seeding. */
  readonly now?: () => Date;
}

/** At most this many issues are printed; the rest are counted. */
const MAX_PRINTED_ISSUES = 50;
/** Flag names for the options the engine names in its messages. */
const FLAG_NAMES: Readonly<Record<string, string>> = { maxDepth: '--max-depth', at: '--at', maxRoutes: '--max-routes' };

/**
 * Runs one command line (without the leading `node script`) and returns its exit code.
 * @example await main(['blast-radius', 'cred:payments-ci-key', '--json'], io)
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return program.getOptionValue('exitCode') as number | undefined ?? EXIT.OK;
  } catch (error) {
    return report(error, io);
  }
}

/** The process entry point (package bin and `npm run idgraph`). */
export async function run(): Promise<void> {
  const code = await main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    stdin: process.stdin,
    env: process.env,
  });
  process.exitCode = code;
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has printed its message (or the help) already.
    return error.exitCode === 0 ? EXIT.OK : EXIT.BAD_INPUT;
  }
  if (!(error instanceof IdGraphError)) {
    io.stderr(`idgraph: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.INTERNAL;
  }
  const issues = error.issues.map((issue) => formatIssue({ ...issue, path: FLAG_NAMES[issue.path] ?? issue.path }));
  if (issues.length === 0) io.stderr(`idgraph: ${error.message}\n`);
  else if (error.issues.every((issue) => issue.line === undefined)) for (const line of issues) io.stderr(`idgraph: ${line}\n`);
  else {
    io.stderr(`idgraph: ${error.message}\n`);
    for (const line of issues.slice(0, MAX_PRINTED_ISSUES)) io.stderr(`  ${line}\n`);
    if (issues.length > MAX_PRINTED_ISSUES) io.stderr(`  … and ${issues.length - MAX_PRINTED_ISSUES} more\n`);
  }
  return exitCodeFor(error.code);
}

const invokedDirectly = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
})();
if (invokedDirectly) await run();
