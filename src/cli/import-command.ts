/**
 * `idgraph import`: NDJSON (a file, or - for standard input) or CSV files (see docs/csv-import.md) into
 * the store, all or nothing, with progress on stderr.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { csvSource } from '../interchange/csv-source.js';
import { ndjsonFileSource } from '../interchange/file-source.js';
import { importSource, type ImportSummary } from '../interchange/import.js';
import type { LineSource } from '../interchange/source.js';
import { IdGraphError } from '../model/errors.js';
import type { GraphStore } from '../store/port.js';
import { importProgress } from './import-progress.js';
import type { CliIo } from './main.js';

interface ImportFlags {
  readonly quiet?: boolean;
  readonly transactionSize?: string;
}

type WithStore = <T>(use: (store: GraphStore) => Promise<T>) => Promise<T>;

/**
 * Registers `import`. Bad flags and unreadable files exit 2 before the store is opened.
 * @example addImportCommand(program, io, withStore)
 */
export function addImportCommand(program: Command, io: CliIo, withStore: WithStore): void {
  program
    .command('import')
    .description('import an NDJSON file (- for standard input) or CSV files; validated whole first, then all or nothing')
    .argument('<files...>', 'one .ndjson file, -, or one or more CSV files named by kind (identities.csv, grants.csv, …)')
    .option('--quiet', 'print no progress')
    .option('--transaction-size <records>', 'Neo4j only: commit every <records> records, each part audited (default: one transaction)')
    .action(async (files: string[], flags: ImportFlags) => {
      const transactionSize = parseTransactionSize(flags.transactionSize);
      const input = await openInput(files, io);
      const progress = importProgress({ write: io.stderr, isTTY: io.stderrIsTTY === true, quiet: flags.quiet === true, totalBytes: input.bytes });
      try {
        const summary = await withStore((store) =>
          importSource(store, input.source, { source: input.name, onProgress: progress.onProgress, transactionSize }),
        );
        progress.stop();
        io.stdout(describeImport(`Imported ${input.name}`, summary));
      } finally {
        progress.stop();
        input.dispose();
      }
    });
}

/** The summary line of an import or a seed. */
export function describeImport(what: string, summary: ImportSummary): string {
  const n = summary.nodes;
  const e = summary.edges;
  const written = summary.commit === null ? 'nothing changed, nothing written' : `audit event #${summary.commit.sequence}`;
  return `${what}: nodes ${n.created} created, ${n.updated} updated, ${n.unchanged} unchanged; edges ${e.created} created, ${e.updated} updated, ${e.unchanged} unchanged (${written}).\n`;
}

interface Input {
  readonly source: LineSource;
  readonly name: string;
  readonly bytes?: number;
  readonly dispose: () => void;
}

/**
 * The source for the files given. Standard input is spooled to a temporary file first: the import reads
 * its input twice.
 * @throws IdGraphError BAD_USER_INPUT naming every file that cannot be read, or a mix of kinds.
 */
async function openInput(files: readonly string[], io: CliIo): Promise<Input> {
  const csv = files.filter((file) => file.toLowerCase().endsWith('.csv'));
  if (csv.length > 0 && csv.length < files.length) {
    throw new IdGraphError('BAD_USER_INPUT', `import takes one NDJSON file or CSV files, not both: ${files.join(', ')}`);
  }
  if (csv.length === 0 && files.length > 1) {
    throw new IdGraphError('BAD_USER_INPUT', `import takes one NDJSON file (concatenate them, or use -), got ${files.length}: ${files.join(', ')}`);
  }
  if (files[0] === '-') {
    const dir = mkdtempSync(join(tmpdir(), 'idgraph-stdin-'));
    const path = join(dir, 'stdin.ndjson');
    try {
      await pipeline(io.stdin, createWriteStream(path));
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw new IdGraphError('BAD_USER_INPUT', `Cannot read standard input: ${(error as Error).message}`, { cause: error });
    }
    return { source: ndjsonFileSource(path), name: 'standard input', bytes: statSync(path).size, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  }
  const sizes = files.map((file) => sizeOf(file));
  const unreadable = files.flatMap((file, i) => (typeof sizes[i] === 'string' ? [`Cannot read ${file}: ${sizes[i] as string}`] : []));
  if (unreadable.length > 0) throw new IdGraphError('BAD_USER_INPUT', unreadable.join('; '));
  const bytes = (sizes as number[]).reduce((sum, size) => sum + size, 0);
  if (csv.length > 0) return { source: csvSource(files), name: files.map((file) => basename(file)).join(', '), dispose: () => undefined };
  return { source: ndjsonFileSource(files[0]!), name: files[0]!, bytes, dispose: () => undefined };
}

/** The file's size, or why it cannot be read (`ENOENT: no such file or directory, …`). */
function sizeOf(file: string): number | string {
  try {
    const stat = statSync(file);
    return stat.isFile() ? stat.size : 'not a file';
  } catch (error) {
    return (error as Error).message;
  }
}

function parseTransactionSize(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (n >= 1) return n;
  throw new IdGraphError('BAD_USER_INPUT', `--transaction-size: must be a whole number ≥ 1, got ${JSON.stringify(value)}`, {
    issues: [{ path: '--transaction-size', message: `must be a whole number ≥ 1, got ${JSON.stringify(value)}` }],
  });
}
