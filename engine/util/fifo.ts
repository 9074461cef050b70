const INITIAL_SLOTS = 8;

/**
 * A first-in first-out buffer on a ring that doubles when full: memory follows what it holds
 * (at most twice its peak), never a capacity it was promised, so a queue of capacity 100,000 or
 * an unbounded one costs nothing until items arrive. Taking an item releases its slot at once.
 */
export class Fifo<T> {
  private slots: (T | undefined)[] = new Array<T | undefined>(INITIAL_SLOTS);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.slots.length) this.grow();
    this.slots[(this.head + this.count) & (this.slots.length - 1)] = item;
    this.count++;
  }

  /** The oldest item; call only when length > 0. */
  shift(): T {
    const item = this.slots[this.head] as T;
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) & (this.slots.length - 1);
    this.count--;
    return item;
  }

  /** Drops every item at once (the ring goes back to its first size). */
  clear(): void {
    this.slots = new Array<T | undefined>(INITIAL_SLOTS);
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    // Sizes stay powers of two, so wrapping around is a mask.
    const larger = new Array<T | undefined>(this.slots.length * 2);
    for (let index = 0; index < this.count; index++) larger[index] = this.slots[(this.head + index) & (this.slots.length - 1)];
    this.slots = larger;
    this.head = 0;
  }
}
