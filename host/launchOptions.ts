import { resolve } from "node:path";
import { parseArgs } from "node:util";

export const LAUNCH_USAGE = `Usage: npm start -- [options] [FILE]     (or: pipeline-studio open [options] FILE)

Opens Pipeline Studio: a desktop window when Electron's binary is installed; otherwise the same
app in the default browser, served from this process on 127.0.0.1 (browser mode). FILE, a
pipeline file, opens at launch (a relative path is taken from the folder the command was typed
in); without it, the seed example.

Options:
  --browser     browser mode even when Electron's binary is installed
  --no-open     do not open a browser; only print the URL
  --port N      browser mode's port (default: any free port; 0 = any)
  -h, --help    show this help
`;

export interface LaunchOptions {
  browser: boolean;
  open: boolean;
  port: number;
  help: boolean;
  /** The pipeline file to open at launch, absolute; null: the seed example. */
  file: string | null;
}

export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * The folder the app was started in — where the command was typed: npm runs scripts in the
 * package's folder and says where it was called from in INIT_CWD.
 */
export function launchFolder(): string {
  return process.env.INIT_CWD || process.cwd();
}

/** `from`: the folder a relative FILE is taken from (launchFolder). */
export function parseLaunchOptions(argv: string[], from: string = launchFolder()): LaunchOptions {
  let values: { browser?: boolean; "no-open"?: boolean; port?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        browser: { type: "boolean" },
        "no-open": { type: "boolean" },
        port: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let port = 0;
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535)
      throw new UsageError(`--port must be an integer from 0 to 65535, got '${values.port}'`);
    port = Number(values.port);
  }
  if (positionals.length > 1) throw new UsageError(`one pipeline file at most, got ${positionals.length}: ${positionals.join(" ")}`);
  const file = positionals[0] ? resolve(from, positionals[0]) : null;
  return { browser: values.browser ?? false, open: !(values["no-open"] ?? false), port, help: values.help ?? false, file };
}

/**
 * The pipeline file given on an Electron process's command line, absolute, or null. Electron's
 * argv holds the binary, then (unless packaged) the main script, then the app's arguments mixed
 * with Chromium's switches (`--name` or `--name=value`), which are skipped. A relative path is
 * taken from `cwd`: the folder Electron was started in, or a second instance's working directory.
 */
export function electronLaunchFile(argv: readonly string[], options: { packaged: boolean; cwd: string }): string | null {
  const file = argv.slice(options.packaged ? 1 : 2).find((arg) => !arg.startsWith("-"));
  return file ? resolve(options.cwd, file) : null;
}
