/** The messages the main thread and the pool's workers exchange. */

/** Which export of which module a pool stage runs, and the params it is called with. */
export interface PoolTaskSpec {
  readonly moduleUrl: string;
  readonly exportName: string;
  readonly params: unknown;
}

/** Several items of one task travel to a worker in one message (a round trip costs ~50 µs). */
export interface WorkerBatch extends PoolTaskSpec {
  readonly items: unknown[];
  /** The batch's cell in WorkerData.progress, where the worker records the item it runs (NO_SLOT for a single item). */
  readonly progressSlot: number;
}

/** Given to every worker when the pool starts it. */
export interface WorkerData {
  /** BatchProgress cells: per batch in flight, the index of the item its worker is running. */
  readonly progress: Int32Array;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

/**
 * One item's outcome. `generated`: the export was a generator; `value` holds what it yielded, in
 * order, and `error` what it threw after them, if it did.
 */
export type CallResult =
  | { ok: true; value: unknown; generated?: false }
  | { ok: true; value: unknown[]; generated: true; error?: SerializedError }
  | { ok: false; error: SerializedError };

export interface WorkerReply {
  results: CallResult[];
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: "Error", message: String(error) };
}

export function deserializeError(error: SerializedError): Error {
  const revived = new Error(error.message);
  revived.name = error.name;
  if (error.stack) revived.stack = error.stack;
  return revived;
}
