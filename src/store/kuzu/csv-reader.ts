/**
 * Reads a CSV file as Kuzu's `COPY … TO` writes it: a delimiter between fields, a quote around a field
 * that holds the delimiter, the quote or a line break, the quote doubled inside one, `\n` after each row,
 * NULL as an empty unquoted field. A chunk of the file at a time, so a file larger than a JavaScript
 * string can hold is read too.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { invariant } from '../../model/errors.js';

/** The characters of a CSV dialect; Kuzu's defaults are `,` and `"`. */
export interface CsvDialect {
  readonly delimiter: string;
  readonly quote: string;
}

/** Bytes read at a time: large enough that a row rarely straddles two chunks. */
const CHUNK_BYTES = 1 << 24;
const NEWLINE = 10;
const RETURN = 13;

/**
 * @example
 * const reader = new CsvReader(path, 3);
 * while (reader.read(10_000, (fields) => …) > 0);
 * reader.close();
 */
export class CsvReader {
  readonly #fd: number;
  readonly #columns: number;
  readonly #delimiter: number;
  readonly #delimiterText: string;
  readonly #quote: string;
  readonly #doubled: string;
  readonly #chunk: Buffer;
  readonly #decoder = new StringDecoder('utf8');
  readonly #fields: string[] = [];
  #text = '';
  #pos = 0;
  #ended = false;

  /** Opens `path`, whose rows have `columns` fields each; `close()` it when done. */
  constructor(path: string, columns: number, dialect: CsvDialect = { delimiter: ',', quote: '"' }, chunkBytes = CHUNK_BYTES) {
    invariant(dialect.delimiter.length === 1 && dialect.quote.length === 1, 'a CSV delimiter and quote are one character each');
    this.#fd = openSync(path, 'r');
    this.#columns = columns;
    this.#delimiter = dialect.delimiter.charCodeAt(0);
    this.#delimiterText = dialect.delimiter;
    this.#quote = dialect.quote;
    this.#doubled = dialect.quote + dialect.quote;
    this.#chunk = Buffer.allocUnsafe(chunkBytes);
  }

  /**
   * Calls `onRow` with the fields of each of up to `count` more rows (the array is reused: copy what you
   * keep); returns how many, 0 when the file is done. NULL and the empty string both read as ''.
   *
   * A field with doubled quotes is a string built of pieces, costly to keep (the collector walks every
   * piece): decode it in `onRow` (JSON.parse) rather than keep it.
   * @throws IdGraphError INTERNAL when a row has too few or too many fields, or the file ends inside one.
   */
  read(count: number, onRow: (fields: readonly string[]) => void): number {
    let rows = 0;
    while (rows < count) {
      if (this.#row()) {
        onRow(this.#fields);
        rows++;
      } else if (!this.#fill()) break;
    }
    return rows;
  }

  close(): void {
    closeSync(this.#fd);
  }

  /** Reads one whole row into the fields and moves past it; false when the text holds no whole row. */
  #row(): boolean {
    const text = this.#text;
    const length = text.length;
    const fields = this.#fields;
    const last = this.#columns - 1;
    let pos = this.#pos;
    if (pos >= length) return false;
    for (let column = 0; column <= last; column++) {
      let end: number;
      if (text[pos] === this.#quote) {
        let close = pos + 1;
        let doubled = false;
        for (;;) {
          close = text.indexOf(this.#quote, close);
          if (close < 0 || close + 1 >= length) {
            if (!this.#ended || close < 0) return false;
            break;
          }
          if (text[close + 1] !== this.#quote) break;
          doubled = true;
          close += 2;
        }
        const value = text.slice(pos + 1, close);
        fields[column] = doubled ? value.replaceAll(this.#doubled, this.#quote) : value;
        end = close + 1;
      } else if (column === last) {
        // Unquoted, so free of line breaks: the row ends at the next one.
        end = text.indexOf('\n', pos);
        if (end < 0) {
          if (!this.#ended) return false;
          end = length;
        }
        const delimiter = text.indexOf(this.#delimiterText, pos);
        if (delimiter >= 0 && delimiter < end) invariant(false, `a CSV row of more than ${this.#columns} fields`);
        fields[column] = text.slice(pos, text.charCodeAt(end - 1) === RETURN && end > pos ? end - 1 : end);
      } else {
        end = pos;
        for (let c = text.charCodeAt(end); end < length && c !== this.#delimiter && c !== NEWLINE; c = text.charCodeAt(++end));
        if (end >= length && !this.#ended) return false;
        fields[column] = text.slice(pos, end);
      }
      pos = end;
      const next = text.charCodeAt(pos);
      if (column < last) {
        if (next !== this.#delimiter) invariant(false, `a CSV row of fewer than ${this.#columns} fields`);
      } else {
        if (next === RETURN) pos++;
        if (pos >= length) {
          if (!this.#ended) return false;
        } else if (text.charCodeAt(pos) !== NEWLINE) {
          invariant(false, `a CSV row of more than ${this.#columns} fields`);
        }
      }
      pos++;
    }
    this.#pos = pos;
    return true;
  }

  /** Reads the next chunk after what is left of the text; false when there is nothing more to read. */
  #fill(): boolean {
    if (this.#ended) {
      invariant(this.#pos >= this.#text.length, 'the CSV file ends inside a row');
      return false;
    }
    const read = readSync(this.#fd, this.#chunk, 0, this.#chunk.length, null);
    const rest = this.#text.slice(this.#pos);
    if (read === 0) {
      this.#ended = true;
      this.#text = rest + this.#decoder.end();
    } else {
      this.#text = rest + this.#decoder.write(this.#chunk.subarray(0, read));
    }
    this.#pos = 0;
    return true;
  }
}
