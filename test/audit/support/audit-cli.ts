/**
 * The audit commands run in-process on a small program of their own, the way src/cli/program.ts hosts
 * them (global --store, exitOverride, output to buffers), with errors mapped as `main` maps them.
 */
import { Command, CommanderError } from 'commander';
import { Readable } from 'node:stream';
import { addAuditCommands } from '../../../src/cli/audit-commands.js';
import { EXIT, exitCodeFor } from '../../../src/cli/exit-codes.js';
import type { CliIo } from '../../../src/cli/main.js';
import { IdGraphError } from '../../../src/model/errors.js';
import { openKuzuStore } from '../../../src/store/kuzu/kuzu-store.js';
import type { GraphStore } from '../../../src/store/port.js';
import type { CliRun } from '../../support/cli-run.js';

/** Runs `idgraph <argv>` with only the audit commands registered; `--store kuzu:<dir>` picks the store. */
export async function auditCli(argv: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    stdin: Readable.from(['']),
    env: {},
  };
  const program = new Command('idgraph')
    .option('--store <store>')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const withStore = async <T>(use: (store: GraphStore) => Promise<T>): Promise<T> => {
    const spec = program.opts<{ store?: string }>().store ?? '';
    const store = await openKuzuStore({ dir: spec.replace(/^kuzu:/, '') });
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  };
  addAuditCommands(program, io, withStore);
  let code: number;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    code = (program.getOptionValue('exitCode') as number | undefined) ?? EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? EXIT.OK : EXIT.BAD_INPUT;
    else if (error instanceof IdGraphError) {
      stderr += `idgraph: ${error.message}\n`;
      code = exitCodeFor(error.code);
    } else throw error;
  }
  return { code, stdout, stderr };
}
