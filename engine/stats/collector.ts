import { availableParallelism } from "node:os";
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from "node:perf_hooks";
import type { WorkerPool } from "../pool/workerPool.js";
import type { BoundedQueue } from "../queue.js";
import { PipeStage } from "../stages/pipe.js";
import { RouteStage } from "../stages/route.js";
import type { Stage } from "../stages/stage.js";
import { summarize } from "./histogram.js";
import { RateWindow } from "./rateWindow.js";
import type { PipelineSnapshot, PipelineState, ProcessSnapshot, QueueSnapshot, StageSnapshot, StageState } from "./snapshot.js";

const SAMPLE_EVERY_MS = 100;
const LATENCY_HALF_WINDOW_MS = 2500;

export interface QueueEdge {
  queue: BoundedQueue<unknown>;
  from: Stage[];
  to: Stage | null;
}

/** What the collector reads from a pipeline; the functions return current values. */
export interface PipelineView {
  readonly stages: readonly Stage[];
  readonly edges: readonly QueueEdge[];
  state(): PipelineState;
  itemsDelivered(): number;
  pool(): WorkerPool | null;
  failureCount(): number;
  paused(): boolean;
  draining(): boolean;
  /** The pipeline is read by a consumer that takes a fixed time per batch: readiness is judged. */
  readonly hasConsumer: boolean;
}

/**
 * Turns the counters stages keep anyway into snapshots. A 100 ms sampler (unref'd) feeds the
 * sliding windows; a snapshot only reads counters and sums a few small histograms, so taking one
 * at 10 Hz costs the pipeline nothing measurable.
 */
export class StatsCollector {
  private readonly stageRates = new Map<Stage, { items: RateWindow; busy: RateWindow }>();
  private readonly deliveredRate = new RateWindow();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  /** Process CPU time (µs, all threads) at the start, and at the end once ended. */
  private cpuAtStart: NodeJS.CpuUsage | undefined;
  private cpuAtEnd: NodeJS.CpuUsage | undefined;
  private endedAt: number | undefined;
  private lastRotation = 0;
  private eluAtSample: EventLoopUtilization | undefined;
  private lastUtilization = 0;
  private lagMonitor: IntervalHistogram | undefined;
  private lastLag = { mean: 0, p99: 0, max: 0 };

  constructor(private readonly view: PipelineView) {
    for (const stage of view.stages) this.stageRates.set(stage, { items: new RateWindow(), busy: new RateWindow() });
  }

  start(): void {
    this.startedAt = performance.now();
    this.cpuAtStart = process.cpuUsage();
    this.lastRotation = this.startedAt;
    this.eluAtSample = performance.eventLoopUtilization();
    this.lagMonitor = monitorEventLoopDelay({ resolution: 10 });
    this.lagMonitor.enable();
    for (const edge of this.view.edges) edge.queue.startTiming();
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  /** Freezes elapsed time and releases the timer and the lag monitor. */
  end(): void {
    if (this.endedAt !== undefined || this.startedAt === 0) return;
    this.sample();
    this.endedAt = performance.now();
    this.cpuAtEnd = process.cpuUsage();
    for (const edge of this.view.edges) edge.queue.stopTiming();
    clearInterval(this.timer);
    this.lagMonitor?.disable();
  }

  get elapsedMs(): number {
    if (this.startedAt === 0) return 0;
    return (this.endedAt ?? performance.now()) - this.startedAt;
  }

  private lastSampleAt = 0;

  private sample(): void {
    const now = performance.now();
    for (const edge of this.view.edges) edge.queue.adaptTiming(now, now - this.lastSampleAt);
    this.lastSampleAt = now;
    for (const [stage, rates] of this.stageRates) {
      rates.items.sample(now, stage.itemsOut);
      rates.busy.sample(now, stage.busyMs);
    }
    this.deliveredRate.sample(now, this.view.itemsDelivered());
    if (now - this.lastRotation >= LATENCY_HALF_WINDOW_MS) {
      for (const stage of this.view.stages) stage.latency.rotate();
      this.lastRotation = now;
    }
    const elu = performance.eventLoopUtilization();
    if (this.eluAtSample) this.lastUtilization = performance.eventLoopUtilization(elu, this.eluAtSample).utilization;
    this.eluAtSample = elu;
    const lag = this.lagMonitor;
    if (lag && lag.count > 0) {
      // The monitor reports delay beyond its own 10 ms resolution timer, in ns.
      this.lastLag = { mean: lag.mean / 1e6, p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 };
      lag.reset();
    }
  }

  snapshot(): PipelineSnapshot {
    const now = this.endedAt ?? performance.now();
    const elapsedMs = this.elapsedMs;
    return {
      state: this.view.state(),
      paused: this.view.paused(),
      draining: this.view.draining(),
      elapsedMs,
      itemsDelivered: this.view.itemsDelivered(),
      deliveredPerSecond: this.deliveredRate.rate(now, this.view.itemsDelivered()),
      failures: this.view.failureCount(),
      stages: this.view.stages.map((stage) => this.stageSnapshot(stage, now)),
      queues: this.view.edges.map((edge) => queueSnapshot(edge, elapsedMs)),
      pool: this.view.pool()?.stats() ?? null,
      process: this.processSnapshot(),
      readiness: this.readiness(elapsedMs),
      cpu: this.cpuShare(elapsedMs),
    };
  }

  /** The share of the consumer's time not spent waiting for an item (its waits on the sink queue); null without a consumer. */
  private readiness(elapsedMs: number): number | null {
    if (!this.view.hasConsumer) return null;
    const sink = this.view.edges.find((edge) => edge.to === null);
    if (!sink || elapsedMs <= 0) return null;
    return Math.min(1, Math.max(0, 1 - sink.queue.stats().starvedMs / elapsedMs));
  }

  /** Process CPU time (all threads) ÷ (elapsed × cores): 1 is every core busy all the time. */
  private cpuShare(elapsedMs: number): number {
    if (!this.cpuAtStart || elapsedMs <= 0) return 0;
    const end = this.cpuAtEnd ?? process.cpuUsage();
    return (cpuMicros(end) - cpuMicros(this.cpuAtStart)) / 1000 / (elapsedMs * availableParallelism());
  }

  private stageSnapshot(stage: Stage, now: number): StageSnapshot {
    const rates = this.stageRates.get(stage)!;
    const busySlots = rates.busy.rate(now, stage.busyMs) / 1000;
    return {
      name: stage.name,
      kind: stage.kind,
      executor: stage.executor,
      state: stageState(stage),
      concurrency: stage.concurrency,
      inFlight: stage.inFlight,
      awaitingOutput: stage instanceof PipeStage ? stage.awaitingOutput : 0,
      waitingForThread: stage instanceof PipeStage && stage.executor === "pool" && this.view.pool() ? stage.waitingForThread : 0,
      itemsIn: stage.itemsIn,
      itemsOut: stage.itemsOut,
      failures: stage.failures,
      dropped: stage.dropped,
      retries: stage.retriesDone,
      latencyMs: summarize(stage.latency.total),
      recentLatencyMs: summarize(stage.latency.recent()),
      throughput: rates.items.rate(now, stage.itemsOut),
      busyFraction: Math.min(1, busySlots / stage.concurrency),
      busyFractionSinceStart: this.elapsedMs > 0 ? Math.min(1, stage.busyMs / (this.elapsedMs * stage.concurrency)) : 0,
      blocksEventLoop: stage.blocksEventLoop,
      ...(stage instanceof PipeStage && stage.executor === "remote" ? { remote: stage.remote ?? undefined } : {}),
      ...(stage instanceof RouteStage ? { routed: [...stage.routed] } : {}),
      ...(stage.onPath ? { path: { ...stage.onPath } } : {}),
    };
  }

  private processSnapshot(): ProcessSnapshot {
    const memory = process.memoryUsage();
    return {
      eventLoopUtilization: this.lastUtilization,
      eventLoopLagMs: this.lastLag,
      heapUsedBytes: memory.heapUsed,
      rssBytes: memory.rss,
    };
  }
}

function stageState(stage: Stage): StageState {
  if (stage.failedWith) return "failed";
  if (stage.isCancelled) return "cancelled";
  return stage.isFinished ? "done" : "running";
}

/** "producer→consumer" ("a+b→c" after a merge; the last queue's consumer is "sink"). */
export function queueNameOf(edge: QueueEdge): string {
  return `${edge.from.map((stage) => stage.name).join("+")}→${edge.to ? edge.to.name : "sink"}`;
}

function queueSnapshot(edge: QueueEdge, elapsedMs: number): QueueSnapshot {
  const stats = edge.queue.stats();
  const from = edge.from.map((stage) => stage.name);
  const to = edge.to ? edge.to.name : "sink";
  return {
    name: queueNameOf(edge),
    from,
    to,
    depth: stats.depth,
    capacity: stats.capacity,
    puts: stats.puts,
    items: stats.gets,
    qps: elapsedMs > 0 ? stats.gets / (elapsedMs / 1000) : 0,
    putWait: stats.putWait,
    getWait: stats.getWait,
    occupancy: elapsedMs > 0 ? Math.min(1, Math.max(0, 1 - stats.emptyMs / elapsedMs)) : 0,
    blockedMs: stats.blockedMs,
    starvedMs: stats.starvedMs,
    blockedFraction: elapsedMs > 0 ? Math.min(1, stats.blockedMs / elapsedMs) : 0,
  };
}

function cpuMicros(usage: NodeJS.CpuUsage): number {
  return usage.user + usage.system;
}
