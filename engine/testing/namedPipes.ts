import { execFileSync } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";

/** Test support: named pipes, the files whose open waits for a writer. */

export function makeNamedPipe(path: string): string {
  execFileSync("mkfifo", [path]);
  return path;
}

/**
 * Opens the pipe for writing and closes it at once, so an open still waiting to read it (in
 * this process or another) returns and reads nothing. Done after each test, so a regression
 * that waits on a pipe fails its test rather than holding a thread for good.
 */
export function releaseNamedPipe(path: string): void {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // ENXIO: nobody is waiting to read it. ENOENT: already removed.
  }
}
