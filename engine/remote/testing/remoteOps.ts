/** Ops for the remote stage tests; built to dist/engine/remote/testing/remoteOps.js, since workers load JavaScript. */

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Holds its thread `ms`, then passes the item on with the worker process that ran it. */
export function hold(item: number, params: { ms: number }): { item: number; pid: number } {
  Atomics.wait(pause, 0, 0, params.ms);
  return { item, pid: process.pid };
}

export function tagged(item: number): { item: number; pid: number } {
  return { item, pid: process.pid };
}

/** Throws an error of a named class, to check that name and message survive the trip. */
export function failNamed(item: number): number {
  if (item % 2 === 1) {
    const error = new RangeError(`odd item ${item}`);
    error.name = "OddItemError";
    throw error;
  }
  return item;
}

/** Returns the bytes reversed, as a Uint8Array. */
export function reverseBytes(item: Uint8Array): Uint8Array {
  return Uint8Array.from(item).reverse();
}
