/**
 * A private Redis: a child `redis-server` on a unix socket in a folder of its own, without
 * persistence (`--port 0` turns TCP off, so nothing outside this machine can reach it). For
 * `run --local-workers` and for tests; stopped with the process that started it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { probeRedis } from "./redisUrl.js";

export const REDIS_INSTALL_HINT =
  "redis-server is not installed: on Debian or Ubuntu `sudo apt-get install redis-server`, on macOS `brew install redis`";

/** Whether `redis-server` can be started here (it is on PATH). */
export function redisServerInstalled(): boolean {
  const probe = spawnSync("redis-server", ["--version"], { stdio: "ignore" });
  return probe.error === undefined && probe.status === 0;
}

export class RedisServer {
  private child: ChildProcess | undefined;
  private readonly dir: string;
  readonly socket: string;

  private constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "pipeline-studio-redis-"));
    this.socket = join(this.dir, "redis.sock");
  }

  /** Starts one and resolves once it answers; a clear error when redis-server is missing or fails. */
  static async start(): Promise<RedisServer> {
    const server = new RedisServer();
    await server.launch();
    return server;
  }

  get url(): string {
    return `unix://${this.socket}`;
  }

  private async launch(): Promise<void> {
    const args = [
      "--port",
      "0",
      "--unixsocket",
      this.socket,
      "--unixsocketperm",
      "700",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      this.dir,
    ];
    const child = spawn("redis-server", args, { stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<Error>((resolve) => {
      child.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ENOENT" ? new Error(REDIS_INSTALL_HINT) : error));
      child.once("exit", (code) => resolve(new Error(`redis-server exited (${code}) before it answered: ${stderr.trim()}`)));
    });
    // Polls the socket: the server answers within milliseconds of starting.
    const answered = (async () => {
      for (let attempt = 0; attempt < 200; attempt++) {
        if ((await probeRedis({ path: this.socket }, 500)) === null) return null;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return new Error(`redis-server on ${this.socket} did not answer within 5 s`);
    })();
    const failure = await Promise.race([answered, exited]);
    if (failure) {
      child.kill("SIGKILL");
      throw failure;
    }
  }

  /** Stops it (its data is gone: there is no persistence) and starts it again on the same socket. */
  async restart(downMs = 0): Promise<void> {
    await this.halt();
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.launch();
  }

  private async halt(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
