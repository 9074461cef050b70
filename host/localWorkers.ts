/**
 * `run --local-workers N` (and the app's toggle): a private Redis (a child redis-server on a unix
 * socket, no TCP, no persistence) and N worker processes on this machine, for trying remote
 * stages without any set-up; everything is stopped afterwards.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { REDIS_INSTALL_HINT, RedisServer, redisServerInstalled } from "../engine/remote/redisServer.js";

// From source (tests) the worker is the built CLI; built, it is the sibling cli/main.js.
const CLI = fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? "../dist/host/cli/main.js" : "./cli/main.js", import.meta.url));
const READY_TIMEOUT_MS = 30_000;

export interface LocalWorkers {
  url: string;
  workers: number;
  threadsPerWorker: number;
  stop(): Promise<void>;
}

export interface WorkerProcessOptions {
  threads: number;
  /** The workers' root for module paths (the pipeline file's folder). */
  root: string;
  /** Workers are named `<prefix>-1`, `<prefix>-2`, … */
  namePrefix: string;
  /** Where worker lines worth a user's eye go (a refusal, a lost Redis). */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** `count` worker processes on `url`, resolved once every one takes jobs; stop() kills them (SIGKILL: their runs are over). */
export async function startWorkerProcesses(
  url: string,
  count: number,
  options: WorkerProcessOptions,
): Promise<{ children: ChildProcess[]; stop(): Promise<void> }> {
  const children: ChildProcess[] = [];
  const stop = () =>
    Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGKILL");
          }),
      ),
    ).then(() => undefined);
  try {
    await Promise.all(
      Array.from({ length: count }, (_, index) => {
        const name = `${options.namePrefix}-${index + 1}`;
        const args = [CLI, "worker", "--redis", url, "--threads", String(options.threads), "--name", name, "--root", options.root];
        const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...options.env } });
        children.push(child);
        return waitReady(child, name, options.log);
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { children, stop };
}

export async function startLocalWorkers(
  count: number,
  options: { threads?: number; root: string; log?: (line: string) => void },
): Promise<LocalWorkers> {
  const server = await RedisServer.start();
  const threads = options.threads ?? Math.max(1, Math.floor(availableParallelism() / count));
  try {
    const workers = await startWorkerProcesses(server.url, count, { threads, root: options.root, namePrefix: "local", log: options.log });
    const stop = async () => {
      await workers.stop();
      await server.stop();
    };
    return { url: server.url, workers: count, threadsPerWorker: threads, stop };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * The app's local workers for a run, profile or auto-tune of a pipeline with remote stages: the
 * errors say what to do (install redis-server) or what failed.
 */
export async function startAppLocalWorkers(count: number, root: string): Promise<LocalWorkers> {
  if (!redisServerInstalled()) throw new Error(`Local workers need a local Redis. ${REDIS_INSTALL_HINT}`);
  try {
    return await startLocalWorkers(count, { root });
  } catch (error) {
    throw new Error(`Could not start ${count} local workers: ${(error as Error).message}`, { cause: error });
  }
}

function waitReady(child: ChildProcess, name: string, log: ((line: string) => void) | undefined): Promise<void> {
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    const lines = stderr.split("\n");
    stderr = lines.pop()!;
    for (const line of lines) if (/refuses|Redis at/.test(line)) log?.(line);
  });
  return new Promise((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(
      () => reject(new Error(`local worker ${name} was not ready within ${READY_TIMEOUT_MS / 1000} s`)),
      READY_TIMEOUT_MS,
    );
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes(" ready: ")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`local worker ${name} exited (${code}) before it was ready: ${stderr.trim()}`));
    });
  });
}
