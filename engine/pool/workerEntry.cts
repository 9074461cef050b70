/**
 * The file piscina loads in each worker thread. It is CommonJS on purpose: piscina loads its
 * worker file with require(), and on Node 20 require() of an ES module that is still loading when
 * the pool terminates the thread aborts the whole process (a V8 assertion in
 * CreateRequiredModuleFacade). A CommonJS file has no such step; the ES module that runs the
 * batches is brought in with import(), whose loading a termination simply cancels.
 */
import type { WorkerBatch } from "./messages.js";

type RunBatch = (batch: WorkerBatch) => Promise<unknown>;

const loading: Promise<{ default: RunBatch }> = import("./worker.js");
// Terminated before it loaded: nothing waits for it, and no unhandled rejection may surface.
loading.catch(() => undefined);

async function runBatch(batch: WorkerBatch): Promise<unknown> {
  const worker = await loading;
  return worker.default(batch);
}

export = runBatch;
