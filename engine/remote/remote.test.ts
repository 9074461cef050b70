import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, PipelineBuilder, RemoteUnavailableError, remoteTask, stageOp, type PipelineSnapshot } from "../index.js";
import { builtModuleUrl } from "../pool/builtModule.js";
import { collect, range } from "../testing/helpers.js";
import { RedisServer } from "./redisServer.js";
import { skipRemoteTests, startWorker, type WorkerProcess } from "./testing/cluster.js";

const OPS = builtModuleUrl("./testing/remoteOps.js", import.meta.url);

interface Tagged {
  item: number;
  pid: number;
}

describe.skipIf(skipRemoteTests)("remote stages (BullMQ workers on a private Redis)", () => {
  let server: RedisServer;
  let redis: Redis;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    server = await RedisServer.start();
    redis = new Redis({ path: server.socket });
    workers = [startWorker(server.url, { name: "alpha", threads: 2 }), startWorker(server.url, { name: "beta", threads: 2 })];
    await Promise.all(workers.map((worker) => worker.ready));
  }, 30_000);

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    redis?.disconnect();
    await server?.stop();
  });

  const remote = () => ({ redis: server.url });

  it("passes every item through the workers, in input order when asked, and spreads calls over them", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(200))
      .pipe(remoteTask<number, Tagged>(OPS, "hold", { ms: 2 }), { concurrency: 8, outputOrder: "input" })
      .addSink(4)
      .build({ remote: remote() });
    const results = await collect(pipeline);
    expect(results.map((result) => result.item)).toEqual(range(200));
    const pids = new Set(results.map((result) => result.pid));
    expect(pids).toEqual(new Set(workers.map((worker) => worker.child.pid)));
    const stage = pipeline.stats().stages[1];
    expect(stage.executor).toBe("remote");
    expect(stage.remote?.completed).toBe(200);
    expect(stage.remote?.outstanding).toBe(0);
    expect(stage.remote?.workers.map((worker) => worker.name)).toEqual(["alpha", "beta"]);
    expect(stage.remote?.workers.reduce((sum, worker) => sum + worker.done, 0)).toBe(200);
    expect(pipeline.remoteWorkers()).toEqual({ hold: ["alpha", "beta"] });
  });

  it("keeps structured-clone semantics: a Uint8Array comes back a Uint8Array, large ones through a key that is then freed", async () => {
    const small = Uint8Array.from([1, 2, 3]);
    const large = new Uint8Array(300_000).map((_, index) => index % 251);
    const pipeline = new PipelineBuilder()
      .addSource([small, large])
      .pipe(remoteTask<Uint8Array, Uint8Array>(OPS, "reverseBytes"), { concurrency: 2, outputOrder: "input" })
      .addSink()
      .build({ remote: remote() });
    const [first, second] = await collect(pipeline);
    expect(first).toBeInstanceOf(Uint8Array);
    expect([...first]).toEqual([3, 2, 1]);
    expect(second).toBeInstanceOf(Uint8Array);
    expect(second.length).toBe(large.length);
    expect(second[0]).toBe(large[large.length - 1]);
    expect(await redis.keys("pipeline-studio:blob:*")).toEqual([]);
  });

  it("an op's error keeps its name and message; failures count as for a local stage", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(6))
      .pipe(remoteTask<number, number>(OPS, "failNamed"), { concurrency: 3 })
      .addSink()
      .build({ remote: remote() });
    const results = await collect(pipeline);
    expect(results.sort()).toEqual([0, 2, 4]);
    const failures = pipeline.failures();
    expect(failures).toHaveLength(3);
    expect(failures.map((failure) => failure.error.name)).toEqual(["OddItemError", "OddItemError", "OddItemError"]);
    expect(failures.map((failure) => failure.error.message).sort()).toEqual(["odd item 1", "odd item 3", "odd item 5"]);
  });

  it("concurrency bounds the jobs outstanding, and setConcurrency applies at once", async () => {
    let maxOutstanding = 0;
    let maxAfterLowering = 0;
    let lowered = false;
    const pipeline = new PipelineBuilder()
      .addSource(range(40))
      .pipe(remoteTask<number, Tagged>(OPS, "hold", { ms: 20 }), { concurrency: 3 })
      .addSink()
      .build({
        remote: remote(),
        statsIntervalMs: 5,
        onStats: (snapshot: PipelineSnapshot) => {
          const outstanding = snapshot.stages[1].remote?.outstanding ?? 0;
          if (lowered) maxAfterLowering = Math.max(maxAfterLowering, outstanding);
          else maxOutstanding = Math.max(maxOutstanding, outstanding);
        },
      });
    let delivered = 0;
    for await (const _ of pipeline) {
      if (++delivered === 20) {
        pipeline.setConcurrency("hold", 1);
        // Calls already out finish; from the next result on, one at a time.
        await new Promise<void>((resolve) => {
          const check = () => ((pipeline.stats().stages[1].remote?.outstanding ?? 0) <= 1 ? resolve() : setTimeout(check, 5));
          check();
        });
        lowered = true;
      }
    }
    expect(delivered).toBe(40);
    expect(maxOutstanding).toBe(3);
    expect(maxAfterLowering).toBe(1);
  });

  it("refuses to start, naming the URL, when Redis does not answer, before any item is taken", async () => {
    let pulled = 0;
    function* source() {
      for (let i = 0; i < 10; i++) {
        pulled++;
        yield i;
      }
    }
    const pipeline = new PipelineBuilder()
      .addSource(source())
      .pipe(remoteTask<number, Tagged>(OPS, "tagged"))
      .addSink()
      .build({ remote: { redis: "redis://:hunter2@127.0.0.1:1" } });
    const error = await pipeline.getItem().catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(RemoteUnavailableError);
    expect((error as Error).message).toMatch(/Cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1.* for remote stage 'tagged'/);
    expect((error as Error).message).not.toContain("hunter2");
    expect(pulled).toBe(0);
    expect(pipeline.state).toBe("failed");
  });

  it("runs catalog ops by name on the workers, a synchronous one (cpu) and an asynchronous one (sleep) alike", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(20))
      .pipe(stageOp<number, number>("cpu", { ms: 1 }, { runOn: "remote" }), { concurrency: 4 })
      .pipe(stageOp<number, number>("sleep", { ms: 2 }, { runOn: "remote" }), { concurrency: 4, outputOrder: "input" })
      .addSink()
      .build({ remote: remote() });
    const results = await collect(pipeline);
    expect(results.sort((a, b) => a - b)).toEqual(range(20));
    expect(pipeline.stats().stages.map((stage) => stage.executor)).toEqual(["loop", "remote", "remote"]);
    expect(Object.keys(pipeline.remoteWorkers())).toEqual(["cpu", "sleep"]);
  });

  it("a remote stage without a Redis is a build error", () => {
    const builder = new PipelineBuilder().addSource(range(3)).pipe(remoteTask(OPS, "tagged")).addSink();
    expect(() => builder.build()).toThrow(ConfigError);
    expect(() => builder.build()).toThrow(/needs a Redis/);
  });

  it("stop() with jobs outstanding resolves, removes the run's waiting jobs and leaves no queue behind", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(50))
      .pipe(remoteTask<number, Tagged>(OPS, "hold", { ms: 300 }), { concurrency: 10 })
      .addSink()
      .build({ remote: remote() });
    pipeline.start();
    // 10 outstanding on 4 worker slots: some wait in Redis.
    await new Promise<void>((resolve) => {
      const check = () => ((pipeline.stats().stages[1].remote?.outstanding ?? 0) === 10 ? resolve() : setTimeout(check, 5));
      check();
    });
    const queue = pipeline.stats().stages[1].remote!.queue;
    await pipeline.stop();
    expect(pipeline.state).toBe("stopped");
    // The run's announcement now says it ended (kept a few seconds for workers that missed the message).
    const announcements = await Promise.all((await redis.keys("pipeline-studio:run:*")).map((key) => redis.get(key)));
    expect(announcements.every((text) => (JSON.parse(text!) as { ended?: boolean }).ended === true)).toBe(true);
    // Jobs already running finish on their workers, which then remove what they wrote.
    let left = await redis.keys(`pipeline-studio:bull:${queue}:*`);
    while (left.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      left = await redis.keys(`pipeline-studio:bull:${queue}:*`);
    }
    expect(left).toEqual([]);
  });

  it("drain() with jobs outstanding delivers what was taken and completes", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(1000))
      .pipe(remoteTask<number, Tagged>(OPS, "hold", { ms: 50 }), { concurrency: 6 })
      .addSink(1)
      .build({ remote: remote() });
    const first = await pipeline.getItem();
    pipeline.drain();
    const rest = await collect(pipeline);
    const stage = pipeline.stats().stages[1];
    expect(pipeline.state).toBe("completed");
    expect(1 + rest.length).toBe(stage.itemsIn);
    expect(new Set([first, ...rest].map((result) => result.item)).size).toBe(stage.itemsIn);
    expect(stage.itemsIn).toBeLessThan(1000);
  });
});
