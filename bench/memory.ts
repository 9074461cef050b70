/**
 * Memory: bounded queues should make memory independent of how many items pass. Each size runs
 * in a fresh child process (memoryChild.ts), so no run inherits another's heap or V8's sizing.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { interleave, median, pairedRatios, type Variant } from "./measure.js";
import { MEMORY_WORKLOAD, type MemoryRun } from "./memoryWorkload.js";
import { figure, formatValue, measurement, type Figure, type Measurement, type SuiteResult } from "./report.js";
import type { SuiteContext } from "./suite.js";

const CHILD = fileURLToPath(new URL("./memoryChild.js", import.meta.url));
/**
 * V8 grows its young generation (semi-spaces) during a long busy run, which alone adds ~15 MiB
 * of RSS at 3M items while the heap retained after a full GC stays flat. Every child runs with
 * the same fixed semi-space size, so peak RSS compares what the engine holds, not V8's sizing.
 */
const V8_FLAGS = ["--min-semi-space-size=16", "--max-semi-space-size=16"];
export const MEMORY_TARGET = { kind: "atMost", value: 1.1 } as const;

function runChild(items: number): Promise<MemoryRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...V8_FLAGS, CHILD, String(items)], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`memory child (${items} items) exited with code ${code}`));
      try {
        const run = JSON.parse(stdout) as MemoryRun;
        if (run.delivered !== items) throw new Error(`memory child delivered ${run.delivered} items, expected ${items}`);
        resolve(run);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

function label(items: number): string {
  return items >= 1e6 ? `${items / 1e6}M items` : `${items / 1e3}k items`;
}

export async function runMemory(context: SuiteContext): Promise<SuiteResult> {
  const small = 100_000;
  const large = context.quick ? 1_000_000 : 3_000_000;
  // A middle size in the full run shows whether the peaks keep growing with the item count or level off.
  const sizes = context.quick ? [small, large] : [small, 1_000_000, large];
  const rounds = context.quick ? 1 : 3;
  const variants: Variant<MemoryRun>[] = sizes.map((items) => ({ name: label(items), run: () => runChild(items) }));
  const results = await interleave(variants, rounds, {
    afterRun: ({ round, name, result }) =>
      context.progress(
        `[memory] round ${round}/${rounds}: ${name} maxRSS ${formatValue(result.maxRssBytes, "bytes")}, peak heapUsed ${formatValue(result.peakHeapUsedBytes, "bytes")} in ${(result.elapsedMs / 1000).toFixed(1)} s`,
      ),
  });

  const measurements: Measurement[] = [];
  const starved: string[] = [];
  const byItems = new Map<number, { rss: Measurement; heap: Measurement; retained: Measurement }>();
  for (const items of sizes) {
    const runs = results.get(label(items))!;
    const latencies = [0, 1, 2].map((stage) => (median(runs.map((run) => run.meanLatencyMs[stage])) * 1000).toFixed(1)).join(" / ");
    const seconds = median(runs.map((run) => run.elapsedMs)) / 1000;
    const samples = median(runs.map((run) => run.samples));
    const detail = `${seconds.toFixed(1)} s, ≤${Math.max(...runs.map((run) => run.peakQueuedItems))} queued, stage latency ${latencies} µs, 50 ms sampler fired ${samples}×`;
    // A sampler that barely fired saw none of the peak: say so rather than print a hollow figure.
    if (samples < (seconds * 1000) / 50 / 2) starved.push(label(items));
    const rss = measurement(
      label(items),
      "peak RSS (maxRSS)",
      "bytes",
      runs.map((run) => run.maxRssBytes),
      detail,
    );
    const heap = measurement(
      label(items),
      "peak heapUsed",
      "bytes",
      runs.map((run) => run.peakHeapUsedBytes),
    );
    const retained = measurement(
      label(items),
      "heapUsed after full GC",
      "bytes",
      runs.map((run) => run.retainedHeapBytes),
    );
    measurements.push(rss, heap, retained);
    byItems.set(items, { rss, heap, retained });
  }

  const smallRun = byItems.get(small)!;
  const largeRun = byItems.get(large)!;
  const figures: Figure[] = [
    figure(
      {
        id: "memory.rss",
        suite: "memory",
        label: `memory: peak RSS ${label(large)} vs ${label(small)}`,
        unit: "bytes",
        value: largeRun.rss.median,
        peer: { name: label(small), value: smallRun.rss.median },
        target: MEMORY_TARGET,
      },
      pairedRatios(largeRun.rss.samples, smallRun.rss.samples),
    ),
    figure(
      {
        id: "memory.heap",
        suite: "memory",
        label: `memory: peak heapUsed ${label(large)} vs ${label(small)}`,
        unit: "bytes",
        value: largeRun.heap.median,
        peer: { name: label(small), value: smallRun.heap.median },
        target: null,
      },
      pairedRatios(largeRun.heap.samples, smallRun.heap.samples),
    ),
    figure(
      {
        id: "memory.retained",
        suite: "memory",
        label: `memory: heap retained after GC ${label(large)} vs ${label(small)}`,
        unit: "bytes",
        value: largeRun.retained.median,
        peer: { name: label(small), value: smallRun.retained.median },
        target: null,
      },
      pairedRatios(largeRun.retained.samples, smallRun.retained.samples),
    ),
  ];
  if (sizes.includes(1_000_000) && large !== 1_000_000) {
    const middle = byItems.get(1_000_000)!;
    figures.push(
      figure(
        {
          id: "memory.rssPlateau",
          suite: "memory",
          label: `memory: peak RSS ${label(large)} vs 1M items`,
          unit: "bytes",
          value: largeRun.rss.median,
          peer: { name: "1M items", value: middle.rss.median },
          target: null,
        },
        pairedRatios(largeRun.rss.samples, middle.rss.samples),
      ),
    );
  }
  return {
    suite: "memory",
    title: `Memory: ${MEMORY_WORKLOAD}; one fresh process per run`,
    params: { sizes: sizes.map(label).join(" / "), rounds },
    measurements,
    figures,
    notes: [
      "peak heapUsed is sampled every 50 ms together with pipeline.stats() queue depths; maxRSS includes the runtime's own ~50 MiB",
      "peaks follow V8's GC schedule (it collects later when the CPU is busy); the heap retained after a full GC is what would show a leak",
      `every child runs with ${V8_FLAGS.join(" ")}: without it V8 grows its young generation late in a long run (~15 MiB of RSS at 3M items)`,
      ...starved.map(
        (name) =>
          `${name}: the 50 ms sampler fired less than half as often as it should: the event loop was starved, the heap peak may be missed`,
      ),
    ],
  };
}
