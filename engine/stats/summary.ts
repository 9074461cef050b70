import { formatMs, formatPercent } from "../format.js";
import type { PipelineSnapshot } from "./snapshot.js";

/** A plain-text per-stage table of a snapshot, for terminals and logs. */
export function formatSummary(snapshot: PipelineSnapshot): string {
  const header = ["stage", "conc", "in", "out", "failed", "p50 ms", "p90 ms", "p99 ms", "items/s", "busy"];
  const rows = snapshot.stages.map((stage) => [
    stage.name + (stage.blocksEventLoop ? " (blocks loop)" : stage.executor === "pool" ? " (pool)" : ""),
    String(stage.concurrency),
    String(stage.itemsIn),
    String(stage.itemsOut),
    String(stage.failures),
    formatMs(stage.latencyMs.p50Ms),
    formatMs(stage.latencyMs.p90Ms),
    formatMs(stage.latencyMs.p99Ms),
    stage.throughput.toFixed(1),
    formatPercent(stage.busyFractionSinceStart),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ");
  const seconds = snapshot.elapsedMs / 1000;
  const overall = `${snapshot.state}: ${snapshot.itemsDelivered} items delivered in ${seconds.toFixed(2)} s (${(snapshot.itemsDelivered / Math.max(seconds, 1e-9)).toFixed(1)} items/s), ${snapshot.failures} failures`;
  const pool = snapshot.pool
    ? `pool: ${snapshot.pool.numThreads} threads, ${snapshot.pool.completedCalls} calls, ${snapshot.pool.workerDeaths} worker deaths`
    : "";
  return [overall, line(header), ...rows.map(line), pool].filter(Boolean).join("\n");
}
