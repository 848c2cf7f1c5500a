/**
 * A bulk load as one Kuzu transaction. The batches are first spooled to CSV files, one per label or edge
 * group and per mode, in constant memory; then, in one transaction, each file is loaded with one
 * statement (nodes before edges), and the audit event is appended. A failure or a kill before COMMIT
 * leaves the store as it was: Kuzu discards an uncommitted transaction, from its WAL too.
 *
 * The mode of a file: `COPY` into a table that is empty when the load starts (Kuzu's fastest path, and the
 * lightest on memory: measured 5× less than CREATE for millions of rows); `LOAD FROM … CREATE` for new
 * records into a table that has rows, and `LOAD FROM … MERGE` for records the store has. Kuzu 0.11.3
 * cannot roll back a COPY into a non-empty table (measured: rows stay behind, then the process crashes),
 * which is why COPY is kept to empty ones.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AuditEvent } from '../../model/audit-chain.js';
import { IdGraphError } from '../../model/errors.js';
import type { EdgeRecord, NodeRecord } from '../../model/records.js';
import { allowsEndpoints, type EdgeType, type NodeLabel } from '../../model/vocabulary.js';
import type { BulkBatch } from '../port.js';
import { statement, type StatementVars } from '../statements.js';
import { auditParams, propsText } from './kuzu-rows.js';
import type { KuzuSession } from './kuzu-session.js';

/** What a spool holds: its files in load order, and how many records in all. */
export interface Spool {
  readonly dir: string;
  readonly records: number;
  readonly files: readonly SpoolFile[];
}

/** One CSV file: the statement that loads it and how many rows it has. */
export interface SpoolFile {
  readonly path: string;
  readonly rows: number;
  readonly name: 'copy_nodes' | 'load_create_nodes' | 'load_merge_nodes' | 'copy_edges' | 'load_create_edges' | 'load_merge_edges';
  readonly label?: NodeLabel;
  readonly type?: EdgeType;
  readonly from?: NodeLabel;
  readonly to?: NodeLabel;
}

/** The spool directory's name inside a store's directory. */
export const SPOOL_DIR = '.bulk-load';
/** A path Kuzu's LOAD FROM can take as a literal (see statements.ts). */
const PLAIN_PATH = /^\/[A-Za-z0-9_./-]+$/;
const FLUSH_AT = 1 << 20;

/** Whether a table is empty as the load starts: a node label's, or an edge type's label pair's. */
export interface EmptyTables {
  node(label: NodeLabel): boolean;
  edge(type: EdgeType, from: NodeLabel, to: NodeLabel): boolean;
}

/**
 * Spools every batch, stamping rows with `seq`. Records bound for an empty table are all new, whatever
 * their batch says, and go to that table's COPY file. The directory is made fresh (a leftover of a killed
 * load is removed first); the caller removes it with `removeSpool` when done.
 * @throws IdGraphError BAD_USER_INPUT for an edge whose label pair its type does not allow.
 */
export async function spoolBatches(storeDir: string, batches: AsyncIterable<BulkBatch>, seq: number, empty: EmptyTables): Promise<Spool> {
  const dir = spoolDir(storeDir);
  const writers = new Map<string, SpoolWriter>();
  const writer = (file: Omit<SpoolFile, 'path' | 'rows'>, key: string): SpoolWriter => {
    let found = writers.get(key);
    if (found === undefined) {
      const header = file.label !== undefined ? 'id,props,seq' : 'fromId,toId,key,props,seq';
      found = new SpoolWriter(join(dir, `${writers.size}-${file.name}.csv`), header, file);
      writers.set(key, found);
    }
    return found;
  };
  let records = 0;
  try {
    for await (const batch of batches) {
      const mode = batch.created ? 'load_create' : 'load_merge';
      for (const node of batch.nodes) {
        const name = empty.node(node.label) ? 'copy_nodes' : (`${mode}_nodes` as const);
        writer({ name, label: node.label }, `${name} ${node.label}`).row(nodeRow(node, seq));
      }
      for (const edge of batch.edges) {
        if (!allowsEndpoints(edge.type, edge.fromLabel, edge.toLabel)) {
          throw new IdGraphError('BAD_USER_INPUT', `${edge.type} "${edge.from}" → "${edge.to}": ${edge.type} does not join ${edge.fromLabel} to ${edge.toLabel}`);
        }
        const table = edgeTable(edge.type, edge.fromLabel, edge.toLabel);
        const name = empty.edge(edge.type, edge.fromLabel, edge.toLabel) ? 'copy_edges' : (`${mode}_edges` as const);
        writer({ name, type: edge.type, from: edge.fromLabel, to: edge.toLabel }, `${name} ${table}`).row(edgeRow(edge, seq));
      }
      records += batch.nodes.length + batch.edges.length;
    }
    const files = [...writers.values()].map((open) => open.close());
    return { dir, records, files: files.sort((a, b) => LOAD_ORDER.indexOf(a.name) - LOAD_ORDER.indexOf(b.name)) };
  } catch (error) {
    // Close without flushing: a disk that failed once (ENOSPC) would fail again and hide the first error.
    for (const open of writers.values()) open.discard();
    removeSpool(dir);
    throw error;
  }
}

/**
 * Loads a spool and appends `event`, in one transaction.
 * @throws IdGraphError CONFLICT when an edge names an endpoint that is not in the store, or a created node
 *   exists already; Kuzu's error otherwise. Nothing is written when it throws.
 */
export function loadSpool(session: KuzuSession, spool: Spool, event: AuditEvent): void {
  session.transaction(() => {
    for (const file of spool.files) {
      const text = statement('kuzu', file.name, { label: file.label, type: file.type, from: file.from, to: file.to, file: file.path });
      // Each text names its own file: run once, not prepared (the prepared cache would keep it).
      const rows = runLoad(session, text, file);
      if (file.name.startsWith('copy_')) continue;
      const written = Number(rows[0]?.['written'] ?? 0);
      if (written < file.rows) {
        throw new IdGraphError(
          'CONFLICT',
          `${file.rows - written} of ${file.rows} ${file.type ?? ''} edge(s) ${file.from} → ${file.to} name an endpoint that is not in the store; nothing was written`,
        );
      }
    }
    session.all(statement('kuzu', 'append_audit'), auditParams(event));
  });
}

/** Runs one load statement; a COPY that finds no endpoint is the same CONFLICT as a LOAD that matches none. */
function runLoad(session: KuzuSession, text: string, file: SpoolFile): Record<string, unknown>[] {
  try {
    return session.once(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const taken = /duplicated primary key value (.*?), which/.exec(message);
    if (taken !== null && file.label !== undefined) {
      throw new IdGraphError('CONFLICT', `${file.label} "${taken[1]}" exists already; nothing was written`, { cause: error });
    }
    const missing = /Unable to find primary key value (.*?)\.?$/m.exec(message);
    if (file.name !== 'copy_edges' || missing === null) throw error;
    throw new IdGraphError(
      'CONFLICT',
      `${file.type} edge(s) ${file.from} → ${file.to} name "${missing[1]}", which is not in the store; nothing was written`,
      { cause: error },
    );
  }
}

/**
 * Which tables hold no row, asked of the store the first time a load has a row for the table (a load
 * touches a few of the ~30 tables; each count scans one). The store's one writer is the caller, so a table
 * stays as it was found until the load runs.
 */
export function emptyTables(session: KuzuSession): EmptyTables {
  const known = new Map<string, boolean>();
  const isEmpty = (key: string, name: 'count_nodes' | 'count_edges', vars: StatementVars): boolean => {
    let empty = known.get(key);
    if (empty === undefined) {
      empty = Number(session.all(statement('kuzu', name, vars))[0]?.['n'] ?? 0) === 0;
      known.set(key, empty);
    }
    return empty;
  };
  return {
    node: (label) => isEmpty(label, 'count_nodes', { label }),
    edge: (type, from, to) => isEmpty(edgeTable(type, from, to), 'count_edges', { type, from, to }),
  };
}

export function edgeTable(type: EdgeType, from: NodeLabel, to: NodeLabel): string {
  return `${type} ${from} ${to}`;
}

export function removeSpool(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

const LOAD_ORDER: readonly SpoolFile['name'][] = ['copy_nodes', 'load_create_nodes', 'load_merge_nodes', 'copy_edges', 'load_create_edges', 'load_merge_edges'];

/** `<store dir>/.bulk-load`, or a temporary directory when that path is not one LOAD FROM can take. */
function spoolDir(storeDir: string): string {
  const inStore = resolve(storeDir, SPOOL_DIR);
  removeSpool(inStore);
  if (PLAIN_PATH.test(inStore)) {
    mkdirSync(inStore, { recursive: true });
    return inStore;
  }
  return mkdtempSync(join(tmpdir(), 'idgraph-bulk-'));
}

function nodeRow(node: NodeRecord, seq: number): string {
  return `${quote(node.id)},${quote(propsText(node.props))},${seq}\n`;
}

function edgeRow(edge: EdgeRecord, seq: number): string {
  return `${quote(edge.from)},${quote(edge.to)},${quote(edge.key)},${quote(propsText(edge.props))},${seq}\n`;
}

/** RFC 4180 quoting; ids and keys hold no line breaks (model/interchange.ts refuses control characters). */
function quote(value: string): string {
  return `"${value.includes('"') ? value.replaceAll('"', '""') : value}"`;
}

/** Appends rows to one file through a buffer, with synchronous writes (one writer, no interleaving). */
class SpoolWriter {
  #fd: number;
  #buffer: string;
  #rows = 0;

  constructor(
    readonly path: string,
    header: string,
    readonly file: Omit<SpoolFile, 'path' | 'rows'>,
  ) {
    this.#fd = openSync(path, 'w');
    this.#buffer = `${header}\n`;
  }

  row(text: string): void {
    this.#buffer += text;
    this.#rows++;
    if (this.#buffer.length >= FLUSH_AT) this.#flush();
  }

  close(): SpoolFile {
    if (this.#fd >= 0) {
      this.#flush();
      closeSync(this.#fd);
      this.#fd = -1;
    }
    return { ...this.file, path: this.path, rows: this.#rows };
  }

  /** Closes the file without writing what is buffered (the spool is being thrown away); never throws. */
  discard(): void {
    if (this.#fd < 0) return;
    try {
      closeSync(this.#fd);
    } catch {
      // Nothing more to do for a file that is removed next.
    }
    this.#fd = -1;
  }

  #flush(): void {
    writeSync(this.#fd, this.#buffer);
    this.#buffer = '';
  }
}
