/** Command-line options of `npm run bench`. */

export const SUITE_NAMES = ["noop", "fidelity", "pool", "memory", "statsCost", "tuning", "remote", "ui"] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];
/** Run only when named (--only): the UI suite needs a browser and the built renderer, and measures the app rather than the engine. */
const OPT_IN_SUITES: readonly SuiteName[] = ["ui"];

export interface BenchArgs {
  /** A smaller version that finishes in under a minute. */
  quick: boolean;
  /** One JSON object on stdout instead of the table. */
  json: boolean;
  /** The suites to run, in the order the table shows them. */
  suites: SuiteName[];
  /** The ui suite's A/B: a renderer built elsewhere (a folder like dist/renderer), measured interleaved with this one. */
  uiBaseline: string | null;
  help: boolean;
}

export class UsageError extends Error {
  override name = "UsageError";
}

export const USAGE = `Usage: npm run bench -- [--quick] [--json] [--only ${SUITE_NAMES.join(",")}] [--ui-baseline DIR]

  --quick        a smaller version (fewer items and rounds), under a minute
  --json         print the figures as one JSON object on stdout (progress stays on stderr)
  --only LIST    run only these suites (comma-separated); "ui" (the app in headless Chromium) runs only when named
  --ui-baseline DIR
                 the ui suite also measures the renderer built in DIR (a copy of an older
                 dist/renderer), interleaved round by round with this one: an A/B in one run
  -h, --help     show this help`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    quick: false,
    json: false,
    suites: SUITE_NAMES.filter((name) => !OPT_IN_SUITES.includes(name)),
    uiBaseline: null,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quick") args.quick = true;
    else if (arg === "--json") args.json = true;
    else if (arg === "-h" || arg === "--help") args.help = true;
    else if (arg === "--only" || arg.startsWith("--only=")) {
      const list = arg === "--only" ? argv[++i] : arg.slice("--only=".length);
      if (list === undefined || list.length === 0) throw new UsageError("--only needs a comma-separated list of suites");
      args.suites = parseSuiteList(list);
    } else if (arg === "--ui-baseline" || arg.startsWith("--ui-baseline=")) {
      const dir = arg === "--ui-baseline" ? argv[++i] : arg.slice("--ui-baseline=".length);
      if (dir === undefined || dir.length === 0) throw new UsageError("--ui-baseline needs the folder of a built renderer");
      args.uiBaseline = dir;
    } else throw new UsageError(`unknown argument '${arg}'`);
  }
  return args;
}

function parseSuiteList(list: string): SuiteName[] {
  const wanted = new Set<SuiteName>();
  for (const name of list.split(",").map((part) => part.trim())) {
    if (!(SUITE_NAMES as readonly string[]).includes(name))
      throw new UsageError(`unknown suite '${name}' (suites: ${SUITE_NAMES.join(", ")})`);
    wanted.add(name as SuiteName);
  }
  // The table keeps one order whatever order the list was given in.
  return SUITE_NAMES.filter((name) => wanted.has(name));
}
