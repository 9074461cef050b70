/** A pool-op module that ends every worker thread that loads it (with code 7) before any call runs. */
import { isMainThread } from "node:worker_threads";

if (!isMainThread) process.exit(7);

export function neverRuns(item: unknown): unknown {
  return item;
}
