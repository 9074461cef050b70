import type { PipelineSnapshot, StageSnapshot } from "../../engine/index.js";
import { formatCount, formatMs, formatPercent, formatRate, formatSeconds } from "../../engine/format.js";
import { columns } from "./columns.js";

/**
 * The table printed when a run ends. Rates are whole-run averages (items ÷ elapsed), which is
 * what a finished run should be judged by; the snapshot's own rates cover only the last seconds.
 * Busy % is the snapshot's, over its sliding window: the snapshot has no whole-run busy time.
 */
export function formatStatsTable(snapshot: PipelineSnapshot, outcome: string): string {
  const seconds = Math.max(snapshot.elapsedMs / 1000, 1e-9);
  const header = ["stage", "runs on", "conc", "in", "out", "failed", "p50 ms", "p90 ms", "p99 ms", "busy", "items/s"];
  const rows = snapshot.stages.map((stage) => stageRow(stage, seconds));
  const lines = columns([header, ...rows], 2);
  const total =
    `total: ${snapshot.itemsDelivered} items delivered in ${formatSeconds(snapshot.elapsedMs)} ` +
    `(${formatRate(snapshot.itemsDelivered / seconds)} items/s), ${formatCount(snapshot.failures, "failure")} — ${outcome}`;
  const pool = snapshot.pool
    ? `pool: ${snapshot.pool.numThreads} threads, ${snapshot.pool.completedCalls} calls, ${snapshot.pool.workerDeaths} worker deaths`
    : undefined;
  return [...lines, total, ...(pool ? [pool] : [])].join("\n");
}

function stageRow(stage: StageSnapshot, seconds: number): string[] {
  // Only pipe stages make calls; latency and busy time mean nothing for the others.
  const calls = stage.kind === "pipe";
  const latency = (value: number) => (calls && stage.itemsIn > 0 ? formatMs(value) : "-");
  return [
    stage.name,
    stage.blocksEventLoop ? "loop (blocks)" : stage.executor === "none" ? "-" : stage.executor,
    calls ? String(stage.concurrency) : "-",
    stage.kind === "source" ? "-" : String(stage.itemsIn),
    String(stage.itemsOut),
    String(stage.failures),
    latency(stage.latencyMs.p50Ms),
    latency(stage.latencyMs.p90Ms),
    latency(stage.latencyMs.p99Ms),
    calls ? formatPercent(stage.busyFractionSinceStart) : "-",
    formatRate(stage.itemsOut / seconds),
  ];
}
