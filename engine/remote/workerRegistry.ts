/**
 * The workers a run sees: each worker publishes its state under a key with a short TTL; the run
 * reads them about once a second and keeps, per stage queue, who serves it, how busy, how fast,
 * and who refused it (other code). A worker whose key expired is gone (stopped, or died).
 */
import type { Redis } from "ioredis";
import type { RemoteWorkerSnapshot } from "../stats/snapshot.js";
import { WORKER_KEY_PATTERN, type WorkerState } from "./protocol.js";

interface Seen {
  state: WorkerState;
  readAt: number;
  /** Per queue: done at the previous reading, and the rate since. */
  rates: Map<string, { done: number; at: number; perSecond: number }>;
}

export class WorkerRegistry {
  private readonly workers = new Map<string, Seen>();
  /** Per queue, the workers seen serving it, with their last figures (kept after they leave). */
  private readonly lastSeen = new Map<string, Map<string, RemoteWorkerSnapshot>>();

  constructor(private readonly redis: () => Redis | undefined) {}

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
      const seen = this.workers.get(state.name) ?? { state, readAt: now, rates: new Map() };
      for (const [queue, figures] of Object.entries(state.queues)) {
        const previous = seen.rates.get(queue);
        const perSecond =
          previous && now > previous.at ? ((figures.done - previous.done) * 1000) / (now - previous.at) : (previous?.perSecond ?? 0);
        seen.rates.set(queue, { done: figures.done, at: now, perSecond: Math.max(0, perSecond) });
      }
      seen.state = state;
      seen.readAt = now;
      this.workers.set(state.name, seen);
    }
    for (const name of this.workers.keys()) if (!present.has(name)) this.workers.delete(name);
  }

  forQueue(queue: string): RemoteWorkerSnapshot[] {
    const known = this.lastSeen.get(queue) ?? new Map<string, RemoteWorkerSnapshot>();
    for (const worker of known.values()) worker.connected = false;
    for (const { state, rates } of this.workers.values()) {
      const figures = state.queues[queue];
      if (!figures) continue;
      known.set(state.name, {
        name: state.name,
        host: state.host,
        threads: figures.threads,
        busy: figures.busy,
        done: figures.done,
        itemsPerSecond: rates.get(queue)?.perSecond ?? 0,
        heartbeatAgeMs: Math.max(0, Date.now() - state.heartbeatAt),
        refused: figures.refused ?? null,
        connected: true,
      });
    }
    for (const worker of known.values()) if (!worker.connected) Object.assign(worker, { busy: 0, itemsPerSecond: 0 });
    this.lastSeen.set(queue, known);
    return [...known.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
