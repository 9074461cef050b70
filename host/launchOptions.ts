import { parseArgs } from "node:util";

export const LAUNCH_USAGE = `Usage: npm start -- [options]        (or: node dist/host/launch.js [options])

Opens Pipeline Studio: a desktop window when Electron's binary is installed; otherwise the same
app in the default browser, served from this process on 127.0.0.1 (browser mode).

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
}

export class UsageError extends Error {
  override name = "UsageError";
}

export function parseLaunchOptions(argv: string[]): LaunchOptions {
  let values: { browser?: boolean; "no-open"?: boolean; port?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        browser: { type: "boolean" },
        "no-open": { type: "boolean" },
        port: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
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
  return { browser: values.browser ?? false, open: !(values["no-open"] ?? false), port, help: values.help ?? false };
}
