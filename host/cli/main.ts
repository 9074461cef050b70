#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { LOCAL_WORKERS_BOUND, MAX_TIMER_MS, SIZE_BOUNDS, type SizeBound } from "../../engine/bounds.js";
import { TUNE_OBJECTIVES, parseShare } from "../../engine/analysis/tuneGoal.js";
import { ExitCode, UsageError } from "./exitCodes.js";
import { processInterrupts } from "./interrupts.js";
import { reportInternalError, trackWrites } from "./internalError.js";
import { opsCommand } from "./opsCommand.js";
// Types only: the exporters (two code generators) load when `export` runs, not for every command.
import type { ExportLanguage } from "./exportCommand.js";
import type { OpenCommandOptions } from "./openCommand.js";
import type { ProfileCommandOptions } from "./profileCommand.js";
import type { TuneCommandOptions } from "./tuneCommand.js";
import type { WorkerCommandOptions } from "./workerCommand.js";
import type { CliIo } from "./output.js";
import { BUILD_FIELDS, NODE_FIELDS, collectAssignment, type Assignment } from "./overrides.js";
import { runCommand, type RunOptions } from "./runCommand.js";
import { validateCommand } from "./validateCommand.js";

/** Wires the commands; each action hands its exit code to `finish` rather than exiting itself. */
function createProgram(io: CliIo, finish: (code: ExitCode) => void): Command {
  const program = new Command("pipeline-studio")
    .description("Run, check, profile, tune and export Pipeline Studio pipeline files (*.pipeline.json).")
    .version(packageVersion(), "-V, --version")
    // Settings below are copied to every subcommand created after them.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError("(add --help for usage)");

  program
    .command("run")
    .description("Run a pipeline file, showing progress on stderr, then print per-stage stats")
    .argument("<file>", "pipeline file")
    .option(
      "--threads <n>",
      `worker-pool threads (sets build.numThreads; at most ${SIZE_BOUNDS.numThreads.max})`,
      integerWithin(SIZE_BOUNDS.numThreads),
    )
    .option("--set <node.field=value>", "override a setting; repeatable (see below)", setOption, [] as Assignment[])
    .option("--limit <n>", "stop after n delivered items", integerAtLeast(1))
    .option("--json", "print one JSON document (stats, settings, outcome) on stdout", false)
    .option("--no-progress", "no progress display on stderr")
    .option("--report [path]", "save a run report (JSON) to path; with no path, in FILE's runs folder (<name>.runs/)")
    .option("--stats-interval <s>", "every s seconds, print SPDL-style stage and queue stats lines to stderr", secondsOption)
    .option("--redis <url>", "the Redis of remote stages (over PIPELINE_STUDIO_REDIS and the file's build.remote.redis)")
    .option(
      "--local-workers <n>",
      "start a private Redis and n worker processes here for the remote stages; stop them after",
      integerWithin(LOCAL_WORKERS_BOUND),
    )
    .option("--consumer-step-ms <ms>", "the sink's consumer works ms per batch (a training step); prints its readiness", positiveMs)
    .option("--consumer-batch <n>", "items per consumer step (default 1, or the file's)", integerWithin(SIZE_BOUNDS.aggregateSize))
    .addHelpText(
      "after",
      `
--set fields: ${NODE_FIELDS.join(", ")} (per node, by id);
              build.${BUILD_FIELDS.join(", build.")}. Use "none" to clear timeoutMs or maxFailures.

Exit codes: 0 completed (or stopped at --limit), 1 invalid file or failed run, 2 usage error,
130 stopped with Ctrl-C, 143 with SIGTERM (either still prints the table, the --json
document and the --report; a second signal quits at once).

Examples:
  pipeline-studio run examples/seed-download-preprocess.pipeline.json --set download.concurrency=8
  pipeline-studio run my.pipeline.json --threads 2 --limit 100 --json > stats.json
  pipeline-studio run my.pipeline.json --report        # saved in my.runs/ beside the file
  pipeline-studio run examples/remote-cpu.pipeline.json --local-workers 2   # remote stages on 2 local workers`,
    )
    .action(async (file: string, options: RunOptions) => {
      finish(
        await runCommand(file, options, {
          io,
          interrupts: processInterrupts,
          exitNow: (code) => process.exit(code),
        }),
      );
    });

  program
    .command("validate")
    .description("Check a pipeline file: every problem that stops it running, each at its JSON path")
    .argument("<file>", "pipeline file")
    .option("--json", 'print {"valid", "problems": [{path, message}]} on stdout', false)
    .action(async (file: string, options: { json: boolean }) => finish(await validateCommand(file, options, { io })));

  program
    .command("export")
    .description("Write a pipeline file as a TypeScript program or an SPDL Python script")
    .argument("<file>", "pipeline file")
    .addOption(new Option("--to <language>", "target language").choices(["ts", "python"] satisfies ExportLanguage[]).makeOptionMandatory())
    .option("-o, --out <path>", "write to this file (atomically) instead of stdout")
    .action(async (file: string, options: { to: ExportLanguage; out?: string }) => {
      // Only export needs the exporters (two code generators): the other commands start without them.
      const { exportCommand } = await import("./exportCommand.js");
      finish(await exportCommand(file, options, { io }));
    });

  program
    .command("profile")
    .description("Measure each stage alone at concurrency 1, 2, 4, … (SPDL's profile_pipeline): where more stops helping")
    .argument("<file>", "pipeline file")
    .option("--max-concurrency <n>", "highest concurrency tried", integerWithin(SIZE_BOUNDS.concurrency), 32)
    .option("--step-ms <ms>", "time at each concurrency level (a quarter of it settling)", integerAtLeast(100), 1000)
    .option("--sample <n>", "inputs buffered per stage and replayed in a cycle", integerAtLeast(1), 256)
    .option(
      "--max-threads <n>",
      "most pool threads a pool stage may use (default: numThreads or the cores, whichever is more)",
      integerWithin(SIZE_BOUNDS.numThreads),
    )
    .option("--stage <id>", "profile only this stage; repeatable", (id: string, previous: string[]) => [...previous, id], [] as string[])
    .option("--json", "print the profile as one JSON document", false)
    .option("--no-progress", "no progress lines on stderr")
    .addHelpText(
      "after",
      `
Each stage runs alone, fed a buffered sample of its real inputs (the outputs of the stages before
it), with a pool of as many threads as its concurrency (up to --max-threads).

Examples:
  pipeline-studio profile examples/seed-download-preprocess.pipeline.json
  pipeline-studio profile my.pipeline.json --stage decode --max-concurrency 8 --json > profile.json`,
    )
    .action(async (file: string, options: ProfileCommandOptions) => {
      const { profileCommand } = await import("./profileCommand.js");
      finish(await profileCommand(file, options, { io, interrupts: processInterrupts, exitNow: (code) => process.exit(code) }));
    });

  program
    .command("tune")
    .description("Auto-tune concurrency per stage and numThreads on a live run; print the settings found and the verdict")
    .argument("<file>", "pipeline file")
    .option(
      "--budget-threads <n>",
      "most worker-pool threads the settings may use (default: the machine's cores)",
      integerWithin(SIZE_BOUNDS.numThreads),
    )
    .option("--max-concurrency <n>", "highest concurrency tried per stage", integerWithin(SIZE_BOUNDS.concurrency), 32)
    .option("--time-limit <s>", "seconds for the whole search", integerAtLeast(5), 25)
    .addOption(
      new Option("--objective <name>", "what to tune for (default: readiness when the sink has a consumer, else throughput)").choices([
        ...TUNE_OBJECTIVES,
      ]),
    )
    .option("--readiness <share>", "the readiness to reach, above 0 and at most 1: 0.99 or 99% (default 0.99)", shareOption)
    .option("--cpu-budget <share>", "the most CPU the settings may use, a share of the machine: 0.4 or 40%", shareOption)
    .option("--consumer-step-ms <ms>", "the sink's consumer works ms per batch (a training step), for the readiness objective", positiveMs)
    .option("--consumer-batch <n>", "items per consumer step (default 1, or the file's)", integerWithin(SIZE_BOUNDS.aggregateSize))
    .option("--write", "save the settings found into the file (atomically)", false)
    .option("--json", "print before/after, trials, settings and the goal as one JSON document", false)
    .option("--no-progress", "no progress lines on stderr")
    .addHelpText(
      "after",
      `
The pipeline runs with its sources repeating while the knobs change live; it measures the file's
settings, then tries what the bottleneck finder suggests.
  --objective throughput  keeps what raises items/s by more than 5%.
  --objective readiness   (the default when the sink has a consumer) keeps what brings the
                          consumer's readiness up to the target, then trims threads and slots
                          while it holds: the consumer kept fed at least cost.
--cpu-budget refuses any setting that uses more CPU. The result says whether the goal was met
and what it costs (pool threads, CPU share). The file changes only with --write (the settings
found, never a --consumer-step-ms).

Examples:
  pipeline-studio tune examples/pool-starved.pipeline.json --budget-threads 2
  pipeline-studio tune examples/training-loop.pipeline.json --readiness 99% --cpu-budget 40%
  pipeline-studio tune my.pipeline.json --budget-threads 4 --write`,
    )
    .action(async (file: string, options: TuneCommandOptions) => {
      const { tuneCommand } = await import("./tuneCommand.js");
      finish(await tuneCommand(file, options, { io, interrupts: processInterrupts, exitNow: (code) => process.exit(code) }));
    });

  program
    .command("compare")
    .description("Compare two run reports side by side (a → b): throughput, latency, utilisation, settings")
    .argument("<a>", "run report (*.run.json), the baseline")
    .argument("<b>", "run report to compare with it")
    .option("--json", "print {a, b, rows} on stdout", false)
    .action(async (a: string, b: string, options: { json: boolean }) => {
      const { compareCommand } = await import("./compareCommand.js");
      finish(await compareCommand(a, b, options, { io }));
    });

  program
    .command("open")
    .description("Open a pipeline file in the app (a desktop window, or browser mode as npm start chooses)")
    .argument("<file>", "pipeline file (*.pipeline.json); a relative path is taken from the current folder")
    .option("--browser", "browser mode even when Electron's binary is installed", false)
    .option("--no-open", "do not open a browser; only print the URL")
    .option("--port <n>", "browser mode's port (0: any free port)", integerAtLeast(0))
    .action(async (file: string, options: OpenCommandOptions) => {
      const { openCommand } = await import("./openCommand.js");
      finish(await openCommand(file, options));
    });

  program
    .command("worker")
    .description('Serve the remote stages (runOn "remote") of every run on a Redis: run their calls on this machine\'s threads')
    .option("--redis <url>", "redis://[:password@]host:port (default: PIPELINE_STUDIO_REDIS)")
    .option(
      "--threads <n>",
      "jobs run at once, each on a thread of its own (default: the machine's cores)",
      integerWithin(SIZE_BOUNDS.numThreads),
    )
    .option("--name <name>", "how runs and the app name this worker (default: host-pid)")
    .option("--root <dir>", "module ops' paths resolve under this folder (default: the working directory)")
    .addHelpText(
      "after",
      `
Prints "Worker NAME ready: <redis url>, N threads" once it takes jobs. Runs announce their remote
stages on the Redis; the worker checks it has the same code (the module file's sha256, or the
same pipeline-studio version for built-in ops) and refuses a stage otherwise, saying why.
Ctrl-C or SIGTERM: running jobs finish, then it leaves (a second signal quits at once).

Examples:
  pipeline-studio worker --redis redis://:secret@10.0.0.5:6379 --threads 8 --root ~/pipelines
  PIPELINE_STUDIO_REDIS=redis://127.0.0.1:6379 pipeline-studio worker`,
    )
    .action(async (options: WorkerCommandOptions) => {
      const { workerCommand } = await import("./workerCommand.js");
      finish(await workerCommand(options, { io, interrupts: processInterrupts, exitNow: (code) => process.exit(code) }));
    });

  program
    .command("ops")
    .description("List the built-in operations (name, kind, where they run, description)")
    .option("--json", "print the catalog, with each op's parameter schema, as JSON", false)
    .action((options: { json: boolean }) => finish(opsCommand(options, { io })));

  return program;
}

/** Commander reports a bad --set itself (exit 2) when the parser throws InvalidArgumentError. */
function setOption(text: string, previous: Assignment[]): Assignment[] {
  try {
    return collectAssignment(text, previous);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new InvalidArgumentError(error.message.replace(`--set ${text}: `, ""));
  }
}

/**
 * A commander argument parser for whole numbers. Throwing InvalidArgumentError makes commander
 * report the option and the value it got, which main() turns into exit 2.
 */
function integerAtLeast(minimum: number): (text: string) => number {
  return (text) => {
    const trimmed = text.trim();
    // Number("") is 0 and Number("1e3") is 1000: accept only plain digits, as a user would type them.
    if (!/^[+-]?\d+$/.test(trimmed)) throw new InvalidArgumentError(`Expected an integer ≥ ${minimum}.`);
    const value = Number(trimmed);
    if (!Number.isSafeInteger(value) || value < minimum) throw new InvalidArgumentError(`Expected an integer ≥ ${minimum}.`);
    return value;
  };
}

/** A number > 0 (fractions allowed, plain digits) of `unit`, at most `max`: a timer must be able to wait that long. */
function positiveNumberAtMost(max: number, unit: string): (text: string) => number {
  return (text) => {
    const trimmed = text.trim();
    const value = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!(value > 0) || value > max) throw new InvalidArgumentError(`Expected a number of ${unit} > 0 and at most ${max}.`);
    return value;
  };
}

const secondsOption = positiveNumberAtMost(MAX_TIMER_MS / 1000, "seconds");

/** A share of 1, as 0.4 or 40%: commander names the option and the value it got. */
function shareOption(text: string): number {
  try {
    return parseShare(text);
  } catch {
    throw new InvalidArgumentError("Expected a share above 0 and at most 1, as 0.4 or 40%.");
  }
}
const positiveMs = positiveNumberAtMost(MAX_TIMER_MS, "ms");

/** Like integerAtLeast, within one of the engine's SIZE_BOUNDS. */
function integerWithin(bound: SizeBound): (text: string) => number {
  const atLeast = integerAtLeast(bound.min);
  return (text) => {
    const value = atLeast(text);
    if (value > bound.max) throw new InvalidArgumentError(`Expected an integer from ${bound.min} to ${bound.max}.`);
    return value;
  };
}

function packageVersion(): string {
  // dist/host/cli/main.js or host/cli/main.ts: the package root is a few folders up either way.
  for (const up of ["../../../package.json", "../../package.json"]) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (manifest.name === "pipeline-studio" && manifest.version) return manifest.version;
    } catch {
      // Not at this level; try the next.
    }
  }
  return "unknown";
}

async function main(argv: string[], io: CliIo, owesDocument: () => boolean): Promise<ExitCode> {
  let code: ExitCode = ExitCode.success;
  const program = createProgram(io, (result) => (code = result));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; every parse error (unknown command or option, a missing
      // argument, a bad number, no command at all) is a usage error.
      return error.exitCode === 0 ? ExitCode.success : ExitCode.usage;
    }
    return reportInternalError(io, error, owesDocument());
  }
}

// `pipeline-studio ops | head -1` closes stdout early: the reader's choice, not a crash to report.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? ExitCode.success);
});

const stdout = trackWrites(process.stdout);
const io: CliIo = { stdout, stderr: process.stderr };
const owesDocument = () => process.argv.includes("--json") && !stdout.used;
// An error no command caught (thrown from a callback, a promise nobody awaited) ends the process
// as one caught in main does: exit 1, said on stderr, the --json document still printed.
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.on(event, (error: unknown) => process.exit(reportInternalError(io, error, owesDocument())));
}
const code = await main(process.argv, io, owesDocument);
process.exitCode = code;
// Leaving by the event loop running dry lets piped output flush; user code that leaves a handle
// open (a socket, a timer) must not keep a finished run alive, hence the unref'd backstop.
setTimeout(() => process.exit(code), 2000).unref();
