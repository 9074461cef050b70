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
  const depth = pathDepths(snapshot.stages);
  const rows = snapshot.stages.map((stage) => stageRow(stage, seconds, depth.get(stage.name) ?? 0));
  const lines = columns([header, ...rows], 2);
  const total =
    `total: ${snapshot.itemsDelivered} items delivered in ${formatSeconds(snapshot.elapsedMs)} ` +
    `(${formatRate(snapshot.itemsDelivered / seconds)} items/s), ${formatCount(snapshot.failures, "failure")} — ${outcome}`;
  const pool = snapshot.pool
    ? `pool: ${snapshot.pool.numThreads} threads, ${snapshot.pool.completedCalls} calls, ${snapshot.pool.workerDeaths} worker deaths`
    : undefined;
  return [...lines, ...routedLines(snapshot.stages), total, ...(pool ? [pool] : [])].join("\n");
}

/** How many routes' paths each stage sits within (0 outside any), for indenting it under its route. */
function pathDepths(stages: readonly StageSnapshot[]): Map<string, number> {
  const byName = new Map(stages.map((stage) => [stage.name, stage]));
  const depths = new Map<string, number>();
  const depthOf = (stage: StageSnapshot): number => {
    const known = depths.get(stage.name);
    if (known !== undefined) return known;
    const route = stage.path ? byName.get(stage.path.route) : undefined;
    const depth = stage.path ? 1 + (route ? depthOf(route) : 0) : 0;
    depths.set(stage.name, depth);
    return depth;
  };
  for (const stage of stages) depthOf(stage);
  return depths;
}

/** Per route, the items it sent down each path and their share: `pick routed: path 0 30 (50.0 %) · path 1 …`. */
function routedLines(stages: readonly StageSnapshot[]): string[] {
  return stages
    .filter((stage) => stage.routed)
    .map((stage) => {
      const routed = stage.routed!;
      const total = routed.reduce((sum, count) => sum + count, 0);
      const shares = routed.map((count, path) => `path ${path} ${count}${total > 0 ? ` (${formatPercent(count / total)})` : ""}`);
      return `${stage.name} routed: ${shares.join(" · ")}`;
    });
}

function stageRow(stage: StageSnapshot, seconds: number, depth: number): string[] {
  // Pipe stages and routes make calls; latency and busy time mean nothing for the others.
  const calls = stage.kind === "pipe" || stage.kind === "route";
  const latency = (value: number) => (calls && stage.itemsIn > 0 ? formatMs(value) : "-");
  return [
    // A stage on a path sits under its route, with the path's index.
    stage.path ? `${"  ".repeat(depth)}${stage.path.index}: ${stage.name}` : stage.name,
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
