import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { skipRemoteTests } from "../engine/remote/testing/cluster.js";
import type { PipelineFile, PipelineSnapshot } from "./protocol.js";
import type { StudioSession } from "./session.js";
import { closeTestSession, nextRunEnd, openTestSession } from "./testing/testSession.js";

/** The app's side of remote stages: local workers for a run, worker threads live, the messages when neither Redis nor redis-server is there. */

let home: string;
let session: StudioSession;
beforeEach(async () => ({ home, session } = await openTestSession("studio-remote-")));
afterEach(() => closeTestSession(session, home));

/** The first runStats snapshot for which `holds` is true. */
function snapshotWhere(holds: (snapshot: PipelineSnapshot) => boolean): Promise<PipelineSnapshot> {
  return new Promise((resolve) => {
    const off = session.onEvent((event) => {
      if (event.type === "runStats" && holds(event.snapshot)) {
        off();
        resolve(event.snapshot);
      }
    });
  });
}

/** The remote figures of decode (none until the run has opened its queue in Redis). */
const remoteOf = (snapshot: PipelineSnapshot) => snapshot.stages.find((stage) => stage.name === "decode")!.remote;
const decodeOf = (snapshot: PipelineSnapshot) => remoteOf(snapshot)!;

/** Processes whose command line names `text` (Linux' /proc). */
function processesNaming(text: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function remoteExample(): Promise<PipelineFile> {
  return (await session.handle("openExample", { name: "remote-cpu" })).spec;
}

/** The example with its source repeating: it runs until stopped. */
const endless = (spec: PipelineFile): PipelineFile => ({
  ...spec,
  nodes: spec.nodes.map((node) => (node.kind === "source" ? { ...node, repeat: true } : node)),
});

describe("remote stages from the app, without a Redis", () => {
  let savedRedis: string | undefined;
  beforeEach(() => {
    savedRedis = process.env.PIPELINE_STUDIO_REDIS;
    delete process.env.PIPELINE_STUDIO_REDIS;
  });
  afterEach(() => {
    if (savedRedis !== undefined) process.env.PIPELINE_STUDIO_REDIS = savedRedis;
  });

  it("a remote pipeline with no Redis named and no local workers is refused, saying both ways to run it", async () => {
    const spec = await remoteExample();
    await expect(session.handle("startRun", { spec, allowUserCode: [] })).rejects.toThrow(
      `'decode' runs on remote workers: name the pipeline's Redis (with nothing selected, "Redis for remote stages"), or run on local workers ("local workers for remote stages")`,
    );
    expect(await session.handle("getActivity", {})).toMatchObject({ activity: { kind: null, run: null } });
  });

  it("local workers without redis-server installed: the run is refused with how to install it", async () => {
    const spec = await remoteExample();
    const path = process.env.PATH;
    process.env.PATH = home;
    try {
      await expect(session.handle("startRun", { spec, allowUserCode: [], localWorkers: 2 })).rejects.toThrow(
        "Local workers need a local Redis. redis-server is not installed: on Debian or Ubuntu `sudo apt-get install redis-server`, on macOS `brew install redis`",
      );
    } finally {
      process.env.PATH = path;
    }
    expect(await session.handle("getActivity", {})).toMatchObject({ activity: { kind: null, run: null } });
  });

  it("worker threads are a knob of remote stages only, and of a run in progress", async () => {
    await expect(session.handle("setWorkerThreads", { stage: "decode", threads: 2 })).rejects.toThrow("no run in progress");
    const { spec } = await session.handle("openExample", { name: "input-order" });
    const ended = nextRunEnd(session);
    await session.handle("startRun", { spec, allowUserCode: [] });
    await expect(session.handle("setWorkerThreads", { stage: "fetch", threads: 2 })).rejects.toThrow(
      "setWorkerThreads: 'fetch' does not run remote",
    );
    await session.handle("stopRun", { mode: "abort" });
    await ended;
  });
});

describe.skipIf(skipRemoteTests)("a run on local workers started by the app", () => {
  it("starts a private Redis and N workers, shows them serving the stage, turns their threads live, and stops them all after", async () => {
    const spec = endless(await remoteExample());
    const ended = nextRunEnd(session);
    const serving = snapshotWhere((snapshot) => remoteOf(snapshot)?.workers.filter((worker) => worker.connected).length === 2);
    await session.handle("startRun", { spec, allowUserCode: [], localWorkers: 2 });

    const live = decodeOf(await serving);
    // Started together, the two join in either order.
    expect(live.workers.map((worker) => worker.name).sort()).toEqual(["local-1", "local-2"]);
    expect(live.redisConnection).toBe("connected");
    expect(live.redisUrl).toMatch(/^unix:\/\/.*redis\.sock$/);
    expect(
      live.workerEvents
        .filter((event) => event.kind === "joined")
        .map((event) => event.worker)
        .sort(),
    ).toEqual(["local-1", "local-2"]);

    // The knob reaches the running workers: each then runs 3 jobs at once for decode.
    const threaded = snapshotWhere((snapshot) => remoteOf(snapshot)?.workers.every((worker) => worker.threads === 3) ?? false);
    await session.handle("setWorkerThreads", { stage: "decode", threads: 3 });
    expect(decodeOf(await threaded).workerThreads).toBe(3);

    await session.handle("stopRun", { mode: "abort" });
    const result = await ended;
    expect(result.outcome).toBe("stopped");
    expect(decodeOf(result.snapshot).redisConnection).toBe("closed");
    // Stopped before runEnded was said: the Redis' folder is gone and no worker is left on it.
    const socket = live.redisUrl.slice("unix://".length);
    expect(existsSync(dirname(socket))).toBe(false);
    expect(processesNaming(live.redisUrl)).toEqual([]);
    expect(await session.handle("getActivity", {})).toMatchObject({ activity: { kind: null, run: null } });
  }, 60_000);
});
