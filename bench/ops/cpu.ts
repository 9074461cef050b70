/**
 * Pool ops for the engine's poolTask: each export is called in a worker as `fn(item, params)`.
 * The raw-piscina workers (piscinaSpin.ts, piscinaNoop.ts) call these same functions.
 */

export interface SpinParams {
  /** Nominal duration of one call. */
  ms: number;
  /** How many kernel iterations take a millisecond here (calibrateSpin), so every call does the same work. */
  iterationsPerMs: number;
}

/**
 * A fixed amount of CPU work rather than "spin until the clock says 1 ms": a clock-bounded spin
 * takes 1 ms of wall time even when its thread is starved of a core, which would hide exactly
 * the contention the thread-scaling figure is meant to show.
 */
export function spinIterations(iterations: number, seed: number): number {
  let x = (seed | 0) ^ 0x9e3779b9;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  // Returned so the JIT cannot drop the loop.
  return x >>> 0;
}

/** ~params.ms of synchronous CPU work. */
export function spin(item: number, params: SpinParams): number {
  return spinIterations(Math.round(params.ms * params.iterationsPerMs), item);
}

/** Nothing at all: what remains is the cost of getting an item to a worker and back. */
export function noop(item: number): number {
  return item;
}
