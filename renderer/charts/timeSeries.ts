import { knobChanges, type KnobMarker } from "./knobChanges.js";
import { MirroredRing } from "./ringBuffer.js";
import { RecentShare } from "./recentShare.js";
import type { PipelineSnapshot, QueueSnapshot } from "../api/types.js";

/** How much history the charts keep: the last five minutes at the host's 10 Hz sampling. */
export const HISTORY_MINUTES = 5;
export const SAMPLES_PER_SECOND = 10;
export const HISTORY_CAPACITY = HISTORY_MINUTES * 60 * SAMPLES_PER_SECOND;

/** One sample of the figures the charts draw, keyed the way the canvas keys its nodes and edges. */
export interface TimeSample {
  elapsedMs: number;
  /** Items out per second, by stage id. */
  stageThroughput: Record<string, number>;
  /** Items waiting in the queue, by edge id (`from->to`). */
  queueDepth: Record<string, number>;
  /** Each queue's capacity, by edge id (the latest only: a scale, not a series). */
  queueCapacity: Record<string, number>;
  /** Null while the run has no pool stage. */
  pool: { busyThreads: number; waitingTasks: number; numThreads: number } | null;
  /** The live knobs' values ("download concurrency", "numThreads"): a change between samples is marked on the charts. */
  knobs?: Record<string, number>;
  /**
   * Running totals since the start: the consumer's waiting for items (null without a consumer)
   * and the process's CPU time ÷ cores, both in ms; the chart draws their share of the last second.
   */
  consumer?: { waitedMs: number | null; cpuMs: number };
}

/** Knob changes kept at most (older ones fall off, as the samples do). */
const MARKER_CAPACITY = 500;

/** A group of series sharing the time axis: one ring per key, created the first time a key is seen. */
export class SeriesGroup {
  private readonly rings = new Map<string, MirroredRing>();

  constructor(private readonly capacity: number) {}

  keys(): string[] {
    return [...this.rings.keys()];
  }

  ring(key: string): MirroredRing | undefined {
    return this.rings.get(key);
  }

  /**
   * Appends one value per known key (0 where the sample lacks it) and starts a ring for a new
   * key with zeros for the samples before it, so every ring stays aligned with the time ring.
   */
  append(values: Record<string, number>, samplesBefore: number): void {
    for (const key of Object.keys(values)) {
      if (this.rings.has(key)) continue;
      const ring = new MirroredRing(this.capacity);
      for (let i = 0; i < samplesBefore; i++) ring.push(0);
      this.rings.set(key, ring);
    }
    for (const [key, ring] of this.rings) ring.push(values[key] ?? 0);
  }
}

/**
 * A run's recent history: one time axis (seconds since the run started) and, aligned with it,
 * throughput per stage, queue depth per edge, the pool's threads, and the consumer's readiness
 * and the CPU share in percent (over the last second). Fixed memory: each series is a
 * preallocated ring of `capacity` samples; older samples fall off.
 */
export class RunTimeSeries {
  private readonly seconds: MirroredRing;
  readonly throughput: SeriesGroup;
  readonly queueDepth: SeriesGroup;
  readonly pool: SeriesGroup;
  /** "readiness" (only with a consumer) and "cpu", in percent. */
  readonly consumer: SeriesGroup;
  private readonly recentWait = new RecentShare();
  private readonly recentCpu = new RecentShare();
  private readonly capacities = new Map<string, number>();
  private numThreads = 0;
  private knobs: Record<string, number> = {};
  private readonly knobMarkers: KnobMarker[] = [];

  constructor(readonly capacity = HISTORY_CAPACITY) {
    this.seconds = new MirroredRing(capacity);
    this.throughput = new SeriesGroup(capacity);
    this.queueDepth = new SeriesGroup(capacity);
    this.pool = new SeriesGroup(capacity);
    this.consumer = new SeriesGroup(capacity);
  }

  get length(): number {
    return this.seconds.length;
  }

  /** Appends a sample; one not later than the last (a repeated final snapshot) is ignored. Returns whether it was kept. */
  record(sample: TimeSample): boolean {
    const t = sample.elapsedMs / 1000;
    const last = this.seconds.latest();
    if (last !== undefined && t <= last) return false;
    const before = this.seconds.length;
    this.seconds.push(t);
    this.throughput.append(sample.stageThroughput, before);
    this.queueDepth.append(sample.queueDepth, before);
    for (const [key, capacity] of Object.entries(sample.queueCapacity)) this.capacities.set(key, capacity);
    if (sample.pool) this.numThreads = sample.pool.numThreads;
    this.pool.append(sample.pool ?? {}, before);
    this.consumer.append(this.consumerShares(sample), before);
    this.markKnobChanges(t, sample.knobs);
    return true;
  }

  /** Each change of a live knob, at the sample that first shows it, within the history kept. */
  markers(): readonly KnobMarker[] {
    return this.knobMarkers;
  }

  private markKnobChanges(seconds: number, knobs: Record<string, number> | undefined): void {
    if (!knobs) return;
    const changes = knobChanges(this.knobs, knobs);
    this.knobs = { ...this.knobs, ...knobs };
    if (changes.length > 0) this.knobMarkers.push({ seconds, changes });
    const oldest = this.seconds.window(this.seconds.length)[0] ?? seconds;
    while (this.knobMarkers.length > 0 && (this.knobMarkers[0]!.seconds < oldest || this.knobMarkers.length > MARKER_CAPACITY))
      this.knobMarkers.shift();
  }

  /** Readiness and CPU in percent over the last second; the first sample, over the run so far. */
  private consumerShares({ elapsedMs, consumer }: TimeSample): Record<string, number> {
    if (!consumer) return {};
    const sinceStart = (ms: number) => (elapsedMs > 0 ? Math.min(1, ms / elapsedMs) : 0);
    const shares: Record<string, number> = {};
    if (consumer.waitedMs !== null) {
      const waited = this.recentWait.add(elapsedMs, consumer.waitedMs) ?? sinceStart(consumer.waitedMs);
      shares.readiness = round1((1 - waited) * 100);
    }
    shares.cpu = round1((this.recentCpu.add(elapsedMs, consumer.cpuMs) ?? sinceStart(consumer.cpuMs)) * 100);
    return shares;
  }

  /** Seconds since the run started, oldest first (a view of the ring). */
  time(): Float64Array {
    return this.seconds.window();
  }

  /** The last `n` queue depths of an edge, oldest first, or an empty array for an unknown edge. */
  recentQueueDepth(edge: string, n: number): Float64Array {
    return this.queueDepth.ring(edge)?.window(n) ?? new Float64Array(0);
  }

  queueCapacity(edge: string): number | undefined {
    return this.capacities.get(edge);
  }

  /** The pool's size at the last sample; 0 when the run has no pool. */
  poolThreads(): number {
    return this.numThreads;
  }
}

/**
 * The chart figures of a host snapshot. `edgesOf` names the canvas edges a queue sits on (a
 * merge's one queue sits on several), so the charts and the edge labels share keys.
 */
export function toTimeSample(snapshot: PipelineSnapshot, edgesOf: (queue: QueueSnapshot) => string[]): TimeSample {
  const stageThroughput: Record<string, number> = {};
  for (const stage of snapshot.stages) stageThroughput[stage.name] = stage.throughput;
  const queueDepth: Record<string, number> = {};
  const queueCapacity: Record<string, number> = {};
  for (const queue of snapshot.queues) {
    for (const edge of edgesOf(queue)) {
      queueDepth[edge] = queue.depth;
      queueCapacity[edge] = queue.capacity;
    }
  }
  const pool = snapshot.pool
    ? { busyThreads: snapshot.pool.busyThreads, waitingTasks: snapshot.pool.waitingTasks, numThreads: snapshot.pool.numThreads }
    : null;
  const knobs: Record<string, number> = {};
  for (const stage of snapshot.stages) if (stage.kind === "pipe") knobs[`${stage.name} concurrency`] = stage.concurrency;
  if (snapshot.pool) knobs.numThreads = snapshot.pool.numThreads;
  // The consumer's waits are its waits on the sink's queue, as the engine's readiness counts them.
  const sinkQueue = snapshot.queues.find((queue) => queue.to === "sink");
  const consumer = {
    waitedMs: snapshot.readiness === null ? null : (sinkQueue?.starvedMs ?? 0),
    cpuMs: snapshot.cpu * snapshot.elapsedMs,
  };
  return { elapsedMs: snapshot.elapsedMs, stageThroughput, queueDepth, queueCapacity, pool, knobs, consumer };
}

const round1 = (value: number): number => Math.round(value * 10) / 10;
