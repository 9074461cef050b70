/**
 * Stats cost: the no-op pipeline at full speed with 10 Hz snapshots against the same pipeline
 * with none. Throughput alone cannot resolve 3% on a machine whose runs vary by ±30%, so the
 * time spent inside pipeline.stats() is also measured directly; and snapshots are counted, so a
 * timer starved by the pipeline cannot pass as "free".
 */
import { performance } from "node:perf_hooks";
import { PipelineBuilder } from "../engine/index.js";
import { assertCount, interleave, median, pairedRatios, rate, timed, type Variant } from "./measure.js";
import { NOOP_STAGES } from "./noop.js";
import { figure, formatValue, measurement, type SuiteResult } from "./report.js";
import { range } from "./source.js";
import type { SuiteContext } from "./suite.js";

const INTERVAL_MS = 100;
/** At most 3% slower: with-stats throughput ≥ 0.97 × without. */
export const STATS_TARGET = { kind: "atLeast", value: 0.97 } as const;

interface StatsRun {
  rate: number;
  elapsedMs: number;
  cpuShare: number;
  snapshots: number;
  /** Time spent inside pipeline.stats() during the run. */
  snapshotMs: number;
}

async function run(items: number, withStats: boolean, warmSnapshots = 0): Promise<StatsRun> {
  const [stage1, stage2, stage3] = NOOP_STAGES;
  const pipeline = new PipelineBuilder().addSource(range(items)).pipe(stage1).pipe(stage2).pipe(stage3).addSink(2).build();
  // The first snapshots in a process run unoptimised code (~20 ms, then ~1.5 ms, then ~0.2 ms
  // each here); a warm-up that takes none would bill that one-off JIT cost to the measured rounds.
  for (let i = 0; i < warmSnapshots; i++) pipeline.stats();
  let snapshots = 0;
  let snapshotMs = 0;
  // What a host does at 10 Hz: take a snapshot on a timer (the same as build({ onStats }), but timed).
  const timer = withStats
    ? setInterval(() => {
        const startedAt = performance.now();
        pipeline.stats();
        snapshotMs += performance.now() - startedAt;
        snapshots++;
      }, INTERVAL_MS)
    : undefined;
  let delivered = 0;
  try {
    const { elapsedMs, cpuShare } = await timed(async () => {
      for await (const _ of pipeline) delivered++;
    });
    assertCount(withStats ? "engine with stats" : "engine", delivered, items);
    return { rate: rate(items, elapsedMs), elapsedMs, cpuShare, snapshots, snapshotMs };
  } finally {
    clearInterval(timer);
  }
}

export async function runStatsCost(context: SuiteContext): Promise<SuiteResult> {
  const items = context.quick ? 200_000 : 1_000_000;
  // Cheap runs and a 3% target on a noisy machine: more pairs than elsewhere.
  const rounds = context.quick ? 5 : 14;
  const WITHOUT = "engine, no stats";
  const WITH = `engine, stats() every ${INTERVAL_MS} ms`;
  const variants: Variant<StatsRun>[] = [
    { name: WITHOUT, run: () => run(items, false) },
    { name: WITH, run: () => run(items, true) },
  ];
  for (const withStats of [false, true]) await run(Math.max(10_000, items / 10), withStats, withStats ? 200 : 0);
  const results = await interleave(variants, rounds, {
    afterRun: ({ round, name, result }) =>
      context.progress(
        `[statsCost] round ${round}/${rounds}: ${name} ${formatValue(result.rate, "items/s")}${result.snapshots ? `, ${result.snapshots} snapshots in ${result.snapshotMs.toFixed(2)} ms` : ""}`,
      ),
  });
  const without = results.get(WITHOUT)!;
  const withStats = results.get(WITH)!;
  const setting = "no-op c=1, 3 stages";
  const snapshotsPerSecond = withStats.map((r) => r.snapshots / (r.elapsedMs / 1000));
  const msPerSnapshot = withStats.filter((r) => r.snapshots > 0).map((r) => r.snapshotMs / r.snapshots);
  const measurements = [
    measurement(
      setting,
      WITHOUT,
      "items/s",
      without.map((r) => r.rate),
      `cpu/wall ${median(without.map((r) => r.cpuShare)).toFixed(2)}`,
    ),
    measurement(
      setting,
      WITH,
      "items/s",
      withStats.map((r) => r.rate),
      `cpu/wall ${median(withStats.map((r) => r.cpuShare)).toFixed(2)}, ${Math.min(...snapshotsPerSecond).toFixed(1)}–${Math.max(...snapshotsPerSecond).toFixed(1)} snapshots/s, ${msPerSnapshot.length ? median(msPerSnapshot).toFixed(3) : "n/a"} ms each`,
    ),
  ];
  const notes: string[] = [];
  const expected = 1000 / INTERVAL_MS;
  if (Math.min(...snapshotsPerSecond) < expected / 2)
    notes.push(`snapshots ran under half the ${expected}/s asked for in some round: the stats timer was starved`);
  return {
    suite: "statsCost",
    title: "Stats cost: no-op pipeline with 10 Hz snapshots vs none",
    params: { items, rounds },
    measurements,
    figures: [
      figure(
        {
          id: "statsCost.throughput",
          suite: "statsCost",
          label: "stats cost: throughput with 10 Hz snapshots vs none",
          unit: "items/s",
          value: measurements[1].median,
          peer: { name: WITHOUT, value: measurements[0].median },
          target: STATS_TARGET,
        },
        pairedRatios(
          withStats.map((r) => r.rate),
          without.map((r) => r.rate),
        ),
      ),
      figure(
        {
          id: "statsCost.direct",
          suite: "statsCost",
          label: "stats cost: time inside stats() / run time",
          unit: "ms",
          value: median(withStats.map((r) => r.snapshotMs)),
          peer: { name: "run time", value: median(withStats.map((r) => r.elapsedMs)) },
          target: null,
        },
        withStats.map((r) => r.snapshotMs / r.elapsedMs),
      ),
    ],
    notes,
  };
}
