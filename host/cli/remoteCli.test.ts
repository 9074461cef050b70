import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisServer } from "../../engine/remote/redisServer.js";
import { skipRemoteTests, startWorker } from "../../engine/remote/testing/cluster.js";
import { spawnCli } from "./testing/spawnCli.js";

/** The CLI's remote side end to end: `run --local-workers`, `run --redis`, `worker`. */

let folder: string;

function remoteFile(count: number, build: Record<string, unknown> = {}): string {
  return JSON.stringify({
    format: "pipeline-studio/1",
    nodes: [
      { id: "numbers", kind: "source", op: "range", params: { count } },
      { id: "work", kind: "stage", op: "cpu", params: { ms: 1 }, concurrency: 4, runOn: "remote" },
      { id: "out", kind: "sink" },
    ],
    edges: [
      { from: "numbers", to: "work" },
      { from: "work", to: "out" },
    ],
    build,
  });
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "remote-cli-"));
  await writeFile(join(folder, "remote.pipeline.json"), remoteFile(60));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("remote stages from the CLI, without Redis", () => {
  it("a file with a remote stage and no Redis anywhere is refused before it runs, saying where to name one", async () => {
    const result = await spawnCli(folder, ["run", "remote.pipeline.json", "--no-progress"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "build.remote: 'work' runs remote: name a Redis (build.remote.redis, PIPELINE_STUDIO_REDIS or run --redis URL), or try run --local-workers N",
    );
  });

  it("an unreachable Redis fails the run, naming the URL and why", async () => {
    const result = await spawnCli(folder, ["run", "remote.pipeline.json", "--no-progress", "--redis", "unix:///nonexistent/redis.sock"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: Cannot reach Redis at unix:\/\/\/nonexistent\/redis\.sock for remote stage 'work': .*ENOENT/);
  });

  it("worker without a Redis is a usage error", async () => {
    const result = await spawnCli(folder, ["worker"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("name the Redis with --redis redis://host:6379 (or set PIPELINE_STUDIO_REDIS)");
  });
});

describe.skipIf(skipRemoteTests)("remote stages from the CLI, with Redis", () => {
  it("run --local-workers 2 starts a private Redis and two workers, runs the remote stage on them, and stops them", async () => {
    const result = await spawnCli(folder, ["run", "remote.pipeline.json", "--no-progress", "--local-workers", "2", "--json"]);
    expect(result.stderr).toMatch(/Started a private Redis and 2 local workers \(\d+ threads? each\) for work/);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      itemsDelivered: number;
      stats: { stages: { name: string; remote?: { workers: { name: string; done: number }[] } }[] };
    };
    expect(report.itemsDelivered).toBe(60);
    const workers = report.stats.stages.find((stage) => stage.name === "work")!.remote!.workers;
    expect(workers.map((worker) => worker.name)).toEqual(["local-1", "local-2"]);
    expect(workers.reduce((sum, worker) => sum + worker.done, 0)).toBe(60);
  }, 60_000);

  it("worker prints its ready line, serves run --redis, and leaves on SIGTERM (exit 143)", async () => {
    const server = await RedisServer.start();
    const worker = startWorker(server.url, { name: "cli-worker", threads: 2 });
    try {
      expect(await worker.ready).toBe(`Worker cli-worker ready: ${server.url}, 2 threads`);
      const result = await spawnCli(folder, [
        "run",
        "remote.pipeline.json",
        "--no-progress",
        "--redis",
        server.url,
        "--report",
        join(folder, "report.json"),
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/work\s+remote\s+4\s+60\s+60\s+0/);
      const report = JSON.parse(await (await import("node:fs/promises")).readFile(join(folder, "report.json"), "utf8")) as {
        figures: { stages: { name: string; workers?: { name: string; done: number }[] }[] };
      };
      expect(report.figures.stages.find((stage) => stage.name === "work")!.workers).toEqual([
        expect.objectContaining({ name: "cli-worker", done: 60 }),
      ]);
      // profile sweeps the remote stage through the same workers (the file names the Redis).
      await writeFile(join(folder, "named.pipeline.json"), remoteFile(60, { remote: { redis: server.url } }));
      const profile = await spawnCli(folder, ["profile", "named.pipeline.json", "--step-ms", "1000", "--max-concurrency", "2", "--json"]);
      expect(profile.code).toBe(0);
      const sweep = JSON.parse(profile.stdout) as {
        profile: { stages: { stage: string; executor: string; levels: { concurrency: number; itemsPerSecond: number }[] }[] };
      };
      const work = sweep.profile.stages.find((stage) => stage.stage === "work")!;
      expect(work.executor).toBe("remote");
      expect(work.levels.map((level) => level.concurrency)).toEqual([1, 2]);
      expect(work.levels.some((level) => level.itemsPerSecond > 0)).toBe(true);
      expect(await worker.kill("SIGTERM")).toBe(143);
      expect(worker.stderr()).toContain("Worker cli-worker serves stage 'work' of run");
      expect(worker.stderr()).toContain("Worker cli-worker stopped");
    } finally {
      await worker.kill("SIGKILL");
      await server.stop();
    }
  }, 60_000);
});
