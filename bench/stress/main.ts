/**
 * `npm run stress [-- --cli N --server N --parallel P]`: thousands of tiny runs, each a pool
 * started and torn down at once, through the CLI (separate processes, several at a time) and
 * through the app server (one process, pressed Run / Run-then-Stop over its WebSocket). Prints
 * the counts; exits 1 if a run aborted or hung, a run ended otherwise than it should, or the
 * server died.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runCli } from "./cliRuns.js";
import { runServer } from "./serverRuns.js";
import { TINY_PIPELINE } from "./tinyPipeline.js";

const DEFAULTS = { cli: 300, server: 1700, parallel: 4, stopEvery: 3 };

const USAGE = `Usage: npm run stress -- [--cli N] [--server N] [--parallel P] [--stop-every K]

  --cli N          runs of \`pipeline-studio run FILE --json\` (default ${DEFAULTS.cli})
  --parallel P     CLI processes at once (default ${DEFAULTS.parallel})
  --server N       runs pressed in the app server (default ${DEFAULTS.server})
  --stop-every K   every K-th server run is Run then Stop at once (default ${DEFAULTS.stopEvery})
  -h, --help       show this help`;

const CLI_PATH = fileURLToPath(new URL("../../host/cli/main.js", import.meta.url));
const LAUNCH_PATH = fileURLToPath(new URL("../../host/launch.js", import.meta.url));
const RUN_TIMEOUT_MS = 60_000;

interface StressArgs {
  cli: number;
  server: number;
  parallel: number;
  stopEvery: number;
}

function parse(argv: string[]): StressArgs | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      cli: { type: "string", default: String(DEFAULTS.cli) },
      server: { type: "string", default: String(DEFAULTS.server) },
      parallel: { type: "string", default: String(DEFAULTS.parallel) },
      "stop-every": { type: "string", default: String(DEFAULTS.stopEvery) },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return "help";
  const count = (name: string, text: string, min: number): number => {
    if (!/^\d+$/.test(text) || Number(text) < min) throw new Error(`--${name} must be an integer ≥ ${min}, got '${text}'`);
    return Number(text);
  };
  return {
    cli: count("cli", values.cli, 0),
    server: count("server", values.server, 0),
    parallel: count("parallel", values.parallel, 1),
    stopEvery: count("stop-every", values["stop-every"], 1),
  };
}

/** A progress line on stderr every `every` runs (stdout keeps only the counts). */
function progressEvery(what: string, total: number, every: number): (done: number) => void {
  return (done) => {
    if (done % every === 0 || done === total) process.stderr.write(`[stress] ${what} ${done}/${total}\n`);
  };
}

async function main(argv: string[]): Promise<number> {
  let args: StressArgs | "help";
  try {
    args = parse(argv);
  } catch (error) {
    process.stderr.write(`stress: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // The runs never touch the user's own recent files or settings.
  const home = await mkdtemp(join(tmpdir(), "pipeline-studio-stress-"));
  const env = { ...process.env, PIPELINE_STUDIO_HOME: home };
  const pipelineFile = join(home, "tiny.pipeline.json");
  await writeFile(pipelineFile, JSON.stringify(TINY_PIPELINE, null, 2));
  let ok = true;
  try {
    if (args.cli > 0) {
      const started = performance.now();
      const cli = await runCli({
        runs: args.cli,
        parallel: args.parallel,
        cliPath: CLI_PATH,
        pipelineFile,
        env,
        timeoutMs: RUN_TIMEOUT_MS,
        progress: progressEvery("cli", args.cli, 100),
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      const surprises = [cli.exitCodes, cli.outcomes, cli.aborts].flatMap((tally) => tally.surprises);
      process.stdout.write(
        `CLI: ${args.cli} runs (${args.parallel} at once, ${seconds} s)\n  exit codes: ${cli.exitCodes.line()}\n  outcomes: ${cli.outcomes.line()}\n  aborts (signals, hung): ${cli.aborts.line()}\n`,
      );
      for (const surprise of surprises) process.stdout.write(`  ! ${surprise}\n`);
      ok &&= surprises.length === 0;
    }
    if (args.server > 0) {
      const started = performance.now();
      const server = await runServer({
        runs: args.server,
        stopEvery: args.stopEvery,
        launchPath: LAUNCH_PATH,
        env,
        timeoutMs: RUN_TIMEOUT_MS,
        progress: progressEvery("server", args.server, 100),
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      process.stdout.write(
        `server: ${args.server} presses (Run then Stop at once every ${args.stopEvery} presses, ${seconds} s)\n  outcomes: ${server.outcomes.line()}\n  server process: ${server.serverExit}\n`,
      );
      for (const surprise of server.outcomes.surprises) process.stdout.write(`  ! ${surprise}\n`);
      ok &&= server.outcomes.surprises.length === 0 && !server.serverDied;
    }
  } finally {
    await rm(home, { recursive: true, force: true });
  }
  process.stdout.write(ok ? "stress: all runs ended as expected\n" : "stress: FAILED (see the counts above)\n");
  return ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`stress failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
