/**
 * Node ids interned to indices `0 … size-1`, both ways, in one structure: the ids themselves, packed into
 * strings of `CHUNK_IDS` ids each, with their end offsets; and an open-addressing hash table of indices
 * (a `Uint32Array`, at most half full) that finds an id's index by hashing it and comparing in place.
 * Measured at 2·10⁶ ids, a `Map<string, number>` beside a `string[]` costs ~4× the bytes, and a Map holds
 * at most 2²⁴ entries.
 *
 * Ids added since the last `seal()` wait in a plain array; sealing packs them (the projection seals when
 * it compacts). A bulk load `append`s ids it knows to be distinct without looking them up, and the hash
 * table is built once, at the next seal or lookup, which also finds any id appended twice.
 */
import { invariant } from '../model/errors.js';

/** Ids per packed string: small enough that no string nears V8's length limit, large enough to be few. */
export const CHUNK_IDS = 1 << 16;
const CHUNK_SHIFT = 16;
const CHUNK_MASK = CHUNK_IDS - 1;

/**
 * What a snapshot keeps of a table: the packed strings, each id's end offset in its string, and the hash
 * table (optional: rebuilt when absent, which costs ~0.2 µs an id).
 */
export interface PackedIds {
  readonly chunks: readonly string[];
  readonly ends: Uint32Array;
  readonly slots?: Uint32Array;
}

/** Ids looked up again when a table is taken with its hash table: a wrong table fails at once. */
const SPOT_CHECKS = 1024;

export class IdTable {
  /** Ids `0 … sealed-1`, CHUNK_IDS to a string (the last one may hold fewer). */
  private chunks: string[] = [];
  /** For each sealed id, where it ends in its chunk; it starts where the one before ends (0 first in a chunk). */
  private ends: Uint32Array = new Uint32Array(0);
  private sealed = 0;
  /** Ids `sealed …`, in index order. */
  private pending: string[] = [];
  /** index + 1 per slot, 0 for an empty slot; its length is a power of two. */
  private slots: Uint32Array = new Uint32Array(16);
  /** Ids `0 … indexed-1` are in `slots`; appended ones after them are not yet. */
  private indexed = 0;

  /**
   * A table of packed ids (a snapshot's), with their hash table when given, after checking that it has
   * the right size, holds every index once, and finds a sample of ids (a table made by another hash
   * function would not).
   * @throws IdGraphError INTERNAL when an offset does not fit its chunk, an id is there twice, or the hash
   *   table is not the ids'.
   */
  static fromPacked(packed: PackedIds): IdTable {
    const table = new IdTable();
    invariant(packed.chunks.length === Math.ceil(packed.ends.length / CHUNK_IDS), 'packed ids: chunk count does not match id count');
    table.chunks = [...packed.chunks];
    table.ends = packed.ends;
    table.sealed = packed.ends.length;
    for (let n = 0; n < table.sealed; n++) {
      const end = table.ends[n]!;
      if (end > table.chunks[n >>> CHUNK_SHIFT]!.length || end < table.startOf(n)) invariant(false, `packed ids: id ${n} has no valid extent`);
    }
    if (packed.slots === undefined) {
      table.index();
      return table;
    }
    const slots = packed.slots;
    invariant(slots.length === capacityFor(table.sealed), `packed ids: ${slots.length} hash slots for ${table.sealed} ids`);
    const seen = new Uint8Array(table.sealed);
    for (let slot = 0; slot < slots.length; slot++) {
      const entry = slots[slot]!;
      if (entry === 0) continue;
      if (entry > table.sealed || seen[entry - 1] !== 0) invariant(false, `packed ids: hash slot ${slot} holds ${entry}`);
      seen[entry - 1] = 1;
    }
    invariant(seen.indexOf(0) < 0, 'packed ids: the hash table misses ids');
    table.slots = slots;
    table.indexed = table.sealed;
    const step = Math.max(1, Math.floor(table.sealed / SPOT_CHECKS));
    for (let n = 0; n < table.sealed; n += step) if (table.get(table.id(n)) !== n) invariant(false, `packed ids: the hash table does not find id ${n}`);
    return table;
  }

  get size(): number {
    return this.sealed + this.pending.length;
  }

  /** Bytes held by typed arrays (the ids' characters are in strings, counted by `characters`). */
  get byteLength(): number {
    return this.ends.byteLength + this.slots.byteLength;
  }

  /** UTF-16 code units held (V8 stores a string of Latin-1 characters in one byte each). */
  get characters(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.length, 0) + this.pending.reduce((sum, id) => sum + id.length, 0);
  }

  /** The index of `id`, or undefined. */
  get(id: string): number | undefined {
    this.index();
    const mask = this.slots.length - 1;
    for (let slot = hashOf(id, 0, id.length) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return undefined;
      if (this.holds(entry - 1, id)) return entry - 1;
    }
  }

  /** The index of `id`, added as the next index (`size` before the call) when it is not in the table yet. */
  intern(id: string): number {
    this.index();
    const n = this.size;
    if ((n + 1) * 2 > this.slots.length) this.rehash(capacityFor(n + 1));
    const mask = this.slots.length - 1;
    let slot = hashOf(id, 0, id.length) & mask;
    for (let entry = this.slots[slot]!; entry !== 0; entry = this.slots[slot]!) {
      if (this.holds(entry - 1, id)) return entry - 1;
      slot = (slot + 1) & mask;
    }
    this.slots[slot] = n + 1;
    this.pending.push(id);
    this.indexed = n + 1;
    return n;
  }

  /** Adds `id`, which the caller knows is in neither the table nor an earlier append, as the next index. */
  append(id: string): number {
    this.pending.push(id);
    return this.size - 1;
  }

  /** The id at index `n`. */
  id(n: number): string {
    if (n >= this.sealed) {
      const id = this.pending[n - this.sealed];
      if (id === undefined) invariant(false, `node index ${n} out of range`);
      return id;
    }
    return this.chunks[n >>> CHUNK_SHIFT]!.slice(this.startOf(n), this.ends[n]);
  }

  /**
   * Packs the pending ids into the chunks, leaving no slack in `ends`, and indexes any appended ones.
   * @throws IdGraphError INTERNAL when an id was appended twice.
   */
  seal(): void {
    if (this.pending.length > 0) {
      const size = this.size;
      const ends = new Uint32Array(size);
      ends.set(this.ends);
      for (let first = this.sealed; first < size; first = (first | CHUNK_MASK) + 1) {
        const chunk = first >>> CHUNK_SHIFT;
        const last = Math.min(size, (chunk + 1) << CHUNK_SHIFT);
        const added = this.pending.slice(first - this.sealed, last - this.sealed);
        let end = first & CHUNK_MASK ? ends[first - 1]! : 0;
        for (let n = first; n < last; n++) ends[n] = end += added[n - first]!.length;
        // join, not +: one flat string, where + would make a rope that every lookup walks.
        this.chunks[chunk] = [this.chunks[chunk] ?? '', ...added].join('');
      }
      this.ends = ends;
      this.sealed = size;
      this.pending = [];
    }
    this.index();
  }

  /** The packed ids and their hash table, for a snapshot; seal first. */
  packed(): PackedIds {
    invariant(this.pending.length === 0 && this.indexed === this.sealed, 'packed() needs a sealed id table');
    return { chunks: this.chunks, ends: this.ends, slots: this.slots };
  }

  private startOf(n: number): number {
    return n & CHUNK_MASK ? this.ends[n - 1]! : 0;
  }

  private holds(n: number, id: string): boolean {
    if (n >= this.sealed) return this.pending[n - this.sealed] === id;
    const start = this.startOf(n);
    return this.ends[n]! - start === id.length && this.chunks[n >>> CHUNK_SHIFT]!.startsWith(id, start);
  }

  /** Puts the ids appended since the table was last complete into it, growing it first if need be. */
  private index(): void {
    const size = this.size;
    if (this.indexed === size) return;
    if (size * 2 > this.slots.length) {
      this.rehash(capacityFor(size));
    } else {
      for (let n = this.indexed; n < size; n++) this.placeNew(n);
      this.indexed = size;
    }
  }

  /** Places id `n`, checking on the way that no slot holds the same id. */
  private placeNew(n: number): void {
    const sealed = n < this.sealed;
    const chunk = sealed ? this.chunks[n >>> CHUNK_SHIFT]! : this.pending[n - this.sealed]!;
    const start = sealed ? this.startOf(n) : 0;
    const end = sealed ? this.ends[n]! : chunk.length;
    const mask = this.slots.length - 1;
    let slot = hashOf(chunk, start, end) & mask;
    for (let entry = this.slots[slot]!; entry !== 0; entry = this.slots[slot]!) {
      // Only an id of the same length can be the same id: slice it out only then.
      if (this.lengthOf(entry - 1) === end - start && this.holds(entry - 1, chunk.slice(start, end))) {
        invariant(false, `id "${chunk.slice(start, end)}" is there twice, at ${entry - 1} and ${n}`);
      }
      slot = (slot + 1) & mask;
    }
    this.slots[slot] = n + 1;
  }

  private lengthOf(n: number): number {
    return n < this.sealed ? this.ends[n]! - this.startOf(n) : this.pending[n - this.sealed]!.length;
  }

  /** A new table of `capacity` slots holding every id (those not indexed yet checked for repeats). */
  private rehash(capacity: number): void {
    const known = this.indexed;
    this.slots = new Uint32Array(capacity);
    const mask = capacity - 1;
    for (let n = 0; n < known; n++) {
      const hash = n < this.sealed ? hashOf(this.chunks[n >>> CHUNK_SHIFT]!, this.startOf(n), this.ends[n]!) : hashOf(this.pending[n - this.sealed]!, 0, this.pending[n - this.sealed]!.length);
      let slot = hash & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = n + 1;
    }
    const size = this.size;
    for (let n = known; n < size; n++) this.placeNew(n);
    this.indexed = size;
  }
}

/** The smallest power of two that holds `size` entries at most half full. */
function capacityFor(size: number): number {
  let capacity = 16;
  while (capacity < size * 2) capacity *= 2;
  return capacity;
}

/**
 * FNV-1a over the UTF-16 code units of `text[start … end)`, then MurmurHash3's finalizer: FNV's low bits,
 * which pick the slot, cluster for ids that differ in their last digits (measured: lookups 10× slower
 * at 2·10⁶ ids without it).
 */
export function hashOf(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}
