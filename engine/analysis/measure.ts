import { setTimeout as sleep } from "node:timers/promises";
import type { Pipeline } from "../pipeline.js";
import type { PipelineSnapshot, StageSnapshot } from "../stats/snapshot.js";

/** How long a measurement waits after a knob change, then how long it counts. */
export interface MeasureWindow {
  settleMs: number;
  measureMs: number;
}

export interface Measurement {
  /** Items delivered to the consumer per second over the window. */
  deliveredPerSecond: number;
  start: PipelineSnapshot;
  end: PipelineSnapshot;
}

/** Waits `ms`; rejects with the signal's reason when it is aborted. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal });
}

/**
 * Lets a running pipeline settle after a change, then counts what it delivers over a window.
 * Counting snapshots' totals (not the sliding-window rate) keeps earlier settings out of it.
 */
export async function measure(pipeline: Pipeline<unknown>, window: MeasureWindow, signal?: AbortSignal): Promise<Measurement> {
  await pause(window.settleMs, signal);
  const start = pipeline.stats();
  await pause(window.measureMs, signal);
  const end = pipeline.stats();
  return { deliveredPerSecond: perSecond(end.itemsDelivered - start.itemsDelivered, end.elapsedMs - start.elapsedMs), start, end };
}

/** Calls of a stage that finished without failing between two snapshots, per second. */
export function stageCallsPerSecond(name: string, start: PipelineSnapshot, end: PipelineSnapshot): number {
  const before = start.stages.find((stage) => stage.name === name);
  const after = end.stages.find((stage) => stage.name === name);
  if (!before || !after) return 0;
  return perSecond(succeeded(after) - succeeded(before), end.elapsedMs - start.elapsedMs);
}

function succeeded(stage: StageSnapshot): number {
  return stage.itemsIn - stage.inFlight - stage.failures;
}

function perSecond(count: number, ms: number): number {
  return ms > 0 ? Math.max(0, count) / (ms / 1000) : 0;
}
