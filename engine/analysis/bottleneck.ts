import { formatPercent } from "../format.js";
import type { PipelineSnapshot, QueueSnapshot, StageSnapshot } from "../stats/snapshot.js";

/** What holds a stage back (or not), as the bottleneck finder sees it. */
export type StageCondition = "bottleneck" | "starved" | "blocked" | "pool-bound" | "event-loop-bound" | "idle";

export interface StageDiagnosis {
  stage: string;
  condition: StageCondition;
  /** One sentence a user can act on. */
  explanation: string;
  /** Busy slots ÷ concurrency over the period judged. */
  busy: number;
}

export interface BottleneckVerdict {
  /** The stage that limits throughput, or null when none does. */
  stage: string | null;
  reason: string;
  stages: StageDiagnosis[];
}

/** Thresholds: fractions of the period judged. */
const SLOTS_FULL = 0.85;
const MOSTLY = 0.5;
const OFTEN = 0.3;
const LOOP_SATURATED = 0.9;

interface QueueRates {
  /** Fraction of the period a consumer waited on the queue being empty. */
  starved: number;
  /** Fraction of the period a producer waited on the queue being full. */
  blocked: number;
}

/**
 * Classifies every pipe stage from stats: over the period between `previous` and `current`
 * (the live view judges each second), or over the whole run when there is no previous snapshot
 * (the CLI's final verdict). A stage is a *bottleneck* when its slots are full while its input
 * queue backs up, or when its slots stay full while it seldom waits for input or for room
 * downstream (at capacity, with neighbours that only match its pace); *pool-bound* when its calls wait for a worker thread; *event-loop-bound* when
 * it runs a synchronous op inline and the event loop is saturated; *blocked* when its output
 * queue is full (the next stage is slower); *starved* when it waits for input; *idle* otherwise.
 */
export function findBottleneck(current: PipelineSnapshot, previous?: PipelineSnapshot): BottleneckVerdict {
  const periodMs = previous ? current.elapsedMs - previous.elapsedMs : current.elapsedMs;
  const rates = (queue: QueueSnapshot | undefined): QueueRates => {
    if (!queue || periodMs <= 0) return { starved: 0, blocked: 0 };
    const before = previous?.queues.find((candidate) => candidate.name === queue.name);
    return {
      starved: clamp((queue.starvedMs - (before?.starvedMs ?? 0)) / periodMs),
      blocked: clamp((queue.blockedMs - (before?.blockedMs ?? 0)) / periodMs),
    };
  };
  const stages = current.stages
    .filter((stage) => stage.kind === "pipe")
    .map((stage) => {
      const input = rates(current.queues.find((queue) => queue.to === stage.name));
      const output = rates(current.queues.find((queue) => queue.from.includes(stage.name)));
      return diagnoseStage(stage, input, output, current, previous ? stage.busyFraction : stage.busyFractionSinceStart);
    });

  const limiting = stages
    .filter(
      (diagnosis) =>
        diagnosis.condition === "bottleneck" || diagnosis.condition === "pool-bound" || diagnosis.condition === "event-loop-bound",
    )
    .sort((a, b) => b.busy - a.busy);
  // With a consumer, what its waiting for items says (readiness) goes with the verdict.
  const consumerWaits = current.readiness === null ? undefined : rates(current.queues.find((queue) => queue.to === "sink")).starved;
  if (limiting.length === 0) {
    const reason =
      consumerWaits === undefined
        ? "no stage limits throughput (the source or the consumer sets the pace)"
        : `no stage limits throughput; the consumer waits for items ${formatPercent(consumerWaits)} of the time`;
    return { stage: null, reason, stages };
  }
  const [top] = limiting;
  const reason =
    consumerWaits === undefined
      ? top.explanation
      : `${top.explanation}; the consumer waits for items ${formatPercent(consumerWaits)} of the time`;
  return { stage: top.stage, reason, stages };
}

function diagnoseStage(
  stage: StageSnapshot,
  input: QueueRates,
  output: QueueRates,
  snapshot: PipelineSnapshot,
  busy: number,
): StageDiagnosis {
  const slots = `${Math.round(busy * stage.concurrency * 10) / 10} of ${stage.concurrency} slots busy`;
  const verdict = (condition: StageCondition, explanation: string): StageDiagnosis => ({ stage: stage.name, condition, explanation, busy });
  if (stage.itemsIn === 0 && stage.inFlight === 0) return verdict("idle", "has not received an item");
  const loop = snapshot.process.eventLoopUtilization;
  if (stage.blocksEventLoop && loop >= LOOP_SATURATED) {
    return verdict(
      "event-loop-bound",
      `runs a synchronous op inline and the event loop is ${formatPercent(loop)} busy — run it on the worker pool (poolTask) instead`,
    );
  }
  const pool = snapshot.pool;
  if (stage.executor === "pool" && pool && stage.waitingForThread > 0 && pool.busyThreads >= pool.numThreads) {
    return verdict(
      "pool-bound",
      `${stage.waitingForThread} of its ${stage.inFlight} calls wait for a thread, ${pool.numThreads === 1 ? "the pool's one thread" : `all ${pool.numThreads} pool threads`} busy — ${moreThreads(pool)}`,
    );
  }
  if (stage.executor === "pool" && pool && stage.concurrency > pool.numThreads && busy >= SLOTS_FULL) {
    // Over a whole run: its slots were full and more of them than the pool has threads.
    return verdict(
      "pool-bound",
      `${slots} on a pool of ${pool.numThreads} thread${pool.numThreads === 1 ? "" : "s"}: calls wait for a thread — ${moreThreads(pool)}`,
    );
  }
  const remote = remoteVerdict(stage, busy, slots, input);
  if (remote) return verdict("pool-bound", remote);
  if (output.blocked >= MOSTLY)
    return verdict("blocked", `its output queue is full ${formatPercent(output.blocked)} of the time — the next stage is slower`);
  if (slotsFull(busy, input) && input.blocked >= OFTEN) {
    return verdict(
      "bottleneck",
      `${slots}, input queue full ${formatPercent(input.blocked)} of the time, next stage waiting — ${raiseAdvice(stage)}`,
    );
  }
  if (input.starved >= OFTEN || busy < MOSTLY)
    return verdict("starved", `${slots}; waits for input ${formatPercent(input.starved)} of the time`);
  if (busy >= SLOTS_FULL && output.blocked < OFTEN) {
    // Full slots that seldom wait on either queue: the stage runs at its capacity, and its
    // neighbours merely match it (a queue between equals never stays full). It sets the pace.
    return verdict(
      "bottleneck",
      `${slots}, waiting for input only ${formatPercent(input.starved)} of the time: at capacity — ${raiseAdvice(stage)}`,
    );
  }
  return verdict("idle", `${slots}; keeps up with its input`);
}

/**
 * Slots full, as far as the figures can tell: busy most of the period, or busy more than half of
 * it with the input queue full most of it. A full input queue beside free slots cannot last (a
 * free slot takes an item at once), so over a whole run, where the start, the drain and workers
 * joining make slots look less busy than they were, a queue full most of the run is enough.
 */
function slotsFull(busy: number, input: QueueRates): boolean {
  return busy >= SLOTS_FULL || (busy >= MOSTLY && input.blocked >= MOSTLY);
}

/** What gives a limiting stage more capacity: more calls at once, and what runs them. */
function raiseAdvice(stage: StageSnapshot): string {
  return stage.executor === "remote" ? "raise concurrency or add workers or worker threads" : "raise concurrency or numThreads";
}

/** Advice to add threads, unless the pool is at its maxThreads: then that is said, not advised against. */
function moreThreads(pool: { numThreads: number; maxThreads: number }): string {
  return pool.numThreads < pool.maxThreads
    ? "raise numThreads"
    : `numThreads is at the pool's maximum (${pool.maxThreads}): fewer calls at once, or lighter ones`;
}

/**
 * A remote stage limited by its workers (judged as pool-bound: the capacity that runs its calls
 * is full): calls waiting in Redis while every worker slot is busy, or none serving it at all;
 * over a whole run, full slots and more of them than the workers had.
 */
function remoteVerdict(stage: StageSnapshot, busy: number, slots: string, input: QueueRates): string | null {
  const remote = stage.remote;
  if (stage.executor !== "remote" || !remote) return null;
  const waiting = `${remote.waiting} call${remote.waiting === 1 ? "" : "s"} wait${remote.waiting === 1 ? "s" : ""} for a worker`;
  if (remote.waiting > 0 && remote.workerSlots === 0)
    return `${waiting} and no worker serves it — start one: pipeline-studio worker --redis URL`;
  if (remote.waiting > 0 && remote.running >= remote.workerSlots) {
    return `${waiting}, all ${remote.workerSlots} worker slot${remote.workerSlots === 1 ? "" : "s"} busy — add workers or worker threads`;
  }
  const slotsSeen = remote.workers.reduce((sum, worker) => sum + (worker.refused ? 0 : worker.threads), 0);
  if (remote.waiting === 0 && slotsSeen > 0 && stage.concurrency > slotsSeen && slotsFull(busy, input)) {
    return `${slots} on ${slotsSeen} worker slot${slotsSeen === 1 ? "" : "s"}: calls wait for a worker — add workers or worker threads`;
  }
  return null;
}

/** The verdict line (docs/engine-semantics.md, "Stats"): `Bottleneck: <stage> — <reason>` or `Bottleneck: none`. */
export function formatVerdict(verdict: BottleneckVerdict): string {
  return verdict.stage === null ? "Bottleneck: none" : `Bottleneck: ${verdict.stage} — ${verdict.reason}`;
}

function clamp(value: number): number {
  return Math.max(0, Math.min(1, value));
}
