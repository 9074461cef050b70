import type { PipelineSnapshot, QueueSnapshot, StageSnapshot } from "./snapshot.js";

/**
 * Periodic stats lines in SPDL's shape (TaskStatsHook and StatsQueue of spdl.pipeline), so an
 * SPDL user reads familiar numbers: per stage that makes calls, the tasks completed in the
 * interval; per queue (named after the stage that feeds it, as SPDL does), the items that went
 * through, QPS, the wait per put and per get, and occupancy. Counts, QPS, averages and occupancy
 * are over the interval, as SPDL's; a stage's P90/P99 are over its recent window (a few
 * seconds), a queue's since the start.
 */
export function spdlStatsLines(previous: PipelineSnapshot | undefined, current: PipelineSnapshot): string[] {
  const lines: string[] = [];
  for (const stage of current.stages) {
    if (stage.kind === "source") continue;
    lines.push(
      stageLine(
        stage,
        previous?.stages.find((candidate) => candidate.name === stage.name),
      ),
    );
  }
  const lapMs = current.elapsedMs - (previous?.elapsedMs ?? 0);
  for (const queue of current.queues) {
    lines.push(
      queueLine(
        queue,
        previous?.queues.find((candidate) => candidate.name === queue.name),
        lapMs,
        current.elapsedMs,
      ),
    );
  }
  return lines;
}

function stageLine(stage: StageSnapshot, before: StageSnapshot | undefined): string {
  const completed = stage.itemsIn - stage.inFlight - ((before?.itemsIn ?? 0) - (before?.inFlight ?? 0));
  const failed = stage.failures - (before?.failures ?? 0);
  const latency = stage.recentLatencyMs;
  return (
    `[${stage.name}]\tCompleted ${pad(completed, 5)} tasks (${pad(failed, 3)} failed). ` +
    `Ave task time: ${timeString(latency.meanMs)}. P90: ${timeString(latency.p90Ms)}. P99: ${timeString(latency.p99Ms)}.`
  );
}

function queueLine(queue: QueueSnapshot, before: QueueSnapshot | undefined, lapMs: number, elapsedMs: number): string {
  const items = queue.items - (before?.items ?? 0);
  const lapAverage = (now: QueueSnapshot["putWait"], then: QueueSnapshot["putWait"] | undefined): number => {
    const ops = now.ops - (then?.ops ?? 0);
    return ops <= 0 ? 0 : (now.avgMs * now.ops - (then ? then.avgMs * then.ops : 0)) / ops;
  };
  const notEmptyMs = queue.occupancy * elapsedMs - (before ? before.occupancy * (elapsedMs - lapMs) : 0);
  const occupancy = lapMs > 0 ? Math.min(1, Math.max(0, notEmptyMs / lapMs)) : 0;
  const qps = lapMs > 0 ? items / (lapMs / 1000) : 0;
  return (
    `[${queue.from.join("+")}_queue]\tProcessed ${pad(items, 5)} items in ${timeString(lapMs)} (QPS: ${qps.toFixed(1).padStart(6)}) ` +
    `Ave wait time: put: ${timeString(lapAverage(queue.putWait, before?.putWait))}, ` +
    `get (by next stage): ${timeString(lapAverage(queue.getWait, before?.getWait))}. ` +
    `P90: put: ${timeString(queue.putWait.p90Ms)}, get: ${timeString(queue.getWait.p90Ms)}. ` +
    `P99: put: ${timeString(queue.putWait.p99Ms)}, get: ${timeString(queue.getWait.p99Ms)}. ` +
    `Occupancy rate: ${Math.floor(occupancy * 100)}%`
  );
}

/** SPDL's _time_str: µs below 0.1 ms, ms below 1 s, else sec; "%6.1f [unit]". */
export function timeString(ms: number): string {
  const seconds = ms / 1000;
  const [value, unit] = seconds < 0.0001 ? [seconds * 1e6, " us"] : seconds < 1 ? [seconds * 1e3, " ms"] : [seconds, "sec"];
  return `${value.toFixed(1).padStart(6)} [${unit}]`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width);
}
