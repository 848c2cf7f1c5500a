/**
 * The Kuzu adapter's topology scan (port `scanTopology`). Each label's nodes, then each (type, from label,
 * to label)'s edges, are exported by `COPY (MATCH …) TO` a CSV file and parsed here, one file at a time:
 * Kuzu's row API costs ~1–3 µs a row (an object per row, a string per value), its CSV export a fraction
 * of that. Edges come out with their endpoints as Kuzu's offsets of the nodes in their tables, which the
 * node export gave for each node, so no id is read twice and no id is looked up per edge.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Props } from '../../model/properties.js';
import { EDGE_ENDPOINTS, EDGE_TYPES, NODE_LABELS, type EdgeType, type NodeLabel } from '../../model/vocabulary.js';
import type { TopologyBatch } from '../port.js';
import { statement } from '../statements.js';
import { CsvReader, type CsvDialect } from './csv-reader.js';
import type { KuzuSession } from './kuzu-session.js';

/** The prefix of a scan's temporary directory inside the store's directory. */
export const TOPOLOGY_DIR_PREFIX = '.topology-';
/**
 * The CSV dialect of the exports, as copy_topology_*.cypher declare it: `|` and a backquote, which JSON
 * props and ids rarely hold, so that a field is almost never quoted (a quoted one costs an unescape).
 */
export const TOPOLOGY_CSV: CsvDialect = { delimiter: '|', quote: '`' };
/** A path `COPY … TO` can take as a literal (see statements.ts). */
const PLAIN_PATH = /^\/[A-Za-z0-9_./-]+$/;

/**
 * Every node, then every edge, of the store in `session`, in batches of at most `batchSize` rows. The
 * exports go to a fresh directory inside `storeDir` (on the store's disk, and a path `COPY … TO` takes as
 * a literal), removed when the scan ends however it ends. A write that commits between two exports is
 * seen by the later ones only; an edge to a node that the node exports missed is left out (see the port).
 * @throws Kuzu's error when an export fails.
 */
export async function* scanKuzuTopology(session: KuzuSession, storeDir: string, batchSize: number): AsyncGenerator<TopologyBatch> {
  const dir = scanDir(storeDir);
  try {
    /** Per label, the position of the node at each offset of its table; -1 where none was exported. */
    const positions = new Map<NodeLabel, Int32Array>();
    let position = 0;
    for (const label of NODE_LABELS) {
      const file = join(dir, `${label}.csv`);
      session.once(statement('kuzu', 'copy_topology_nodes', { label, file }));
      let byOffset: Int32Array = new Int32Array(0);
      for (const reader of readerOf(file, 3)) {
        for (;;) {
          const ids: string[] = [];
          const props: Props[] = [];
          const rows = reader.read(batchSize, (fields) => {
            const offset = Number(fields[0]);
            if (offset >= byOffset.length) byOffset = grown(byOffset, offset + 1);
            byOffset[offset] = position++;
            ids.push(fields[1]!);
            props.push(propsOf(fields[2]!));
          });
          if (rows === 0) break;
          yield { kind: 'nodes', labels: Array<NodeLabel>(rows).fill(label), ids, props };
        }
      }
      positions.set(label, byOffset);
    }
    for (const type of EDGE_TYPES) {
      for (const fromLabel of EDGE_ENDPOINTS[type].from) {
        for (const toLabel of EDGE_ENDPOINTS[type].to) {
          const file = join(dir, `${type}-${fromLabel}-${toLabel}.csv`);
          session.once(statement('kuzu', 'copy_topology_edges', { type, from: fromLabel, to: toLabel, file }));
          const sources = positions.get(fromLabel)!;
          const targets = positions.get(toLabel)!;
          for (const reader of readerOf(file, 4)) {
            for (;;) {
              const from = new Uint32Array(batchSize);
              const to = new Uint32Array(batchSize);
              const keys: string[] = [];
              const props: Props[] = [];
              const rows = reader.read(batchSize, (fields) => {
                const a = sources[Number(fields[0])] ?? -1;
                const b = targets[Number(fields[1])] ?? -1;
                // An endpoint committed after its table was exported: left out, `changesSince` brings the edge.
                if (a < 0 || b < 0) return;
                from[keys.length] = a;
                to[keys.length] = b;
                keys.push(fields[2]!);
                props.push(propsOf(fields[3]!));
              });
              if (rows === 0) break;
              const count = keys.length;
              if (count > 0) yield { kind: 'edges', types: Array<EdgeType>(count).fill(type), from: from.subarray(0, count), to: to.subarray(0, count), keys, props };
            }
          }
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh directory in the store's, or in the system's temporary one when COPY cannot name the store's. */
function scanDir(storeDir: string): string {
  const inStore = join(resolve(storeDir), TOPOLOGY_DIR_PREFIX);
  return mkdtempSync(PLAIN_PATH.test(inStore) ? inStore : join(tmpdir(), `idgraph${TOPOLOGY_DIR_PREFIX}`));
}

/** A reader of one export, closed and the file removed when the loop over it ends; none for no file. */
function* readerOf(file: string, columns: number): Generator<CsvReader> {
  // Kuzu writes no file for an empty result.
  if (!existsSync(file)) return;
  const reader = new CsvReader(file, columns, TOPOLOGY_CSV);
  try {
    yield reader;
  } finally {
    reader.close();
    rmSync(file, { force: true });
  }
}

/** Props from their JSON text; NULL (which the CSV cannot tell from '') only from rows written elsewhere. */
function propsOf(text: string): Props {
  return text === '' || text === '{}' ? {} : (JSON.parse(text) as Props);
}

function grown(array: Int32Array, size: number): Int32Array {
  const next = new Int32Array(Math.max(size, array.length * 2, 1024)).fill(-1);
  next.set(array);
  return next;
}
