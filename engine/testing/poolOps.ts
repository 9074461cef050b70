/** Pool ops for the engine's tests; built to dist/engine/testing/poolOps.js, since workers load JavaScript. */

export interface SpinParams {
  ms: number;
  /** [current, max] calls running at once, shared by every worker. */
  gauge?: Int32Array;
}

/** Busy-waits `ms` (a synchronous CPU stand-in), tracking how many run at once. */
export function spin(item: number, params: SpinParams): number {
  const gauge = params.gauge;
  if (gauge) {
    const now = Atomics.add(gauge, 0, 1) + 1;
    for (let max = Atomics.load(gauge, 1); now > max; max = Atomics.load(gauge, 1)) {
      if (Atomics.compareExchange(gauge, 1, max, now) === max) break;
    }
  }
  const until = performance.now() + params.ms;
  while (performance.now() < until) {
    // busy
  }
  if (gauge) Atomics.sub(gauge, 0, 1);
  return item;
}

export async function asyncDouble(item: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return item * 2;
}

export function identity(item: unknown): unknown {
  return item;
}

export function failOdd(item: number): number {
  if (item % 2 === 1) throw new RangeError(`odd item ${item}`);
  return item;
}

/** Describes the buffer it received, and returns a fresh one it keeps a reference to. */
let lastReturned: ArrayBuffer | undefined;
export function bufferRoundTrip(item: ArrayBuffer): { received: number; previousReturnedLength: number | null; out: ArrayBuffer } {
  const previousReturnedLength = lastReturned ? lastReturned.byteLength : null;
  const out = new ArrayBuffer(1024);
  lastReturned = out;
  return { received: item.byteLength, previousReturnedLength, out };
}

/** Ends its worker thread for the item "exit"; passes others through. */
export function exitOn(item: string): string {
  if (item === "exit") process.exit(3);
  return item;
}

/** exitOn after an await: an async op's item ends the thread while the batch waits on it. */
export async function asyncExitOn(item: string): Promise<string> {
  await new Promise((resolve) => setImmediate(resolve));
  return exitOn(item);
}

/** Ends its worker thread for a buffer of `exitLength` bytes; returns the byte length of others. */
export function exitOnBufferOf(item: ArrayBuffer, params: { exitLength: number }): number {
  if (item.byteLength === params.exitLength) process.exit(3);
  return item.byteLength;
}

/** Allocates until the worker's resourceLimits stop it, for the item "hog". */
export function hogOn(item: string): string {
  if (item === "hog") {
    const hoard: number[][] = [];
    for (;;) hoard.push(new Array(1_000_000).fill(1));
  }
  return item;
}

/** A generator export: `item` copies of item × 10 + i; throws after them when item is negative. */
export function* repeatTimes(item: number): Generator<number> {
  const count = Math.abs(item);
  for (let i = 0; i < count; i++) yield item * 10 + (item < 0 ? -i : i);
  if (item < 0) throw new RangeError(`negative ${item}`);
}

/** An async generator export, for the same on the pool. */
export async function* asyncRepeatTimes(item: number): AsyncGenerator<number> {
  for (const value of repeatTimes(item)) {
    await Promise.resolve();
    yield value;
  }
}
