/**
 * A set of string keys, each with the line it was first seen on, in typed arrays: 16 bytes a slot instead
 * of a JS string and a Map entry each, so that an import of millions of edges can find duplicates in
 * bounded memory. A key is held as a 96-bit hash; two distinct keys are taken for one only if all 96 bits
 * collide, which for 10 million keys has a probability below 10⁻¹⁵.
 */
import { fmix32 } from '../model/fmix32.js';
export class KeyTable {
  #mask: number;
  #h1: Uint32Array;
  #h2: Uint32Array;
  #h3: Uint32Array;
  /** The line of the key in a slot, 0 for an empty slot (lines start at 1). */
  #lines: Uint32Array;
  #size = 0;

  constructor(expected = 1024) {
    let capacity = 1024;
    while (capacity * 0.7 < expected) capacity *= 2;
    this.#mask = capacity - 1;
    this.#h1 = new Uint32Array(capacity);
    this.#h2 = new Uint32Array(capacity);
    this.#h3 = new Uint32Array(capacity);
    this.#lines = new Uint32Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Adds `key`, first seen on `line` (≥ 1).
   * @returns 0 when the key is new, else the line it was first seen on.
   */
  add(key: string, line: number): number {
    hash(key);
    const slot = this.#find(HASH[0]!, HASH[1]!, HASH[2]!);
    const first = this.#lines[slot]!;
    if (first !== 0) return first;
    this.#put(slot, HASH[0]!, HASH[1]!, HASH[2]!, line);
    if (this.#size > (this.#mask + 1) * 0.7) this.#grow();
    return 0;
  }

  /** The line `key` was first seen on, or 0. */
  lineOf(key: string): number {
    hash(key);
    return this.#lines[this.#find(HASH[0]!, HASH[1]!, HASH[2]!)]!;
  }

  /** The slot holding the hash, or the empty slot where it would go (linear probing). */
  #find(h1: number, h2: number, h3: number): number {
    for (let slot = h1 & this.#mask; ; slot = (slot + 1) & this.#mask) {
      if (this.#lines[slot] === 0) return slot;
      if (this.#h1[slot] === h1 && this.#h2[slot] === h2 && this.#h3[slot] === h3) return slot;
    }
  }

  #put(slot: number, h1: number, h2: number, h3: number, line: number): void {
    this.#h1[slot] = h1;
    this.#h2[slot] = h2;
    this.#h3[slot] = h3;
    this.#lines[slot] = line;
    this.#size++;
  }

  #grow(): void {
    const [h1, h2, h3, lines] = [this.#h1, this.#h2, this.#h3, this.#lines];
    const capacity = (this.#mask + 1) * 2;
    this.#mask = capacity - 1;
    this.#h1 = new Uint32Array(capacity);
    this.#h2 = new Uint32Array(capacity);
    this.#h3 = new Uint32Array(capacity);
    this.#lines = new Uint32Array(capacity);
    this.#size = 0;
    for (let old = 0; old < lines.length; old++) {
      if (lines[old] !== 0) this.#put(this.#find(h1[old]!, h2[old]!, h3[old]!), h1[old]!, h2[old]!, h3[old]!, lines[old]!);
    }
  }
}

/** The last hash computed, to avoid allocating one array per key. */
const HASH = new Uint32Array(3);

/** Three independent 32-bit hashes of a string's UTF-16 code units (FNV-1a-like mixing, murmur finalizer). */
function hash(key: string): void {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  let c = 0x9e3779b9;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    c = Math.imul((c ^ code) + (c << 5), 0x27d4eb2d);
  }
  HASH[0] = fmix32(a);
  HASH[1] = fmix32(b);
  HASH[2] = fmix32(c ^ a);
}
