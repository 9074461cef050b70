/**
 * One memory run in a process of its own (spawned by memory.ts), so no run inherits another's
 * heap: `node dist/bench/memoryChild.js <items>` prints one JSON line (a MemoryRun) on stdout.
 */
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { buildMemoryPipeline, type MemoryRun } from "./memoryWorkload.js";

/** A full GC; node runs without --expose-gc, so the flag is set now and `gc` read from a fresh context. */
function fullGc(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

async function main(items: number): Promise<MemoryRun> {
  const baselineRssBytes = process.memoryUsage.rss();
  const pipeline = buildMemoryPipeline(items);
  let peakHeapUsedBytes = 0;
  let peakQueuedItems = 0;
  let samples = 0;
  const sample = (): void => {
    peakHeapUsedBytes = Math.max(peakHeapUsedBytes, process.memoryUsage().heapUsed);
    const queued = pipeline.stats().queues.reduce((sum, queue) => sum + queue.depth, 0);
    peakQueuedItems = Math.max(peakQueuedItems, queued);
  };
  const sampler = setInterval(() => {
    samples++;
    sample();
  }, 50);
  const startedAt = performance.now();
  let delivered = 0;
  for await (const _ of pipeline) delivered++;
  const elapsedMs = performance.now() - startedAt;
  clearInterval(sampler);
  sample();
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  fullGc();
  const retainedHeapBytes = process.memoryUsage().heapUsed;
  return {
    items,
    delivered,
    elapsedMs,
    maxRssBytes,
    retainedHeapBytes,
    baselineRssBytes,
    peakHeapUsedBytes,
    peakQueuedItems,
    meanLatencyMs: pipeline
      .stats()
      .stages.filter((stage) => stage.kind === "pipe")
      .map((stage) => stage.latencyMs.meanMs),
    samples,
  };
}

const items = Number(process.argv[2]);
if (!Number.isInteger(items) || items < 1) {
  process.stderr.write("usage: node dist/bench/memoryChild.js <items>\n");
  process.exitCode = 2;
} else {
  main(items).then(
    (run) => process.stdout.write(`${JSON.stringify(run)}\n`),
    (error: unknown) => {
      process.stderr.write(`memory run failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
