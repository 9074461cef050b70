/**
 * A fixed-capacity ring of numbers whose chronological contents are always one contiguous
 * view: every value is written twice, at `i` and at `i + capacity`, so the window that starts
 * at the oldest value never wraps. Charts read `window()` at 10 Hz without copying anything,
 * and memory is fixed at construction however long a run goes on.
 */
export class MirroredRing {
  private readonly values: Float64Array;
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.values = new Float64Array(capacity * 2);
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    this.values[this.next] = value;
    this.values[this.next + this.capacity] = value;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** The newest value, or undefined while empty. */
  latest(): number | undefined {
    return this.count === 0 ? undefined : this.values[(this.next + this.capacity - 1) % this.capacity];
  }

  /** The last `n` values (all of them by default), oldest first: a view, not a copy. */
  window(n = this.count): Float64Array {
    const size = Math.max(0, Math.min(n, this.count));
    const end = this.next === 0 && this.count > 0 ? this.capacity : this.next;
    // `end` indexes one past the newest value; the mirror half makes [end - size, end) valid
    // even when it reaches back past index 0.
    const start = end - size + (end - size < 0 ? this.capacity : 0);
    return this.values.subarray(start, start + size);
  }

  clear(): void {
    this.next = 0;
    this.count = 0;
  }
}
