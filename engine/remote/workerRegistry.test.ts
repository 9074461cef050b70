import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { WorkerState } from "./protocol.js";
import { WORKER_STALL_AFTER_MS, WorkerRegistry } from "./workerRegistry.js";

/** What the registry reads of Redis (SCAN and MGET of the workers' state keys), from a map the test edits. */
function standInRedis(states: Map<string, WorkerState>): Redis {
  return {
    status: "ready",
    scan: async () => ["0", [...states.keys()].map((name) => `pipeline-studio:worker:${name}`)],
    mget: async (keys: string[]) => keys.map((key) => JSON.stringify(states.get(key.slice("pipeline-studio:worker:".length)))),
  } as unknown as Redis;
}

const QUEUE = "rrun1-s0";

function state(name: string, fields: { heartbeatAt: number; threads?: number; refused?: string }): WorkerState {
  return {
    name,
    host: `${name}.lan`,
    pid: 1,
    threads: fields.threads ?? 2,
    busy: 0,
    done: 0,
    startedAt: 0,
    heartbeatAt: fields.heartbeatAt,
    version: "0",
    queues: { [QUEUE]: { busy: 0, done: 0, threads: fields.threads ?? 2, ...(fields.refused ? { refused: fields.refused } : {}) } },
  };
}

describe("the workers' events a run notes for its stages", () => {
  let elapsed = 0;
  const states = new Map<string, WorkerState>();
  let registry: WorkerRegistry;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_000_000);
    elapsed = 0;
    states.clear();
    registry = new WorkerRegistry(
      () => standInRedis(states),
      () => elapsed,
    );
    registry.watch(QUEUE);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  /** One reading of Redis `ms` after the previous, on the run's clock and the wall clock alike. */
  async function readAfter(ms: number): Promise<void> {
    elapsed += ms;
    vi.setSystemTime(Date.now() + ms);
    await registry.refresh();
  }

  it("notes a join with the worker's host and threads, and a refusal with its reason, at the run's elapsed time", async () => {
    states.set("alpha", state("alpha", { heartbeatAt: Date.now(), threads: 4 }));
    states.set("stale", state("stale", { heartbeatAt: Date.now(), refused: "decode.mjs differs from the pipeline's" }));
    await readAfter(1500);
    expect(registry.events(QUEUE)).toEqual([
      { atMs: 1500, kind: "joined", worker: "alpha", detail: "joined on alpha.lan with 4 threads" },
      { atMs: 1500, kind: "refused", worker: "stale", detail: "refused the stage: decode.mjs differs from the pipeline's" },
    ]);
    await readAfter(1000);
    expect(registry.events(QUEUE)).toHaveLength(2);
  });

  it("a worker whose heartbeat stops changing stalls, recovers when it beats again, and leaves when its state expires", async () => {
    states.set("alpha", state("alpha", { heartbeatAt: Date.now() }));
    await readAfter(0);
    // Its last heartbeat stays the same from here on, by our clock, for the stall threshold.
    await readAfter(1000);
    await readAfter(WORKER_STALL_AFTER_MS - 1000);
    expect(registry.events(QUEUE).map((event) => event.kind)).toEqual(["joined", "stalled"]);
    expect(registry.events(QUEUE)[1]).toMatchObject({ worker: "alpha", atMs: WORKER_STALL_AFTER_MS });
    expect(registry.events(QUEUE)[1].detail).toMatch(/^no heartbeat for 3 s/);

    states.set("alpha", state("alpha", { heartbeatAt: Date.now() }));
    await readAfter(1000);
    expect(registry.events(QUEUE).map((event) => event.kind)).toEqual(["joined", "stalled", "recovered"]);

    await readAfter(WORKER_STALL_AFTER_MS);
    states.delete("alpha");
    await readAfter(1000);
    expect(registry.events(QUEUE).map((event) => event.kind)).toEqual(["joined", "stalled", "recovered", "stalled", "left"]);
    expect(registry.events(QUEUE).at(-1)!.detail).toBe("gone after its heartbeats stopped (died, or cut off from Redis)");
  });

  it("judges a stall on this process's clock: a worker whose clock runs minutes behind is not stalled while it beats", async () => {
    const behind = 10 * 60_000;
    for (let i = 0; i < 6; i++) {
      states.set("skewed", state("skewed", { heartbeatAt: Date.now() - behind }));
      await readAfter(1000);
    }
    expect(registry.events(QUEUE).map((event) => event.kind)).toEqual(["joined"]);
  });

  it("a worker that stops cleanly leaves without a stall; one that drops the stage (its run ended for it) says so", async () => {
    states.set("alpha", state("alpha", { heartbeatAt: Date.now() }));
    states.set("beta", state("beta", { heartbeatAt: Date.now() }));
    await readAfter(100);
    states.delete("alpha");
    states.set("beta", { ...state("beta", { heartbeatAt: Date.now() }), queues: {} });
    await readAfter(1000);
    expect(registry.events(QUEUE).slice(2)).toEqual([
      { atMs: 1100, kind: "left", worker: "alpha", detail: "gone (stopped)" },
      { atMs: 1100, kind: "left", worker: "beta", detail: "stopped serving the stage" },
    ]);
  });

  it("notes nothing for queues that are not the run's own, and keeps the newest 100 events", async () => {
    const other = { ...state("alpha", { heartbeatAt: Date.now() }), queues: { "rother-s0": { busy: 0, done: 0, threads: 2 } } };
    states.set("alpha", other);
    await readAfter(100);
    expect(registry.events(QUEUE)).toEqual([]);
    expect(registry.events("rother-s0")).toEqual([]);
    for (let i = 0; i < 120; i++) registry.record(QUEUE, "jobStalled", "alpha", `job c${i} stalled`);
    const events = registry.events(QUEUE);
    expect(events).toHaveLength(100);
    expect(events[0].detail).toBe("job c20 stalled");
  });
});
