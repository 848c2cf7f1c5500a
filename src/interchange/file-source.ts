/**
 * Line sources over NDJSON: a file (streamed, read again on every call) or lines in memory.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { LineSource, SourceItem } from './source.js';

/** @example importSource(store, ndjsonFileSource('estate.ndjson')) */
export function ndjsonFileSource(path: string): LineSource {
  return async function* read(): AsyncGenerator<SourceItem> {
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let line = 0;
    try {
      for await (const text of lines) yield { line: ++line, text, bytes: stream.bytesRead };
    } finally {
      lines.close();
      stream.destroy();
    }
  };
}

/** @example importSource(store, arraySource(['{"type":"node",…}'])) */
export function arraySource(lines: readonly string[]): LineSource {
  return async function* read(): AsyncGenerator<SourceItem> {
    for (let i = 0; i < lines.length; i++) yield { line: i + 1, text: lines[i]! };
  };
}
