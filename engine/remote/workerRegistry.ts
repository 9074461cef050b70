/**
 * The workers a run sees: each worker publishes its state under a key with a short TTL; the run
 * reads them about once a second and keeps, per stage queue, who serves it, how busy, how fast,
 * and who refused it (other code). A worker whose key expired is gone (stopped, or died). For the
 * run's own queues it also notes what happened to their workers (joined, refused, stalled,
 * recovered, left), each at the run's elapsed time.
 */
import type { Redis } from "ioredis";
import type { RemoteWorkerEvent, RemoteWorkerSnapshot } from "../stats/snapshot.js";
import { WORKER_HEARTBEAT_MS, WORKER_KEY_PATTERN, type WorkerState } from "./protocol.js";

/**
 * A worker whose heartbeat has not changed for this long, by this process's clock, has stalled
 * (blocked, stopped, or cut off); judged on one clock so skew between hosts cannot fake a stall.
 */
export const WORKER_STALL_AFTER_MS = 3 * WORKER_HEARTBEAT_MS;
/** Events kept per stage queue: the newest. */
const EVENTS_KEPT = 100;

interface Seen {
  state: WorkerState;
  readAt: number;
  /** By this process's clock, when the worker's heartbeat last changed. */
  beatChangedAt: number;
  /** Per queue: done at the previous reading, and the rate since. */
  rates: Map<string, { done: number; at: number; perSecond: number }>;
}

interface Watched {
  /** The workers serving the queue at the last reading, and whether each had stalled. */
  members: Map<string, { stalled: boolean }>;
  events: RemoteWorkerEvent[];
}

export class WorkerRegistry {
  private readonly workers = new Map<string, Seen>();
  /** Per queue, the workers seen serving it, with their last figures (kept after they leave). */
  private readonly lastSeen = new Map<string, Map<string, RemoteWorkerSnapshot>>();
  private readonly watched = new Map<string, Watched>();

  constructor(
    private readonly redis: () => Redis | undefined,
    /** The run's clock (its snapshots' elapsedMs): events are placed on it. */
    private readonly elapsedMs: () => number = () => 0,
  ) {}

  /** Notes joins, leaves and stalls of the workers of this queue (one of the run's own). */
  watch(queue: string): void {
    if (!this.watched.has(queue)) this.watched.set(queue, { members: new Map(), events: [] });
  }

  /** Adds an event to a watched queue's list, at the run's elapsed time. */
  record(queue: string, kind: RemoteWorkerEvent["kind"], worker: string, detail: string): void {
    const watched = this.watched.get(queue);
    if (!watched) return;
    watched.events.push({ atMs: Math.round(this.elapsedMs()), kind, worker, detail });
    if (watched.events.length > EVENTS_KEPT) watched.events.shift();
  }

  /** A watched queue's events, oldest first. */
  events(queue: string): RemoteWorkerEvent[] {
    return [...(this.watched.get(queue)?.events ?? [])];
  }

  async refresh(): Promise<void> {
    const redis = this.redis();
    if (!redis || redis.status !== "ready") return;
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await redis.scan(cursor, "MATCH", WORKER_KEY_PATTERN, "COUNT", 200);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== "0");
    const values = keys.length > 0 ? await redis.mget(keys) : [];
    const now = Date.now();
    const present = new Set<string>();
    for (const value of values) {
      if (value === null) continue;
      const state = JSON.parse(value) as WorkerState;
      present.add(state.name);
      const previous = this.workers.get(state.name);
      const seen = previous ?? { state, readAt: now, beatChangedAt: now, rates: new Map() };
      if (previous && previous.state.heartbeatAt !== state.heartbeatAt) seen.beatChangedAt = now;
      for (const [queue, figures] of Object.entries(state.queues)) {
        const previousRate = seen.rates.get(queue);
        const perSecond =
          previousRate && now > previousRate.at
            ? ((figures.done - previousRate.done) * 1000) / (now - previousRate.at)
            : (previousRate?.perSecond ?? 0);
        seen.rates.set(queue, { done: figures.done, at: now, perSecond: Math.max(0, perSecond) });
      }
      seen.state = state;
      seen.readAt = now;
      this.workers.set(state.name, seen);
    }
    for (const name of this.workers.keys()) if (!present.has(name)) this.workers.delete(name);
    this.noteChanges(now);
  }

  /** Compares the watched queues' workers with the last reading: who joined, stalled, recovered or left. */
  private noteChanges(now: number): void {
    for (const [queue, watched] of this.watched) {
      for (const { state, beatChangedAt } of this.workers.values()) {
        const figures = state.queues[queue];
        if (!figures) continue;
        const member = watched.members.get(state.name);
        if (!member) {
          watched.members.set(state.name, { stalled: false });
          if (figures.refused) this.record(queue, "refused", state.name, `refused the stage: ${figures.refused}`);
          else
            this.record(
              queue,
              "joined",
              state.name,
              `joined on ${state.host} with ${figures.threads} ${plural(figures.threads, "thread")}`,
            );
          continue;
        }
        const silentMs = now - beatChangedAt;
        if (!member.stalled && silentMs >= WORKER_STALL_AFTER_MS) {
          member.stalled = true;
          this.record(queue, "stalled", state.name, `no heartbeat for ${Math.round(silentMs / 1000)} s (blocked, stopped or cut off)`);
        } else if (member.stalled && silentMs < WORKER_STALL_AFTER_MS) {
          member.stalled = false;
          this.record(queue, "recovered", state.name, "heartbeats again");
        }
      }
      for (const [name, member] of [...watched.members]) {
        const worker = this.workers.get(name);
        if (worker?.state.queues[queue]) continue;
        watched.members.delete(name);
        const detail = worker
          ? "stopped serving the stage"
          : member.stalled
            ? "gone after its heartbeats stopped (died, or cut off from Redis)"
            : "gone (stopped)";
        this.record(queue, "left", name, detail);
      }
    }
  }

  forQueue(queue: string): RemoteWorkerSnapshot[] {
    const known = this.lastSeen.get(queue) ?? new Map<string, RemoteWorkerSnapshot>();
    for (const worker of known.values()) worker.connected = false;
    const now = Date.now();
    for (const { state, rates, beatChangedAt } of this.workers.values()) {
      const figures = state.queues[queue];
      if (!figures) continue;
      known.set(state.name, {
        name: state.name,
        host: state.host,
        threads: figures.threads,
        busy: figures.busy,
        done: figures.done,
        itemsPerSecond: rates.get(queue)?.perSecond ?? 0,
        heartbeatAgeMs: Math.max(0, now - state.heartbeatAt),
        refused: figures.refused ?? null,
        connected: true,
        stalled: now - beatChangedAt >= WORKER_STALL_AFTER_MS,
      });
    }
    for (const worker of known.values()) if (!worker.connected) Object.assign(worker, { busy: 0, itemsPerSecond: 0, stalled: false });
    this.lastSeen.set(queue, known);
    return [...known.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

const plural = (count: number, word: string): string => (count === 1 ? word : `${word}s`);
