/**
 * Which item of each batch in flight its worker is running, kept in shared memory so that it is
 * still readable after the worker died: a death can then be pinned on the one item that caused it.
 * The main thread gives each batch of two or more items a slot; the worker writes the index of the
 * item it starts into the slot, and `items.length` once every item ran.
 */

/** The worker has not started the batch's first item (it died loading the task's module, say). */
export const NOT_STARTED = -1;
/** A batch of one item needs no slot: if its worker dies, that item is the cause. */
export const NO_SLOT = -1;

/** The worker's side: records that the item at `index` of the batch in `slot` starts now. */
export function markRunning(cells: Int32Array, slot: number, index: number): void {
  Atomics.store(cells, slot, index);
}

/** The main thread's side: one slot per thread, handed out to batches while they are in flight. */
export class BatchProgress {
  /** Shared with every worker (piscina's workerData). */
  readonly cells: Int32Array;
  private readonly free: number[];

  constructor(slots: number) {
    this.cells = new Int32Array(new SharedArrayBuffer(slots * Int32Array.BYTES_PER_ELEMENT));
    this.free = Array.from({ length: slots }, (_, index) => slots - 1 - index);
  }

  /** A slot for a batch about to be sent. The pool sends at most one batch per thread, so one is always free. */
  claim(): number {
    const slot = this.free.pop();
    if (slot === undefined) throw new Error("BatchProgress: more batches in flight than threads");
    Atomics.store(this.cells, slot, NOT_STARTED);
    return slot;
  }

  /** Frees the slot of a batch that came back (or whose worker died); returns the index last recorded in it. */
  release(slot: number): number {
    this.free.push(slot);
    return Atomics.load(this.cells, slot);
  }
}
