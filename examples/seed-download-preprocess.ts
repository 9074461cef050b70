/**
 * The seed's example: url generator → download (async, concurrency 4) → preprocess (sync CPU on
 * the worker pool, concurrency 2, input order) → sink 3, numThreads 3, with simulated latencies.
 * Run: node dist/examples/seed-download-preprocess.js [count]
 */
import { setTimeout } from "node:timers/promises";
import { PipelineBuilder, formatSummary, poolTask, type OpContext } from "pipeline-studio/engine";
import type { preprocess } from "./ops/preprocess.js";

function* urlGenerator(count: number) {
  for (let i = 0; i < count; i++) yield `https://example.test/images/${i}.jpg`;
}

/** Simulated network I/O: ~20 ms of latency, then 64 KB of "image" bytes. */
async function download(url: string, { signal }: OpContext) {
  await setTimeout(15 + Math.random() * 10, undefined, { signal });
  const bytes = new Uint8Array(64 * 1024);
  crypto.getRandomValues(bytes);
  return { url, bytes: bytes.buffer };
}

const count = Number(process.argv[2] ?? 100);
const pipeline = new PipelineBuilder()
  .addSource(urlGenerator(count))
  .pipe(download, { concurrency: 4 })
  .pipe(poolTask<typeof preprocess>(new URL("./ops/preprocess.js", import.meta.url), "preprocess", { size: 224, cpuMs: 8 }), {
    concurrency: 2,
    outputOrder: "input",
  })
  .addSink(3)
  .build({ numThreads: 3 });

let delivered = 0;
for await (const image of pipeline) {
  delivered++;
  if (delivered % 25 === 0) console.log(`${delivered} images, last ${image.url} (checksum ${image.checksum})`);
}
console.log(formatSummary(pipeline.stats()));
