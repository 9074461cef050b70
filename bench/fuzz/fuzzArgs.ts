import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Command-line options of `npm run fuzz`. */
export interface FuzzArgs {
  count: number;
  seed: number;
  concurrency: number;
  /** A run still going after this many seconds gets Ctrl-C (and must then print its document and leave). */
  timeLimitS: number;
  /** Where offending files are saved (default: a folder named after the seed in the temp folder). */
  out: string | undefined;
  /** The CLI to fuzz (default: this build's). */
  cli: string;
  help: boolean;
}

/** dist/host/cli/main.js, seen from dist/bench/fuzz. */
const BUILT_CLI = fileURLToPath(new URL("../../host/cli/main.js", import.meta.url));

export const FUZZ_USAGE = `Usage: npm run fuzz -- [--count N] [--seed S] [--concurrency C] [--time-limit SECONDS] [--out DIR] [--cli PATH]

  --count N          mutants of the examples to try (default 1000; each is validated and run)
  --seed S           the random seed, to make the same mutants again (default: from the clock, printed)
  --concurrency C    CLI processes at once (default: the machine's cores)
  --time-limit S     Ctrl-C a run still going after S seconds (default 5)
  --out DIR          where to save offending files (default: pipeline-studio-fuzz-<seed> in the temp folder)
  --cli PATH         the CLI's main.js to fuzz (default: this build's)`;

export function parseFuzzArgs(argv: readonly string[]): FuzzArgs {
  const args: FuzzArgs = {
    count: 1000,
    seed: Date.now() % 2 ** 31,
    concurrency: availableParallelism(),
    timeLimitS: 5,
    out: undefined,
    cli: BUILT_CLI,
    help: false,
  };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    const value = (): string => {
      const next = argv[++index];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--count") args.count = wholeNumber(arg, value(), 1);
    else if (arg === "--seed") args.seed = wholeNumber(arg, value(), 0);
    else if (arg === "--concurrency") args.concurrency = wholeNumber(arg, value(), 1);
    else if (arg === "--time-limit") args.timeLimitS = wholeNumber(arg, value(), 1);
    else if (arg === "--out") args.out = resolve(value());
    else if (arg === "--cli") args.cli = resolve(value());
    else if (arg === "-h" || arg === "--help") args.help = true;
    else throw new Error(`unknown argument '${arg}'`);
  }
  return args;
}

function wholeNumber(option: string, text: string, minimum: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < minimum)
    throw new Error(`${option} must be a whole number ≥ ${minimum}, got '${text}'`);
  return value;
}
