/**
 * Remote stages: a 5 ms CPU stage on 1, 2 (and 4) worker processes of one thread each against
 * the local pool on the same cores; the per-item cost of a remote no-op against the pool's;
 * tiny items batched per job (aggregate → remote → disaggregate) against one job per item; and
 * the time from a worker's kill -9 to its job's result arriving from another worker. Needs
 * `redis-server` (a private one is started); without it the suite says how to install it.
 */
import type { ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { PipelineBuilder, poolTask, remoteTask } from "../engine/index.js";
import { REDIS_INSTALL_HINT, RedisServer, redisServerInstalled } from "../engine/remote/redisServer.js";
import { assertCount, interleave, pairedRatios, steadyRate } from "./measure.js";
import { calibrateSpin } from "./ops/calibrate.js";
import type { SpinParams } from "./ops/cpu.js";
import { figure, formatValue, measurement, type Figure, type Measurement, type SuiteResult } from "./report.js";
import { range } from "./source.js";
import { startWorkerProcesses } from "../host/localWorkers.js";
import type { SuiteContext } from "./suite.js";

const CPU_OPS = new URL("./ops/cpu.js", import.meta.url);
const ROOT = fileURLToPath(new URL("..", import.meta.url));

export const REMOTE_SCALING_TARGET = { kind: "atLeast", value: 1.6 } as const;

/** Worker processes of `threads` threads each, ready to take jobs. */
async function startWorkers(url: string, count: number, threads: number): Promise<{ children: ChildProcess[]; stop(): Promise<void> }> {
  return startWorkerProcesses(url, count, { threads, root: ROOT, namePrefix: "bench" });
}

async function rateOf(pipeline: AsyncIterable<unknown>, items: number, label: string): Promise<number> {
  const deliveredAt: number[] = [];
  for await (const _ of pipeline) deliveredAt.push(performance.now());
  assertCount(label, deliveredAt.length, items);
  return steadyRate(deliveredAt);
}

export async function runRemote(context: SuiteContext): Promise<SuiteResult> {
  const title = "Remote stages (BullMQ workers on a private Redis)";
  if (!redisServerInstalled()) {
    return { suite: "remote", title, params: {}, measurements: [], figures: [], notes: [`Skipped: ${REDIS_INSTALL_HINT}`] };
  }
  const server = await RedisServer.start();
  try {
    return await measureAll(context, server.url, title);
  } finally {
    await server.stop();
  }
}

async function measureAll(context: SuiteContext, url: string, title: string): Promise<SuiteResult> {
  const rounds = context.quick ? 2 : 3;
  const cpuItems = context.quick ? 200 : 600;
  const spinParams: SpinParams = { ms: 5, iterationsPerMs: calibrateSpin() };
  const workerCounts = context.quick ? [1, 2] : [1, 2, 4];
  const remoteCpu = (workers: number) => async () => {
    const children = await startWorkers(url, workers, 1);
    try {
      const pipeline = new PipelineBuilder()
        .addSource(range(cpuItems))
        .pipe(remoteTask<number, number>(CPU_OPS, "spin", spinParams, { root: ROOT }), { concurrency: workers * 2 })
        .addSink(2)
        .build({ remote: { redis: url } });
      return await rateOf(pipeline, cpuItems, `remote ${workers} workers`);
    } finally {
      await children.stop();
    }
  };
  const localCpu = (threads: number) => () =>
    rateOf(
      new PipelineBuilder()
        .addSource(range(cpuItems))
        .pipe(poolTask<number, number>(CPU_OPS, "spin", spinParams), { concurrency: threads * 2 })
        .addSink(2)
        .build({ numThreads: threads }),
      cpuItems,
      `pool ${threads} threads`,
    );
  const progress = (group: string) => (info: { round: number; rounds: number; name: string; result: number }) =>
    context.progress(`[remote] ${group} round ${info.round}/${info.rounds}: ${info.name} ${formatValue(info.result, "items/s")}`);
  const cpu = await interleave(
    [
      ...workerCounts.map((workers) => ({
        name: `remote ${workers} worker${workers === 1 ? "" : "s"} × 1 thread`,
        run: remoteCpu(workers),
      })),
      { name: "local pool 1 thread", run: localCpu(1) },
      { name: "local pool 2 threads", run: localCpu(2) },
    ],
    rounds,
    { afterRun: progress("cpu 5 ms") },
  );

  const tinyItems = context.quick ? 2_000 : 6_000;
  const batchedItems = tinyItems * 10;
  const noop = await interleave(
    [
      {
        name: "remote no-op, 2 workers × 2 threads",
        run: async () => {
          const children = await startWorkers(url, 2, 2);
          try {
            const pipeline = new PipelineBuilder()
              .addSource(range(tinyItems))
              .pipe(remoteTask<number, number>(CPU_OPS, "noop", null, { root: ROOT }), { concurrency: 16 })
              .addSink(2)
              .build({ remote: { redis: url } });
            return await rateOf(pipeline, tinyItems, "remote no-op");
          } finally {
            await children.stop();
          }
        },
      },
      {
        name: "remote no-op batched 100 per job",
        run: async () => {
          const children = await startWorkers(url, 2, 2);
          try {
            const pipeline = new PipelineBuilder()
              .addSource(range(batchedItems))
              .aggregate(100)
              .pipe(remoteTask<number[], number[]>(CPU_OPS, "noop", null, { root: ROOT }), { concurrency: 16 })
              .disaggregate()
              .addSink(2)
              .build({ remote: { redis: url } });
            return await rateOf(pipeline, batchedItems, "remote batched");
          } finally {
            await children.stop();
          }
        },
      },
      {
        name: "local pool no-op, 2 threads",
        run: () =>
          rateOf(
            new PipelineBuilder()
              .addSource(range(tinyItems * 10))
              .pipe(poolTask<number, number>(CPU_OPS, "noop"), { concurrency: 16 })
              .addSink(2)
              .build({ numThreads: 2 }),
            tinyItems * 10,
            "pool no-op",
          ),
      },
    ],
    rounds,
    { afterRun: progress("no-op") },
  );

  const recoveryMs = await killRecovery(url, spinParams, context);

  const cpuSetting = "spin ~5 ms";
  const measurements: Measurement[] = [
    ...[...cpu].map(([name, rates]) => measurement(cpuSetting, name, "items/s", rates)),
    ...[...noop].map(([name, rates]) => {
      const sorted = [...rates].sort((a, b) => a - b);
      return measurement("no-op", name, "items/s", rates, `${(1e6 / sorted[Math.floor(sorted.length / 2)]).toFixed(1)} µs per item`);
    }),
    measurement("kill -9 of a worker", "until its job's result arrives from another", "ms", [recoveryMs], "lock 10 s + stall check 5 s"),
  ];
  const samples = (name: string) => [...cpu, ...noop].find(([candidate]) => candidate === name)![1];
  const median = (name: string) => measurements.find((m) => m.contender === name)!.median;
  const compare = (id: string, label: string, value: string, peer: string, target: Figure["target"] = null): Figure =>
    figure(
      { id, suite: "remote", label, unit: "items/s", value: median(value), peer: { name: peer, value: median(peer) }, target },
      pairedRatios(samples(value), samples(peer)),
    );
  const oneWorker = "remote 1 worker × 1 thread";
  const twoWorkers = "remote 2 workers × 1 thread";
  const remoteNoop = "remote no-op, 2 workers × 2 threads";
  const figures: Figure[] = [
    compare("remote.cpu.scaling", "remote cpu 5 ms: 2 workers vs 1", twoWorkers, oneWorker, REMOTE_SCALING_TARGET),
    compare("remote.cpu.vsPool", "cpu 5 ms on 2 cores: 2 remote workers vs the local pool's 2 threads", twoWorkers, "local pool 2 threads"),
    compare("remote.noop.vsPool", "no-op: remote per item vs the local pool", remoteNoop, "local pool no-op, 2 threads"),
    compare("remote.noop.batched", "no-op: batched 100 per job vs one job per item", "remote no-op batched 100 per job", remoteNoop),
  ];
  return {
    suite: "remote",
    title,
    params: { rounds, cpuItems, tinyItems, workerThreads: 1 },
    measurements,
    figures,
    notes: [
      "Redis, the pipeline and the workers share this machine's cores: a remote call costs ~0.3 ms of CPU in all, which the 5 ms op's scaling pays for; more worker processes than cores only adds contention.",
    ],
  };
}

/** Two workers; one is killed -9 while it holds a job; the time until that item's result arrives (from the other). */
async function killRecovery(url: string, spinParams: SpinParams, context: SuiteContext): Promise<number> {
  const children = await startWorkers(url, 2, 1);
  try {
    const pipeline = new PipelineBuilder()
      .addSource(range(6))
      .pipe(remoteTask<number, number>(CPU_OPS, "spin", { ...spinParams, ms: 300 }, { root: ROOT }), { concurrency: 2 })
      .addSink(8)
      .build({ remote: { redis: url } });
    pipeline.start();
    const first = await pipeline.getItem();
    // Each worker holds one 300 ms job now; kill one mid-job.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const killedAt = performance.now();
    children.children[0].kill("SIGKILL");
    let slowest = 0;
    const seen = [first];
    for (;;) {
      try {
        seen.push(await pipeline.getItem());
        slowest = Math.max(slowest, performance.now() - killedAt);
      } catch {
        break;
      }
    }
    assertCount("kill recovery", seen.length, 6);
    context.progress(`[remote] kill -9 recovery: ${(slowest / 1000).toFixed(1)} s`);
    return slowest;
  } finally {
    await children.stop();
  }
}
