/**
 * A projection saved to a file and loaded back, so that a server on a large store starts in a second
 * instead of scanning it. The file holds the projection's arrays as they are in memory, the ids, the
 * audit sequence it reflects and the hash of the store's audit event at that sequence. Because events
 * are hash-chained, a store whose event at that sequence has that hash has the very history the snapshot
 * was taken from (DESIGN.md, Evidence); what was committed after it, the loader applies with `catchUp`.
 *
 * Layout: a fixed preamble (magic, format version, header length), a JSON header (sequence, audit hash,
 * counts, the vocabulary and rules it was made with, the sections' lengths), the sections' bytes in a
 * fixed order, then a CRC-32 of everything before it. Written to a temporary file, then renamed over the
 * old one, so a reader sees a whole file or the old one, never half of one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import { edgeInterval, nodeInterval } from '../model/liveness.js';
import { EDGE_TYPES, NODE_LABELS, ORIGINS, SCOPE_LEVELS, SEVERITIES } from '../model/vocabulary.js';
import type { GraphStore } from '../store/port.js';
import { CHUNK_IDS, hashOf } from './id-table.js';
import { Projection, type ProjectionImage } from './projection.js';

/** Bumped whenever the layout or the meaning of a column changes: an older file is then rebuilt. */
export const SNAPSHOT_FORMAT = 1;

/** What `saveSnapshot` wrote. */
export interface SavedSnapshot {
  readonly path: string;
  readonly sequence: number;
  readonly bytes: number;
}

/** A snapshot read from a file, not yet checked against a store. */
export interface SnapshotFile {
  readonly image: ProjectionImage;
  /** The hash of the store's audit event at `image.sequence` when the snapshot was taken. */
  readonly auditHash: string;
}

/** The result of `loadSnapshot`: the projection, caught up from the snapshot's `sequence`, or why the file was not used. */
export type SnapshotLoad =
  | { readonly projection: Projection; readonly sequence: number; readonly reason?: undefined }
  | { readonly projection?: undefined; readonly sequence?: undefined; readonly reason: string };

const MAGIC = Buffer.from('IDGPROJ\n', 'latin1');
const PREAMBLE_BYTES = MAGIC.length + 8;
const TRAILER_BYTES = 4;
/** Sections in file order, and how many entries each holds: per node, per edge, or as the header says. */
const SECTIONS = [
  ['labels', 'node'],
  ['nodeStart', 'node'],
  ['nodeEnd', 'node'],
  ['levels', 'node'],
  ['severities', 'node'],
  ['idEnds', 'node'],
  ['idSlots', 'idSlot'],
  ['edgeFrom', 'edge'],
  ['edgeTo', 'edge'],
  ['edgeType', 'edge'],
  ['edgeOrigin', 'edge'],
  ['edgeStart', 'edge'],
  ['edgeEnd', 'edge'],
  ['edgeKey', 'edgeKey'],
] as const;
type SectionName = (typeof SECTIONS)[number][0];
type Section = Uint8Array | Int8Array | Uint32Array | Float64Array;
const MAKE: Record<SectionName, new (length: number) => Section> = {
  labels: Uint8Array,
  nodeStart: Float64Array,
  nodeEnd: Float64Array,
  levels: Int8Array,
  severities: Int8Array,
  idEnds: Uint32Array,
  idSlots: Uint32Array,
  edgeFrom: Uint32Array,
  edgeTo: Uint32Array,
  edgeType: Uint8Array,
  edgeOrigin: Int8Array,
  edgeStart: Float64Array,
  edgeEnd: Float64Array,
  edgeKey: Uint32Array,
};

interface Header {
  readonly format: number;
  /** What the column values mean: the vocabulary's order and the liveness rules' source. */
  readonly meaning: string;
  readonly sequence: number;
  readonly auditHash: string;
  readonly nodes: number;
  readonly edges: number;
  readonly edgeKeys: number;
  readonly idSlots: number;
  readonly keys: readonly string[];
  /** 'utf8', or 'utf16le' when an id holds a lone surrogate, which UTF-8 cannot carry. */
  readonly idEncoding: 'utf8' | 'utf16le';
  readonly idChunkBytes: readonly number[];
}

/**
 * Writes `projection` to `path` (atomically: a temporary file renamed over it), with the hash of the
 * store's audit event at its sequence. Writes nothing for a projection of an empty store (sequence 0).
 * @throws the file system's error; the temporary file is removed then.
 * @example await saveSnapshot(projection, store, join(dir, 'projection.snapshot'))
 */
export async function saveSnapshot(projection: Projection, store: GraphStore, path: string): Promise<SavedSnapshot | undefined> {
  for (;;) {
    const sequence = projection.sequence;
    if (sequence === 0) return undefined;
    const [event] = await store.auditEvents(sequence - 1, 1);
    if (event === undefined || event.sequence !== sequence) throw new Error(`The store has no audit event ${sequence}, which the projection reflects`);
    // A change applied while the event was read moves the sequence: read the event of the new one. From
    // here on nothing awaits, so the image written is the projection at `sequence`.
    if (projection.sequence !== sequence) continue;
    const bytes = writeSnapshotFile(path, projection.image(), event.hash);
    return { path, sequence, bytes };
  }
}

/**
 * Writes an image and its audit hash to `path` atomically; returns the bytes written.
 * @throws the file system's error; the temporary file is removed then.
 */
export function writeSnapshotFile(path: string, image: ProjectionImage, auditHash: string): number {
  const chunks = image.ids.chunks;
  const idEncoding = chunks.every(isWellFormed) ? 'utf8' : 'utf16le';
  const idBytes = chunks.map((chunk) => Buffer.from(chunk, idEncoding));
  const header: Header = {
    format: SNAPSHOT_FORMAT,
    meaning: MEANING,
    sequence: image.sequence,
    auditHash,
    nodes: image.labels.length,
    edges: image.edgeFrom.length,
    edgeKeys: image.edgeKey.length,
    idSlots: image.ids.slots?.length ?? 0,
    keys: image.keys,
    idEncoding,
    idChunkBytes: idBytes.map((bytes) => bytes.length),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const preamble = Buffer.alloc(PREAMBLE_BYTES);
  MAGIC.copy(preamble);
  preamble.writeUInt32LE(SNAPSHOT_FORMAT, MAGIC.length);
  preamble.writeUInt32LE(headerBytes.length, MAGIC.length + 4);
  const arrays: Record<SectionName, Section> = { ...image, idEnds: image.ids.ends, idSlots: image.ids.slots ?? new Uint32Array(0) };
  const parts: Uint8Array[] = [preamble, headerBytes, ...idBytes, ...SECTIONS.map(([name]) => bytesOf(arrays[name]))];

  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    let crc = 0;
    let written = 0;
    for (const part of parts) {
      crc = checksum(part, crc);
      written += writeAll(fd, part);
    }
    const trailer = Buffer.alloc(TRAILER_BYTES);
    trailer.writeUInt32LE(crc >>> 0);
    written += writeAll(fd, trailer);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, path);
    return written;
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // Already closed.
    }
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Reads a snapshot file, checking its magic, format, meaning, lengths and checksum.
 * @throws Error whose message says what is wrong: missing, another format, truncated, corrupt.
 */
export function readSnapshotFile(path: string): SnapshotFile {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    let position = 0;
    let crc = 0;
    /** The next `length` entries, into a fresh array: its size checked against the file's before it is made. */
    const read = <T extends Section>(make: new (length: number) => T, length: number): T => {
      if (position + length * (make as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT > size - TRAILER_BYTES) {
        throw new Error(`it is truncated (${size} bytes)`);
      }
      const target = new make(length);
      const bytes = bytesOf(target);
      for (let done = 0; done < bytes.length; ) {
        const got = readSync(fd, bytes, done, bytes.length - done, position + done);
        if (got === 0) throw new Error(`it is truncated (${size} bytes)`);
        done += got;
      }
      position += bytes.length;
      crc = checksum(bytes, crc);
      return target;
    };
    const preamble = Buffer.from(read(Uint8Array, PREAMBLE_BYTES).buffer);
    if (!preamble.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('it is not a projection snapshot');
    const format = preamble.readUInt32LE(MAGIC.length);
    if (format !== SNAPSHOT_FORMAT) throw new Error(`it has format ${format}; this version reads format ${SNAPSHOT_FORMAT}`);
    const header = parseHeader(Buffer.from(read(Uint8Array, preamble.readUInt32LE(MAGIC.length + 4)).buffer).toString('utf8'));
    if (header.meaning !== MEANING) throw new Error('it was made with another vocabulary or other liveness rules');
    const chunks = header.idChunkBytes.map((length) => Buffer.from(read(Uint8Array, length).buffer).toString(header.idEncoding));
    const counts = { node: header.nodes, edge: header.edges, edgeKey: header.edgeKeys, idSlot: header.idSlots };
    const sections = Object.fromEntries(SECTIONS.map(([name, per]) => [name, read(MAKE[name], counts[per])])) as Record<SectionName, Section>;
    const trailer = Buffer.alloc(TRAILER_BYTES);
    if (position + TRAILER_BYTES !== size || readSync(fd, trailer, 0, TRAILER_BYTES, position) !== TRAILER_BYTES) {
      throw new Error(`its length (${size} bytes) is not what its header describes (${position + TRAILER_BYTES})`);
    }
    if (trailer.readUInt32LE() !== crc >>> 0) throw new Error('its checksum does not match: it is corrupt');
    const image = { ...(sections as unknown as Omit<ProjectionImage, 'ids' | 'keys' | 'sequence'>), sequence: header.sequence, keys: header.keys };
    const slots = header.idSlots > 0 ? (sections.idSlots as Uint32Array<ArrayBuffer>) : undefined;
    return { image: { ...image, ids: { chunks, ends: sections.idEnds as Uint32Array<ArrayBuffer>, ...(slots && { slots }) } }, auditHash: header.auditHash };
  } finally {
    closeSync(fd);
  }
}

/**
 * The snapshot at `path` as a projection of `store`, caught up with what was committed after it; or the
 * reason it cannot be used (missing, unreadable, corrupt, another format, or not of this store: the
 * store's audit event at the snapshot's sequence is missing or has another hash). Never throws for the
 * file's sake; a failing store still throws.
 * @example const { projection, reason } = await loadSnapshot(store, path)
 */
export async function loadSnapshot(store: GraphStore, path: string): Promise<SnapshotLoad> {
  let file: SnapshotFile;
  let projection: Projection;
  try {
    file = readSnapshotFile(path);
    projection = Projection.fromImage(file.image);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { reason: `there is no snapshot at ${path}` };
    return { reason: `the snapshot at ${path} cannot be used: ${(error as Error).message}` };
  }
  const sequence = file.image.sequence;
  const [event] = await store.auditEvents(sequence - 1, 1);
  if (event === undefined || event.sequence !== sequence) {
    return { reason: `the snapshot at ${path} is of sequence ${sequence}, which the store ${store.location} does not have` };
  }
  if (event.hash !== file.auditHash) {
    return { reason: `the snapshot at ${path} is of another history: the audit event ${sequence} of ${store.location} has another hash` };
  }
  await projection.catchUp(store);
  return { projection, sequence };
}

/**
 * What the numbers in the columns mean: the byte order, the vocabulary's order (indices), the id chunk
 * size and hash function, and the liveness rules (their source text) that made the intervals. Change any of these and an
 * old snapshot would mean something else, so it is rebuilt instead.
 */
const MEANING = createHash('sha256')
  .update(JSON.stringify([endianness(), NODE_LABELS, EDGE_TYPES, ORIGINS, SCOPE_LEVELS, SEVERITIES, CHUNK_IDS, String(hashOf), String(nodeInterval), String(edgeInterval)]))
  .digest('hex');

function parseHeader(text: string): Header {
  let header: Header;
  try {
    header = JSON.parse(text) as Header;
  } catch {
    throw new Error('its header is not JSON: it is corrupt');
  }
  const counts = [header.nodes, header.edges, header.edgeKeys, header.idSlots, header.sequence, ...(header.idChunkBytes ?? [])];
  const valid =
    typeof header.auditHash === 'string' &&
    Array.isArray(header.keys) &&
    header.keys.every((key) => typeof key === 'string') &&
    (header.idEncoding === 'utf8' || header.idEncoding === 'utf16le') &&
    Array.isArray(header.idChunkBytes) &&
    counts.every((n) => Number.isSafeInteger(n) && n >= 0) &&
    header.sequence > 0;
  if (!valid) throw new Error('its header is incomplete: it is corrupt');
  return header;
}

/** `String.prototype.isWellFormed` (Node 20 has it; TypeScript's ES2022 library does not declare it). */
function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** CRC-32 of `bytes` after `crc`; an empty array leaves it (zlib.crc32 of an empty ArrayBuffer's view answers 0). */
function checksum(bytes: Uint8Array, crc: number): number {
  return bytes.length === 0 ? crc : crc32(bytes, crc);
}

function bytesOf(array: Uint8Array | Int8Array | Uint32Array | Float64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function writeAll(fd: number, bytes: Uint8Array): number {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
  return bytes.length;
}
