/**
 * `npm start`: opens Pipeline Studio. With Electron's binary installed (found by its file, never
 * by running it), a desktop window (dist/electron/main.js); otherwise browser mode: the renderer
 * and the StudioApi served from this process on 127.0.0.1, the URL (with its per-launch token)
 * printed as the only line on stdout and opened in the default browser. Nothing is built here:
 * start-up takes a moment. Ctrl-C / SIGTERM stop a running pipeline, close the server, exit 0.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { findElectronBinary } from "./electronBinary.js";
import { LAUNCH_USAGE, UsageError, launchFolder, parseLaunchOptions, type LaunchOptions } from "./launchOptions.js";
import { hasDisplay, openBrowser } from "./openBrowser.js";
import { defaultRendererDir, rendererIsBuilt } from "./server/staticFiles.js";
import { startStudioServer } from "./server/server.js";
import { StudioSession } from "./session.js";

const ELECTRON_MAIN = fileURLToPath(new URL("../electron/main.js", import.meta.url));
/** How long shutdown may take before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 5000;

function notice(text: string): void {
  process.stderr.write(`${text}\n`);
}

async function main(argv: string[]): Promise<void> {
  let options: LaunchOptions;
  try {
    options = parseLaunchOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    notice(`pipeline-studio: ${error.message}\n\n${LAUNCH_USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(LAUNCH_USAGE);
    return;
  }
  if (!options.browser) {
    const electron = findElectronBinary();
    if (electron && existsSync(ELECTRON_MAIN) && hasDisplay()) return runElectron(electron, options.file);
    if (electron && !existsSync(ELECTRON_MAIN))
      notice(`Electron's main script is missing (${ELECTRON_MAIN}): run npm run build. Using browser mode.`);
    else if (electron) notice("No display for an Electron window: using browser mode.");
  }
  await runBrowserMode(options);
}

function runElectron(binary: string, file: string | null): void {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [ELECTRON_MAIN, ...(file ? [file] : [])], { stdio: "inherit", env });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on("SIGINT", forward("SIGINT"));
  process.on("SIGTERM", forward("SIGTERM"));
  child.on("error", (error) => {
    notice(`pipeline-studio: could not start Electron (${error.message}); try npm start -- --browser`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1)));
}

async function runBrowserMode(options: LaunchOptions): Promise<void> {
  const session = new StudioSession({ launchFile: options.file, startDir: launchFolder() });
  const rendererDir = defaultRendererDir();
  let server;
  try {
    server = await startStudioServer({ session, port: options.port, rendererDir });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    notice(
      code === "EADDRINUSE"
        ? `pipeline-studio: port ${options.port} is in use: choose another with --port N, or --port 0 for any free port`
        : `pipeline-studio: could not start the server: ${(error as Error).message}`,
    );
    process.exit(1);
  }

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(signal === "SIGTERM" ? 143 : 130); // a second signal: leave now
    stopping = true;
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    void (async () => {
      await session.close().catch(() => {});
      await server.close().catch(() => {});
      process.exit(0);
    })();
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  // The one line on stdout; everything else goes to stderr.
  process.stdout.write(`Pipeline Studio: ${server.url}\n`);
  if (!(await rendererIsBuilt(rendererDir))) notice(`The renderer is not built (${rendererDir} has no index.html): run npm run build.`);
  if (options.open && hasDisplay()) openBrowser(server.url);
  else if (options.open) notice("No display: open the URL above in a browser.");
  notice("Press Ctrl-C to stop.");
}

main(process.argv.slice(2)).catch((error: unknown) => {
  notice(`pipeline-studio: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
