/**
 * Where import input comes from. An import reads its input twice (validate everything, then write), so a
 * source is a function that starts a fresh read each time it is called. Each item is one input line:
 * NDJSON text, or an object already read from another format (CSV), and where it came from, for messages.
 */
export interface SourceItem {
  /** 1-based line number in `file`. */
  readonly line: number;
  /** The file it came from, when there are several (CSV); absent for a single NDJSON input. */
  readonly file?: string;
  /** One NDJSON line, not yet parsed. Exactly one of `text`, `value` and `issues` is present. */
  readonly text?: string;
  /** An interchange object (`{type, label, id|from|to, props}`) read from another format. */
  readonly value?: Record<string, unknown>;
  /** Problems found while reading this line (a CSV cell that cannot be read); the line is bad. */
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
  /** Bytes of the input read so far, when the source knows it (for progress). */
  readonly bytes?: number;
}

/** A re-readable input: every call starts from the beginning. */
export type LineSource = () => AsyncIterable<SourceItem>;
