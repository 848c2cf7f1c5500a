/**
 * `idgraph audit verify | head | export`: thin shells over `src/audit/`. Verify's exit status follows the
 * CLI contract: 0 when the chain holds, 1 when it does not (the command ran and the answer is negative,
 * like `--fail-empty`'s "empty"; 2 stays "your input was wrong" and 3 "the store could not be read", so a
 * script can tell a tampered log from a typo or an outage).
 */
import { Option, type Command } from 'commander';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  AUDIT_EXPORT_FORMATS,
  auditHead,
  exportAudit,
  formatAuditHead,
  parseAuditHead,
  verifyAudit,
  type AuditExportFormat,
  type AuditHead,
  type VerifyReport,
} from '../audit/index.js';
import { IdGraphError } from '../model/errors.js';
import type { GraphStore } from '../store/port.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './main.js';

/** The status of a verify that found the chain broken, truncated or rewritten (see the module comment). */
export const EXIT_AUDIT_BROKEN = EXIT.NOT_FOUND;

/**
 * Registers `audit` and its subcommands on `program`; a failed verify sets `exitCode` on `program`, which
 * `main` returns.
 * @example addAuditCommands(program, io, withStore)
 */
export function addAuditCommands(
  program: Command,
  io: CliIo,
  withStore: <T>(use: (store: GraphStore) => Promise<T>) => Promise<T>,
): void {
  const audit = program.command('audit').description('verify, anchor and export the hash-chained audit log');

  audit
    .command('verify')
    .description('re-compute the audit hash chain; exit 1 naming the first bad sequence when it does not hold')
    .option('--head <sequence:hash>', 'a head printed earlier by `idgraph audit head`: also fail when the log no longer reaches it')
    .option('--json', 'print the report as one JSON document')
    .action(async (flags: { head?: string; json?: boolean }) => {
      // Parsed before the store opens, so a bad --head is exit 2 whatever state the store is in.
      const head = flags.head === undefined ? undefined : parseAuditHead(flags.head);
      const report = await withStore((store) => verifyAudit(store, head === undefined ? {} : { head }));
      io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : describeVerify(report, head));
      if (report.firstBad !== undefined) {
        const bad = report.firstBad;
        io.stderr(`idgraph: audit log broken at sequence ${bad.sequence} (${bad.reason}): ${bad.detail}\n`);
        program.setOptionValue('exitCode', EXIT_AUDIT_BROKEN);
      }
    });

  audit
    .command('head')
    .description('print the last audit sequence and hash as <sequence>:<hash>, to anchor outside the store')
    .option('--json', 'print {"sequence": …, "hash": …}')
    .action(async (flags: { json?: boolean }) => {
      const head = await withStore((store) => auditHead(store));
      io.stdout(flags.json ? `${JSON.stringify(head)}\n` : `${formatAuditHead(head)}\n`);
    });

  audit
    .command('export')
    .description('write the audit log as NDJSON (the events as stored) or OCSF API Activity records')
    .addOption(new Option('--format <format>', 'ndjson or ocsf').choices(AUDIT_EXPORT_FORMATS).default('ndjson'))
    .argument('[file]', 'the file to write (default, or -: standard output)')
    .action(async (file: string | undefined, flags: { format: AuditExportFormat }) => {
      if (file === undefined || file === '-') {
        await withStore((store) => exportAudit(store, flags.format, io.stdout));
        return;
      }
      const summary = await withStore((store) => writeFileWhole(file, (write) => exportAudit(store, flags.format, write)));
      io.stdout(`Exported ${summary.events} audit events (${flags.format}) to ${file}; head ${formatAuditHead(summary.head)}.\n`);
    });
}

function describeVerify(report: VerifyReport, anchor: AuditHead | undefined): string {
  const rate = `${report.events.toLocaleString('en-US')} event${report.events === 1 ? '' : 's'} checked (${report.eventsPerSecond.toLocaleString('en-US')} events/s)`;
  const head = `head ${formatAuditHead(report.head)}`;
  if (!report.ok) return `Audit log NOT verified: ${rate}; ${head}.\n`;
  const anchored = anchor === undefined ? '' : `; reaches the anchored head ${anchor.sequence}`;
  return `Audit log verified: ${rate}, every link holds${anchored}; ${head}.\n`;
}

/**
 * Writes through `produce` into a temporary file beside `file`, renamed over it only when all went well,
 * so that a failed export never leaves a partial file that looks whole.
 * @throws IdGraphError BAD_USER_INPUT when the file cannot be written; whatever `produce` throws otherwise.
 */
async function writeFileWhole<T>(file: string, produce: (write: (text: string) => Promise<void>) => Promise<T>): Promise<T> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const out = createWriteStream(temp);
  // Errors arrive as events, between writes; keep the first so the next write (or the end) throws it.
  let failure: Error | undefined;
  out.on('error', (error) => void (failure ??= error));
  const write = async (text: string): Promise<void> => {
    if (failure !== undefined) throw failure;
    if (!out.write(text)) await once(out, 'drain');
  };
  try {
    const value = await produce(write);
    if (failure !== undefined) throw failure;
    out.end();
    await once(out, 'finish');
    await rename(temp, file);
    return value;
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    if (error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string') {
      throw new IdGraphError('BAD_USER_INPUT', `Cannot write ${file}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
