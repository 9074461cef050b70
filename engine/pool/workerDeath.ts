/** What a worker's death means for the calls it carried. */
import type { PoolTaskSpec } from "./messages.js";

export interface WorkerFailure {
  error: Error;
  /** The worker died (process.exit, out of memory) and piscina replaces it; other failures leave it alive. */
  workerDied: boolean;
}

/** Names the cause of a failed piscina task: an exit code, the resource limits, or the error itself. */
export function describeWorkerFailure(error: unknown, spec: PoolTaskSpec): WorkerFailure {
  const cause = error instanceof Error ? error : new Error(String(error));
  const code = (cause as { code?: string }).code;
  const where = `${spec.exportName} (${spec.moduleUrl})`;
  if (code === "ERR_WORKER_OUT_OF_MEMORY") {
    return {
      error: new Error(`The worker running ${where} ran out of memory (resourceLimits) and was replaced`, { cause }),
      workerDied: true,
    };
  }
  const exit = /worker exited with code: (-?\d+)/.exec(cause.message);
  if (exit) {
    return { error: new Error(`The worker running ${where} exited with code ${exit[1]} and was replaced`, { cause }), workerDied: true };
  }
  if (/terminated/i.test(cause.message) && cause.name !== "AbortError") {
    return { error: new Error(`The worker running ${where} exited (${cause.message}) and was replaced`, { cause }), workerDied: true };
  }
  return { error: cause, workerDied: false };
}

/**
 * Splits the calls of a batch whose worker died, given the index of the item the worker was
 * running: that call caused the death and fails; the ones before it (their results died with the
 * worker) and after it (never ran) are sent again. An index outside the batch (the worker died
 * loading the module, or sending the results) blames no call.
 */
export function splitDeadBatch<T>(calls: readonly T[], running: number): { culprit: T | undefined; resend: T[] } {
  const culprit = running >= 0 && running < calls.length ? calls[running] : undefined;
  return { culprit, resend: calls.filter((call) => call !== culprit) };
}
