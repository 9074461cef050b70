import type { PipeConfig } from "./config.js";
import { isGeneratorFunction } from "./generatedValues.js";
import { isAsyncGeneratorFunction, isPoolTask, isRemoteTask, type OpContext } from "./opTypes.js";
import type { WorkerPool } from "./pool/workerPool.js";
import type { RemoteExecutor } from "./remote/remoteExecutor.js";

/** Where a stage's calls run. "remote": worker processes through Redis. "none": the stage moves items without calling an op. */
export type ExecutorKind = "loop" | "pool" | "remote" | "none";

/** One call of a stage's op, wherever it runs; a promise unless the op ran inline. */
export type Call = (item: unknown, context: OpContext) => unknown;

export interface CallPlan {
  executor: ExecutorKind;
  call: Call;
  /** A generator function, async or not: one input, many outputs. */
  multiOutput: boolean;
}

/**
 * Turns a stage's op into a call on its executor, so stage code never knows which one runs it:
 * functions run on the event loop; poolTask specs go to the worker pool; remoteTask specs to
 * worker processes through Redis (the stage registers with the run's remote executor here).
 */
export function planCall(
  config: Pick<PipeConfig, "op" | "name" | "timeoutMs" | "retries">,
  pool: () => WorkerPool,
  remote: () => RemoteExecutor,
): CallPlan {
  const op = config.op;
  if (isRemoteTask(op)) {
    const executor = remote();
    executor.addStage(config.name, op, config.timeoutMs);
    const stage = config.name;
    return { executor: "remote", multiOutput: false, call: (item, context) => executor.submit(stage, item, context.signal) };
  }
  if (isPoolTask(op)) {
    // A moved buffer is gone from this thread, so a call that may be retried sends a copy.
    const transfer = config.retries === 0;
    // Only a call that can time out carries a signal: it travels alone, so aborting it kills only its worker.
    const withSignal = config.timeoutMs !== undefined;
    return {
      executor: "pool",
      multiOutput: false,
      call: (item, context) => pool().submit(op, item, transfer, withSignal ? context.signal : undefined),
    };
  }
  return { executor: "loop", multiOutput: isAsyncGeneratorFunction(op) || isGeneratorFunction(op), call: op as Call };
}
