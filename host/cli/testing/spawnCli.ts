import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** Test support: the built CLI, spawned as a user would run it. */

const root = fileURLToPath(new URL("../../..", import.meta.url));
export const builtCli = join(root, "dist/host/cli/main.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  /** Called with each stderr chunk, e.g. to interrupt once progress shows. */
  onStderr?: (stderrSoFar: string, child: ChildProcess) => void;
}

export function spawnCli(cwd: string, args: string[], options: SpawnOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // Piped stdio: stderr is not a TTY, as under CI or `2> log`.
    const child = spawn(process.execPath, [builtCli, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(stderr, child);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
