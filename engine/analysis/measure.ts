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
  /** The consumer's readiness over the window (the share of it not spent waiting for an item); null without a consumer. */
  readiness: number | null;
  /** The process's CPU share over the window: CPU time (all threads) ÷ (window × cores). */
  cpu: number;
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
  return measurementBetween(start, end);
}

/** The figures of the window between two snapshots of one run (snapshots give them since the start). */
export function measurementBetween(start: PipelineSnapshot, end: PipelineSnapshot): Measurement {
  const ms = end.elapsedMs - start.elapsedMs;
  return {
    deliveredPerSecond: perSecond(end.itemsDelivered - start.itemsDelivered, ms),
    readiness: readinessBetween(start, end),
    cpu: ms > 0 ? Math.max(0, (end.cpu * end.elapsedMs - start.cpu * start.elapsedMs) / ms) : 0,
    start,
    end,
  };
}

/**
 * Two measurements of the same settings taken apart as one: each figure weighted by its
 * window's length (the verdict's snapshots are the later one's). More time measured, less noise.
 */
export function pooled(earlier: Measurement, later: Measurement): Measurement {
  const a = earlier.end.elapsedMs - earlier.start.elapsedMs;
  const b = later.end.elapsedMs - later.start.elapsedMs;
  if (!(a > 0) || !(b > 0)) return later;
  const mix = (x: number, y: number) => (x * a + y * b) / (a + b);
  return {
    deliveredPerSecond: mix(earlier.deliveredPerSecond, later.deliveredPerSecond),
    readiness: earlier.readiness === null || later.readiness === null ? later.readiness : mix(earlier.readiness, later.readiness),
    cpu: mix(earlier.cpu, later.cpu),
    start: later.start,
    end: later.end,
  };
}

/** 1 − the consumer's wait on the sink's queue ÷ the window, as snapshots' readiness is over the whole run. */
function readinessBetween(start: PipelineSnapshot, end: PipelineSnapshot): number | null {
  if (end.readiness === null) return null;
  const ms = end.elapsedMs - start.elapsedMs;
  const sinkAtEnd = end.queues.find((queue) => queue.to === "sink");
  const sinkAtStart = start.queues.find((queue) => queue.to === "sink");
  if (!sinkAtEnd || ms <= 0) return end.readiness;
  return Math.min(1, Math.max(0, 1 - (sinkAtEnd.starvedMs - (sinkAtStart?.starvedMs ?? 0)) / ms));
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
