/**
 * `npm run bench [-- --quick] [-- --json]`: runs the suites, then prints one table (or one JSON
 * object). Progress goes to stderr so stdout holds only the result.
 */
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs, USAGE, UsageError, type SuiteName } from "./args.js";
import { runFidelity } from "./fidelity.js";
import { runMemory } from "./memory.js";
import { runNoop } from "./noop.js";
import { runPool } from "./pool.js";
import { buildReport, renderReport, type SuiteResult } from "./report.js";
import { runStatsCost } from "./statsCost.js";
import { runTuning } from "./tuning.js";
import { runRemote } from "./remote.js";
import { runUi } from "./ui.js";
import type { SuiteContext } from "./suite.js";

const SUITES: Record<SuiteName, (context: SuiteContext) => Promise<SuiteResult>> = {
  noop: runNoop,
  fidelity: runFidelity,
  pool: runPool,
  memory: runMemory,
  statsCost: runStatsCost,
  tuning: runTuning,
  remote: runRemote,
  ui: runUi,
};

async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const context: SuiteContext = {
    quick: args.quick,
    uiBaseline: args.uiBaseline,
    progress: (message) => process.stderr.write(`${message}\n`),
  };
  const loadBefore = loadavg()[0];
  const startedAt = new Date();
  const clock = performance.now();
  const results: SuiteResult[] = [];
  for (const suite of args.suites) {
    context.progress(`[${suite}] starting`);
    const suiteClock = performance.now();
    results.push(await SUITES[suite](context));
    context.progress(`[${suite}] done in ${((performance.now() - suiteClock) / 1000).toFixed(1)} s`);
  }
  const loadAverage = { before: loadBefore, after: loadavg()[0] };
  const report = buildReport(
    args.quick ? "quick" : "full",
    availableParallelism(),
    loadAverage,
    startedAt,
    (performance.now() - clock) / 1000,
    results,
  );
  process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderReport(report)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
