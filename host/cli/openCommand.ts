import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ExitCode } from "./exitCodes.js";

const LAUNCH = fileURLToPath(new URL("../launch.js", import.meta.url));

export interface OpenCommandOptions {
  browser: boolean;
  open: boolean;
  port?: number;
}

/**
 * `open FILE`: the app (as `npm start` opens it) with FILE loaded, a relative path taken from the
 * folder the command was typed in. The app runs in a child process that receives Ctrl-C and
 * SIGTERM; its exit code is this command's.
 */
export function openCommand(file: string, options: OpenCommandOptions): Promise<ExitCode> {
  const args = [
    LAUNCH,
    ...(options.browser ? ["--browser"] : []),
    ...(options.open ? [] : ["--no-open"]),
    ...(options.port === undefined ? [] : ["--port", String(options.port)]),
    resolve(file),
  ];
  const child = spawn(process.execPath, args, { stdio: "inherit" });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward("SIGINT");
  const onTerm = forward("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return new Promise((done) => {
    const finish = (code: ExitCode) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      done(code);
    };
    child.on("error", () => finish(ExitCode.failure));
    child.on("exit", (code) => finish(code === 0 ? ExitCode.success : code === 2 ? ExitCode.usage : ExitCode.failure));
  });
}
