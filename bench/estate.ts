/**
 * The estate the benchmark imports: the NDJSON lines of a synthetic enterprise (`seed/enterprise.ts`, ~5
 * edges per identity) written to a file, so that the import section reads a file as `idgraph import` does.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { enterpriseLines } from '../seed/enterprise.js';

export interface EstateFile {
  readonly file: string;
  readonly lines: number;
  /** Time to generate and write it, ms. */
  readonly ms: number;
}

/** Bytes gathered before each write. */
const CHUNK = 1 << 20;

/** Writes the estate's lines to `file`. */
export function writeEstateFile(file: string, identities: number, anchor: Date): EstateFile {
  const start = performance.now();
  const fd = openSync(file, 'w');
  let lines = 0;
  try {
    let chunk: string[] = [];
    let size = 0;
    for (const line of enterpriseLines({ identities, anchor })) {
      chunk.push(line);
      size += line.length + 1;
      lines++;
      if (size >= CHUNK) {
        writeSync(fd, `${chunk.join('\n')}\n`);
        chunk = [];
        size = 0;
      }
    }
    if (chunk.length > 0) writeSync(fd, `${chunk.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  return { file, lines, ms: performance.now() - start };
}
