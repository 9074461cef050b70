/** The CLI's exit codes (host/cli/README.md): scripts branch on them. */
export const ExitCode = {
  success: 0,
  /** The run failed, or the file is not valid / not runnable. */
  failure: 1,
  /** The command line itself was wrong: nothing was attempted. */
  usage: 2,
  /** 128 + SIGINT, what shells report for a process ended by Ctrl-C. */
  interrupted: 130,
  /** 128 + SIGTERM: stopped cleanly on `kill`, as a service manager or CI stops a job. */
  terminated: 143,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A mistake on the command line found after commander parsed it (a --set naming no node, a
 * value out of range). Thrown by the checks, turned into exit 2 by the command that ran them.
 */
export class UsageError extends Error {
  override name = "UsageError";
}
