/**
 * Runs a catalog op on a remote worker's thread: the worker builds the op from its own catalog
 * (the job names it and its params) and calls it here, off the worker's event loop, whether the
 * op is synchronous (a pool task) or asynchronous (it is awaited on this thread).
 */
import { stageOp } from "../ops/create.js";
import { isPoolTask, type LoopOp, type Op } from "../opTypes.js";

interface CatalogCall {
  op: string;
  params: Record<string, unknown>;
  root: string;
}

type TaskFunction = (item: unknown, params: unknown) => unknown;

const built = new Map<string, Promise<(item: unknown) => unknown>>();
// Remote calls are not cancelled on the worker (a running call finishes, its result is dropped).
const neverAborted = new AbortController().signal;

function build(call: CatalogCall): Promise<(item: unknown) => unknown> {
  const key = JSON.stringify(call);
  let fn = built.get(key);
  if (!fn) {
    fn = (async () => {
      const op: Op<unknown, unknown> = stageOp(call.op, call.params, { baseDir: call.root });
      if (isPoolTask(op)) {
        const module = (await import(op.moduleUrl)) as Record<string, TaskFunction>;
        const exported = module[op.exportName];
        return (item: unknown) => exported(item, op.params);
      }
      if (typeof op !== "function") throw new Error(`catalog op '${call.op}' cannot run on a remote worker`);
      const loopOp = op as LoopOp<unknown, unknown>;
      return (item: unknown) => loopOp(item, { signal: neverAborted, stage: call.op });
    })();
    built.set(key, fn);
    fn.catch(() => built.delete(key));
  }
  return fn;
}

export async function callCatalogOp(item: unknown, call: CatalogCall): Promise<unknown> {
  const fn = await build(call);
  return await fn(item);
}
