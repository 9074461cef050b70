/**
 * For the remote tests: a private Redis and worker processes (the built CLI's `worker` command),
 * each stopped by the test. Outside CI, without redis-server, the tests skip and say how to
 * install it; in CI (where CI is set) they never skip.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { REDIS_INSTALL_HINT, redisServerInstalled } from "../redisServer.js";

const CLI = fileURLToPath(
  new URL(import.meta.url.endsWith(".ts") ? "../../../dist/host/cli/main.js" : "../../../host/cli/main.js", import.meta.url),
);

export const skipRemoteTests: boolean = (() => {
  if (process.env.CI || redisServerInstalled()) return false;
  console.warn(`Remote stage tests skipped: ${REDIS_INSTALL_HINT}`);
  return true;
})();

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the "ready" line. */
  ready: Promise<string>;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export function cliPath(): string {
  return CLI;
}

export function startWorker(
  redisUrl: string,
  options: { name: string; threads?: number; root?: string; lockMs?: number; env?: NodeJS.ProcessEnv },
): WorkerProcess {
  const args = [CLI, "worker", "--redis", redisUrl, "--name", options.name, "--threads", String(options.threads ?? 2)];
  if (options.root) args.push("--root", options.root);
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env, PIPELINE_STUDIO_WORKER_LOCK_MS: String(options.lockMs ?? 2000) },
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n").find((candidate) => candidate.includes(" ready: "));
      if (line) resolve(line);
    });
    void exited.then((code) => reject(new Error(`worker ${options.name} exited (${code}) before it was ready: ${stderr}`)));
  });
  ready.catch(() => undefined);
  return {
    name: options.name,
    child,
    stderr: () => stderr,
    ready,
    exited,
    kill: (signal: NodeJS.Signals = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
