import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PipelineBuilder, remoteTask, type Pipeline } from "../index.js";
import { builtModuleUrl } from "../pool/builtModule.js";
import { range } from "../testing/helpers.js";
import { RedisServer } from "./redisServer.js";
import { skipRemoteTests, startWorker, type WorkerProcess } from "./testing/cluster.js";

const OPS = builtModuleUrl("./testing/remoteOps.js", import.meta.url);

interface Tagged {
  item: number;
  pid: number;
}

/** Resolves once `condition` holds on the pipeline's stats (read every 20 ms); the test's timeout bounds it. */
function statsReach(pipeline: Pipeline<unknown>, condition: (stage: ReturnType<Pipeline<unknown>["stats"]>["stages"][number]) => boolean) {
  return new Promise<void>((resolve) => {
    const check = () => (condition(pipeline.stats().stages[1]) ? resolve() : setTimeout(check, 20));
    check();
  });
}

describe.skipIf(skipRemoteTests)("remote stages under faults", () => {
  let server: RedisServer;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    server = await RedisServer.start();
  });

  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.kill("SIGKILL")));
    workers = [];
  });

  afterAll(async () => {
    await server?.stop();
  });

  const worker = (name: string, options: { threads?: number; root?: string } = {}) => {
    const started = startWorker(server.url, { name, lockMs: 1000, ...options });
    workers.push(started);
    return started;
  };

  it("kill -9 of a worker mid-run: its jobs run again elsewhere and every item is delivered exactly once", async () => {
    const doomed = worker("doomed", { threads: 2 });
    const survivor = worker("survivor", { threads: 2 });
    await Promise.all([doomed.ready, survivor.ready]);
    const pipeline = new PipelineBuilder()
      .addSource(range(60))
      .pipe(remoteTask<number, Tagged>(OPS, "hold", { ms: 80 }), { concurrency: 4 })
      .addSink()
      .build({ remote: { redis: server.url } });
    const seen: number[] = [];
    let killed = false;
    for await (const result of pipeline) {
      seen.push(result.item);
      // Once the doomed worker has delivered something it is mid-job (it keeps 2 running).
      if (!killed && result.pid === doomed.child.pid) {
        killed = true;
        await doomed.kill("SIGKILL");
      }
    }
    expect(killed).toBe(true);
    expect(seen.sort((a, b) => a - b)).toEqual(range(60));
    expect(pipeline.failures()).toEqual([]);
  }, 30_000);

  it("the run notes its workers joining, and one killed mid-job: its jobs' stalls and its leaving", async () => {
    const alpha = worker("alpha", { threads: 2 });
    await alpha.ready;
    const pipeline = new PipelineBuilder()
      .addSource(range(50), { repeat: true })
      .pipe(remoteTask<number, Tagged>(OPS, "hold", { ms: 200 }), { concurrency: 4 })
      .addSink()
      .build({ remote: { redis: server.url } });
    const events = () => pipeline.stats().stages[1].remote?.workerEvents ?? [];
    const has = (kind: string, name: string) => events().some((event) => event.kind === kind && event.worker === name);
    let delivered = 0;
    void (async () => {
      // The reader keeps the run moving; stop() ends it.
      for await (const _item of pipeline) delivered++;
    })().catch(() => undefined);
    await statsReach(pipeline, () => has("joined", "alpha"));
    const beta = worker("beta", { threads: 2 });
    await beta.ready;
    await statsReach(
      pipeline,
      (stage) => has("joined", "beta") && (stage.remote?.workers.find((entry) => entry.name === "alpha")?.busy ?? 0) > 0,
    );
    const remote = pipeline.stats().stages[1].remote!;
    expect(remote.redisConnection).toBe("connected");
    expect(remote.redisUrl).toMatch(/^unix:\/\/.*redis\.sock$/);
    expect(events().find((event) => event.worker === "alpha")).toMatchObject({
      kind: "joined",
      detail: expect.stringMatching(/^joined on .* with 2 threads$/),
    });

    await alpha.kill("SIGKILL");
    // Its jobs' locks expire (1 s here) and beta takes them; its state expires a few seconds later.
    // (A stalled job names the worker that held it last: alpha, unless beta took it again first.)
    await statsReach(pipeline, () => events().some((event) => event.kind === "jobStalled"));
    await statsReach(pipeline, () => has("left", "alpha"));
    expect(events().find((event) => event.kind === "jobStalled")!.detail).toMatch(/^job c\d+ stalled( on \w+)?: its lock expired/);
    const left = events().find((event) => event.kind === "left")!;
    expect(left.worker).toBe("alpha");
    expect(left.detail).toMatch(/^gone/);
    expect(events().findIndex((event) => event.kind === "jobStalled")).toBeGreaterThan(
      events().findIndex((event) => event.kind === "joined"),
    );
    expect(pipeline.stats().stages[1].remote!.workers.find((entry) => entry.name === "alpha")).toMatchObject({ connected: false });
    await pipeline.stop();
    expect(delivered).toBeGreaterThan(0);
    expect(pipeline.stats().stages[1].remote!.redisConnection).toBe("closed");
  }, 40_000);

  it("a worker that joins mid-run takes work", async () => {
    const first = worker("first", { threads: 1 });
    await first.ready;
    const pipeline = new PipelineBuilder()
      .addSource(range(40))
      .pipe(remoteTask<number, Tagged>(OPS, "hold", { ms: 40 }), { concurrency: 4 })
      .addSink()
      .build({ remote: { redis: server.url } });
    const pids = new Set<number>();
    let late: WorkerProcess | undefined;
    for await (const result of pipeline) {
      pids.add(result.pid);
      if (!late) {
        late = worker("late", { threads: 2 });
        await late.ready;
      }
    }
    expect(pids).toEqual(new Set([first.child.pid, late!.child.pid]));
  }, 30_000);

  it("a worker whose module differs refuses the stage, visibly; one with the same file serves it", async () => {
    const here = mkdtempSync(join(tmpdir(), "remote-here-"));
    const there = mkdtempSync(join(tmpdir(), "remote-there-"));
    try {
      writeFileSync(join(here, "op.mjs"), "export function bump(x) { return x + 1; }\n");
      writeFileSync(join(there, "op.mjs"), "export function bump(x) { return x + 2; }\n");
      const stale = worker("stale", { root: there });
      await stale.ready;
      const pipeline = new PipelineBuilder()
        .addSource(range(5))
        .pipe(remoteTask<number, number>(pathToFileURL(join(here, "op.mjs")), "bump", null, { root: here }), { concurrency: 2 })
        .addSink()
        .build({ remote: { redis: server.url } });
      pipeline.start();
      await statsReach(pipeline, (stage) => stage.remote?.workers.some((entry) => entry.refused !== null) ?? false);
      const refusal = pipeline.stats().stages[1].remote!.workers.find((entry) => entry.name === "stale")!;
      expect(refusal.refused).toMatch(/op\.mjs differs from the pipeline's \(sha256 /);
      expect(pipeline.stats().stages[1].remote!.workerSlots).toBe(0);
      expect(stale.stderr()).toMatch(/Worker stale refuses stage 'bump' of run .*: .*op\.mjs differs from the pipeline's/);
      worker("current", { root: here });
      const results: number[] = [];
      for await (const value of pipeline) results.push(value);
      expect(results.sort()).toEqual([1, 2, 3, 4, 5]);
    } finally {
      rmSync(here, { recursive: true, force: true });
      rmSync(there, { recursive: true, force: true });
    }
  }, 30_000);

  it("setWorkerThreads reaches the running workers: they run that many of the stage's jobs at once", async () => {
    const only = worker("only", { threads: 1 });
    await only.ready;
    const pipeline = new PipelineBuilder()
      .addSource(range(400))
      .pipe(remoteTask<number, Tagged>(OPS, "hold", { ms: 20 }), { concurrency: 8 })
      // Nobody reads the results here: an unbounded sink keeps the stage busy.
      .addSink(0)
      .build({ remote: { redis: server.url } });
    pipeline.start();
    await statsReach(pipeline, (stage) => stage.remote?.workers[0]?.threads === 1 && stage.itemsOut > 0);
    pipeline.setWorkerThreads("hold", 4);
    await statsReach(pipeline, (stage) => stage.remote?.workers[0]?.threads === 4 && stage.remote.running === 4);
    expect(pipeline.stats().stages[1].remote!.workerThreads).toBe(4);
    expect(pipeline.stats().stages[1].remote!.workerSlots).toBe(4);
    expect(() => pipeline.setWorkerThreads("hold", 0)).toThrow(/setWorkerThreads\('hold'\) must be an integer ≥ 1/);
    await pipeline.stop();
  }, 30_000);
});

describe.skipIf(skipRemoteTests)("remote stages when Redis restarts", () => {
  it("calls lost with Redis time out and are retried by the stage's policy: every item delivered once", async () => {
    const server = await RedisServer.start();
    const worker = startWorker(server.url, { name: "steady", threads: 4, lockMs: 1000 });
    try {
      await worker.ready;
      const pipeline = new PipelineBuilder()
        .addSource(range(100))
        .pipe(remoteTask<number, Tagged>(OPS, "hold", { ms: 10 }), { concurrency: 4, timeoutMs: 3000, retries: 5, retryDelayMs: 200 })
        .addSink()
        .build({ remote: { redis: server.url } });
      const seen: number[] = [];
      let restarted = false;
      for await (const result of pipeline) {
        seen.push(result.item);
        if (!restarted && seen.length === 20) {
          restarted = true;
          await server.restart(300);
        }
      }
      expect(seen.sort((a, b) => a - b)).toEqual(range(100));
      expect(pipeline.failures()).toEqual([]);
      expect(pipeline.stats().stages[1].retries).toBeGreaterThan(0);
    } finally {
      await worker.kill("SIGKILL");
      await server.stop();
    }
  }, 60_000);
});

describe.skipIf(skipRemoteTests)("remote stages when Redis is gone for good", () => {
  it("the run fails, naming Redis, once it has been away longer than the calls' deadline; nothing hangs", async () => {
    const server = await RedisServer.start();
    const worker = startWorker(server.url, { name: "orphan", threads: 2, lockMs: 1000 });
    try {
      await worker.ready;
      const pipeline = new PipelineBuilder()
        .addSource(range(1000))
        .pipe(remoteTask<number, Tagged>(OPS, "hold", { ms: 20 }), { concurrency: 4 })
        .addSink()
        .build({ remote: { redis: server.url, deadlineMs: 1500 } });
      await pipeline.getItem();
      await server.stop();
      // Until the deadline passes the app shows it reconnecting, and for how long.
      await statsReach(pipeline, (stage) => stage.remote?.redisConnection === "reconnecting" && stage.remote.redisAwayMs > 0);
      let error: unknown;
      try {
        for (;;) await pipeline.getItem();
      } catch (caught) {
        error = caught;
      }
      expect((error as Error).name).toBe("RemoteUnavailableError");
      expect((error as Error).message).toMatch(
        /^Lost Redis at unix:\/\/.*redis\.sock: unreachable for \d+ s, longer than the remote calls' deadline \(1500 ms\)/,
      );
      expect(pipeline.state).toBe("failed");
      await pipeline.stop();
    } finally {
      await worker.kill("SIGKILL");
      await server.stop();
    }
  }, 30_000);
});
