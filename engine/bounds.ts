/**
 * The sizes a pipeline may ask for: the file schema, the engine API, the live knobs, the CLI and
 * the app's inspector all check against these. Past them a setting costs threads or memory no
 * machine has (a thread per numThreads, a call in flight per unit of concurrency) or overflows a
 * timer. Plain constants, no imports: the renderer reads them too.
 */

export interface SizeBound {
  readonly min: number;
  readonly max: number;
}

export const SIZE_BOUNDS = {
  concurrency: { min: 1, max: 1024 },
  numThreads: { min: 1, max: 128 },
  queueSize: { min: 1, max: 100_000 },
  /** 0 is an unbounded buffer (SPDL's add_sink(0)); no queue preallocates its capacity. */
  sinkBufferSize: { min: 0, max: 100_000 },
  aggregateSize: { min: 1, max: 1_000_000 },
  retries: { min: 0, max: 100 },
} as const satisfies Record<string, SizeBound>;

/** The longest a Node timer waits (2^31−1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The deepest nesting of arrays and objects a pipeline file may hold (the file's own object is level 1). */
export const MAX_NESTING = 1000;

/** Worker processes the app or `run --local-workers N` may start on this machine for a run's remote stages. */
export const LOCAL_WORKERS_BOUND: SizeBound = { min: 1, max: 64 };

/** The largest pipeline file, run report or list the app reads (or takes uploaded): a pipeline file is a few kilobytes. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
