/**
 * Typed-array columns that grow by an eighth, so the projection can take new nodes and edges after the
 * build without reallocating on every append, and that `trim` to their size at each compaction. An
 * eighth, not double: the projection compacts when its overlay reaches an eighth of its edges, so a
 * column grows about once between compactions, and the first write after a build of 10⁶ edges does not
 * reserve room for 10⁶ more.
 */

/** The fewest entries a column grows by. */
const GROWTH_MIN = 1024;

type TypedArray = Uint8Array | Int8Array | Uint32Array | Float64Array;
type TypedArrayConstructor<T extends TypedArray> = new (length: number) => T;

export class Column<T extends TypedArray> {
  private array: T;
  private readonly make: TypedArrayConstructor<T>;
  private readonly fill: number;

  constructor(make: TypedArrayConstructor<T>, capacity: number, fill = 0) {
    this.make = make;
    this.fill = fill;
    this.array = new make(capacity);
    if (fill !== 0) this.array.fill(fill);
  }

  /** The backing array; valid until the next `ensure` or `trim`. Read it in hot loops instead of calling get. */
  get values(): T {
    return this.array;
  }

  get byteLength(): number {
    return this.array.byteLength;
  }

  /** Makes room for index `size - 1`. */
  ensure(size: number): void {
    const length = this.array.length;
    if (size <= length) return;
    this.resize(Math.max(size, length + Math.max(GROWTH_MIN, length >>> 3)));
  }

  /** Makes room for `size` entries at once, at least doubling: for a bulk load (a build), trimmed after. */
  reserve(size: number): void {
    if (size > this.array.length) this.resize(Math.max(size, this.array.length * 2));
  }

  /** Drops the capacity beyond `size`. */
  trim(size: number): void {
    if (size < this.array.length) this.resize(size);
  }

  /** Takes `array` as the column's values (a snapshot's), its length as the capacity. */
  adopt(array: T): void {
    this.array = array;
  }

  private resize(capacity: number): void {
    const next = new this.make(capacity);
    if (this.fill !== 0 && capacity > this.array.length) next.fill(this.fill, this.array.length);
    next.set(capacity < this.array.length ? (this.array.subarray(0, capacity) as T) : this.array);
    this.array = next;
  }
}
