/**
 * The app server in its own process (browser mode), driven over its WebSocket as the renderer
 * drives it: press Run and wait for the run's end, over and over; every few runs Run then Stop
 * at once. Watches the server process throughout: its death ends the phase.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { RunEnded, StudioEvent } from "../../host/protocol.js";
import { API_PATH } from "../../host/server/server.js";
import { StudioClient } from "./studioClient.js";
import { Tally } from "./tally.js";
import { TINY_ITEMS, TINY_PIPELINE } from "./tinyPipeline.js";

export interface ServerOptions {
  runs: number;
  /** Every stopEvery-th press is Run then Stop at once. */
  stopEvery: number;
  /** The built launcher (dist/host/launch.js). */
  launchPath: string;
  env: NodeJS.ProcessEnv;
  /** A run not ended after this long counts as hung. */
  timeoutMs: number;
  progress: (done: number) => void;
}

export interface ServerResult {
  outcomes: Tally;
  /** How the server process ended: after SIGTERM at the end, or on its own (it died). */
  serverExit: string;
  serverDied: boolean;
}

interface ServerProcess {
  url: string;
  /** Settles when the process exits, with how it exited. */
  exited: Promise<string>;
  child: ChildProcess;
  stderr: () => string;
}

export async function runServer(options: ServerOptions): Promise<ServerResult> {
  const outcomes = new Tally();
  const server = await launchServer(options.launchPath, options.env, options.timeoutMs);
  let died: string | null = null;
  void server.exited.then((how) => (died = how));
  const client = await StudioClient.connect(server.url, API_PATH);
  const ends = new RunEnds(client);
  for (let index = 0; index < options.runs && died === null; index++) {
    const stop = (index + 1) % options.stopEvery === 0;
    const press = stop ? "Run, Stop" : "Run";
    try {
      const ended = await Promise.race([
        pressRun(client, ends, stop),
        server.exited.then((how) => Promise.reject(new Error(`the server died (${how})`))),
        timeout(options.timeoutMs, "no runEnded"),
      ]);
      const label = `${press} → ${ended.outcome}`;
      const expected = ended.outcome === "completed" ? ended.snapshot.itemsDelivered === TINY_ITEMS : stop && ended.outcome === "stopped";
      if (expected) outcomes.count(label);
      else
        outcomes.surprise(
          label,
          `server press ${index + 1} (${press}): ${ended.outcome}, ${ended.snapshot.itemsDelivered} items${ended.error ? `: ${ended.error.message}` : ""}`,
        );
    } catch (error) {
      outcomes.surprise(`${press} → error`, `server press ${index + 1} (${press}): ${(error as Error).message}`);
    }
    options.progress(index + 1);
  }
  client.close();
  if (died !== null) return { outcomes, serverExit: `died: ${died}; stderr: ${server.stderr().trim()}`, serverDied: true };
  server.child.kill("SIGTERM");
  const how = await server.exited;
  return { outcomes, serverExit: `${how} after SIGTERM`, serverDied: how !== "exit 0" };
}

async function pressRun(client: StudioClient, ends: RunEnds, stop: boolean): Promise<RunEnded> {
  const { runId } = await client.request("startRun", { spec: TINY_PIPELINE, allowUserCode: [] });
  if (stop) {
    try {
      await client.request("stopRun", { mode: "abort" });
    } catch (error) {
      // Three tiny items may be through before Stop arrives.
      if (!/no run in progress/.test((error as Error).message)) throw error;
    }
  }
  return ends.wait(runId);
}

/** runEnded events by run id, kept until asked for: one may arrive before startRun's answer. */
class RunEnds {
  private readonly ended = new Map<string, RunEnded>();
  private readonly waiters = new Map<string, (ended: RunEnded) => void>();

  constructor(client: StudioClient) {
    client.onEvent((event: StudioEvent) => {
      if (event.type !== "runEnded") return;
      const waiter = this.waiters.get(event.ended.runId);
      if (waiter) {
        this.waiters.delete(event.ended.runId);
        waiter(event.ended);
      } else this.ended.set(event.ended.runId, event.ended);
    });
  }

  wait(runId: string): Promise<RunEnded> {
    const ended = this.ended.get(runId);
    if (ended) {
      this.ended.delete(runId);
      return Promise.resolve(ended);
    }
    return new Promise((resolve) => this.waiters.set(runId, resolve));
  }
}

function launchServer(launchPath: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ServerProcess> {
  const child = spawn(process.execPath, [launchPath, "--browser", "--no-open", "--port", "0"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
  const exited = new Promise<string>((resolve) =>
    child.on("exit", (code, signal) => resolve(signal ? `signal ${signal}` : `exit ${code}`)),
  );
  return new Promise((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server printed no URL in ${timeoutMs} ms; stderr: ${stderr.trim()}`));
    }, timeoutMs);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the server ended before it printed its URL (${how}); stderr: ${stderr.trim()}`));
    });
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const url = /Pipeline Studio: (http:\/\/\S+)/.exec(stdout)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({ url, exited, child, stderr: () => stderr });
    });
  });
}

function timeout(ms: number, what: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} after ${ms} ms`)), ms).unref());
}
