import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipRemoteTests } from "../../engine/remote/testing/cluster.js";
import { builtCli } from "./testing/spawnCli.js";

/**
 * "Two machines": Redis and the pipeline in one network namespace, a worker in another, joined
 * by a veth pair whose addresses exist only inside them. The test creates and deletes both; no
 * traffic touches the host's own interfaces. Needs root (CI runs as root); skipped otherwise
 * outside CI.
 */

const suffix = `${process.pid}`;
const HERE = `ps-pipe-${suffix}`;
const THERE = `ps-work-${suffix}`;
const REDIS_ADDRESS = "10.213.77.1";
const WORKER_ADDRESS = "10.213.77.2";
const PORT = 6390;
const PASSWORD = "netns-test-secret";

function ip(...args: string[]): void {
  const result = spawnSync("ip", args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`ip ${args.join(" ")}: ${result.stderr || result.error?.message}`);
}

const canCreateNamespaces: boolean = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = `ps-probe-${suffix}`;
  const added = spawnSync("ip", ["netns", "add", probe]).status === 0;
  if (added) spawnSync("ip", ["netns", "del", probe]);
  return added;
})();
const skip = skipRemoteTests || (!canCreateNamespaces && !process.env.CI);

function inNamespace(namespace: string, command: string, args: string[]): ChildProcess {
  return spawn("ip", ["netns", "exec", namespace, command, ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

function output(child: ChildProcess): { stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return { stdout: () => stdout, stderr: () => stderr, exited: new Promise((resolve) => child.once("exit", resolve)) };
}

/** Resolves once the process printed `text` (stdout); rejects if it exits first. */
function waitFor(process: ReturnType<typeof output>, text: string, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (process.stdout().includes(text)) {
        clearInterval(check);
        resolve();
      }
    }, 20);
    void process.exited.then((code) => {
      clearInterval(check);
      reject(new Error(`${what} exited (${code}): ${process.stderr()}${process.stdout()}`));
    });
  });
}

describe.skipIf(skip)("a remote stage across two network namespaces", () => {
  let folder: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "remote-netns-"));
    ip("netns", "add", HERE);
    ip("netns", "add", THERE);
    ip("link", "add", `psa${suffix}`.slice(0, 15), "type", "veth", "peer", "name", `psb${suffix}`.slice(0, 15));
    ip("link", "set", `psa${suffix}`.slice(0, 15), "netns", HERE);
    ip("link", "set", `psb${suffix}`.slice(0, 15), "netns", THERE);
    ip("-n", HERE, "addr", "add", `${REDIS_ADDRESS}/24`, "dev", `psa${suffix}`.slice(0, 15));
    ip("-n", THERE, "addr", "add", `${WORKER_ADDRESS}/24`, "dev", `psb${suffix}`.slice(0, 15));
    for (const [namespace, link] of [
      [HERE, `psa${suffix}`.slice(0, 15)],
      [THERE, `psb${suffix}`.slice(0, 15)],
    ]) {
      ip("-n", namespace, "link", "set", "lo", "up");
      ip("-n", namespace, "link", "set", link, "up");
    }
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve))),
      ),
    );
    // Deleting a namespace deletes its end of the veth pair, and with it the other end.
    spawnSync("ip", ["netns", "del", HERE]);
    spawnSync("ip", ["netns", "del", THERE]);
    await rm(folder, { recursive: true, force: true });
  });

  it("the worker in the other namespace serves the run through Redis on a private address with a password", async () => {
    const redis = inNamespace(HERE, "redis-server", [
      "--port",
      String(PORT),
      "--bind",
      REDIS_ADDRESS,
      "--requirepass",
      PASSWORD,
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      folder,
    ]);
    children.push(redis);
    const redisOutput = output(redis);
    await waitFor(redisOutput, "Ready to accept connections", "redis-server");
    const url = `redis://:${PASSWORD}@${REDIS_ADDRESS}:${PORT}`;
    const worker = inNamespace(THERE, process.execPath, [builtCli, "worker", "--redis", url, "--name", "far", "--threads", "2"]);
    children.push(worker);
    const workerOutput = output(worker);
    await waitFor(workerOutput, "ready:", "worker");
    expect(workerOutput.stdout()).toContain(`Worker far ready: redis://:***@${REDIS_ADDRESS}:${PORT}, 2 threads`);
    await writeFile(
      join(folder, "far.pipeline.json"),
      JSON.stringify({
        format: "pipeline-studio/1",
        nodes: [
          { id: "numbers", kind: "source", op: "range", params: { count: 30 } },
          { id: "work", kind: "stage", op: "cpu", params: { ms: 1 }, concurrency: 4, runOn: "remote" },
          { id: "out", kind: "sink" },
        ],
        edges: [
          { from: "numbers", to: "work" },
          { from: "work", to: "out" },
        ],
        build: { remote: { redis: url } },
      }),
    );
    const run = inNamespace(HERE, process.execPath, [builtCli, "run", join(folder, "far.pipeline.json"), "--json", "--no-progress"]);
    children.push(run);
    const runOutput = output(run);
    expect(await runOutput.exited).toBe(0);
    const report = JSON.parse(runOutput.stdout()) as {
      itemsDelivered: number;
      stats: { stages: { name: string; remote?: { workers: { name: string; done: number }[] } }[] };
    };
    expect(report.itemsDelivered).toBe(30);
    expect(report.stats.stages.find((stage) => stage.name === "work")!.remote!.workers).toEqual([
      expect.objectContaining({ name: "far", done: 30 }),
    ]);
  }, 60_000);
});
