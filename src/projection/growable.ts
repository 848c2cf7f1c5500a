/**
 * Typed-array columns that grow by doubling, so the projection can take new nodes and edges after the
 * build without reallocating on every append.
 */

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

  /** The backing array; valid until the next `ensure`. Read it in hot loops instead of calling get. */
  get values(): T {
    return this.array;
  }

  get byteLength(): number {
    return this.array.byteLength;
  }

  /** Makes room for index `size - 1`. */
  ensure(size: number): void {
    if (size <= this.array.length) return;
    let capacity = Math.max(16, this.array.length);
    while (capacity < size) capacity *= 2;
    const next = new this.make(capacity);
    if (this.fill !== 0) next.fill(this.fill);
    next.set(this.array);
    this.array = next;
  }
}
