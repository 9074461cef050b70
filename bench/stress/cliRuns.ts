/** Many `pipeline-studio run FILE --json` processes, several at once: how each one ended. */
import { spawn } from "node:child_process";
import pMap from "p-map";
import { Tally } from "./tally.js";
import { TINY_ITEMS } from "./tinyPipeline.js";

export interface CliOptions {
  runs: number;
  parallel: number;
  /** The built CLI (dist/host/cli/main.js). */
  cliPath: string;
  pipelineFile: string;
  env: NodeJS.ProcessEnv;
  /** A run still going after this long is killed and counted as hung. */
  timeoutMs: number;
  progress: (done: number) => void;
}

export interface CliResult {
  exitCodes: Tally;
  outcomes: Tally;
  /** Processes ended by a signal (SIGABRT, SIGSEGV, …) or killed because they hung. */
  aborts: Tally;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  hung: boolean;
  stdout: string;
  stderr: string;
}

export async function runCli(options: CliOptions): Promise<CliResult> {
  const result: CliResult = { exitCodes: new Tally(), outcomes: new Tally(), aborts: new Tally() };
  let done = 0;
  await pMap(
    Array.from({ length: options.runs }, (_, index) => index),
    async (index) => {
      record(result, index, await runOnce(options));
      options.progress(++done);
    },
    { concurrency: options.parallel },
  );
  return result;
}

function runOnce(options: CliOptions): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [options.cliPath, "run", options.pipelineFile, "--json"], {
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let hung = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    const timer = setTimeout(() => {
      hung = true;
      child.kill("SIGKILL");
    }, options.timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, hung, stdout, stderr });
    });
  });
}

function record(result: CliResult, index: number, exit: Exit): void {
  const where = `cli run ${index + 1}`;
  if (exit.hung) return result.aborts.surprise("hung (killed)", `${where}: still running after the timeout; stderr: ${exit.stderr.trim()}`);
  if (exit.signal) return result.aborts.surprise(exit.signal, `${where}: ended by ${exit.signal}; stderr: ${exit.stderr.trim()}`);
  const code = `exit ${exit.code}`;
  if (exit.code === 0) result.exitCodes.count(code);
  else result.exitCodes.surprise(code, `${where}: ${code}; stderr: ${exit.stderr.trim()}`);
  let report: { outcome?: string; itemsDelivered?: number };
  try {
    report = JSON.parse(exit.stdout) as typeof report;
  } catch {
    return result.outcomes.surprise("no JSON", `${where}: stdout is not the JSON report: ${exit.stdout.slice(0, 200)}`);
  }
  const label = `${report.outcome} (${report.itemsDelivered} items)`;
  if (report.outcome === "completed" && report.itemsDelivered === TINY_ITEMS) result.outcomes.count(label);
  else result.outcomes.surprise(label, `${where}: ${label}`);
}
