import { ExitCode } from "./exitCodes.js";
import type { CliIo, OutputStream } from "./output.js";

/** A stream that remembers whether anything was written to it. */
export interface TrackedStream extends OutputStream {
  readonly used: boolean;
}

export function trackWrites(stream: OutputStream): TrackedStream {
  let used = false;
  return {
    write: (text: string) => {
      used = true;
      return stream.write(text);
    },
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    get used() {
      return used;
    },
  };
}

/**
 * A bug reached the top instead of a command's own error handling: its stack goes to stderr,
 * and a --json command that has not printed its document yet still prints one, so a script
 * reading stdout gets JSON (with the error at "$") rather than nothing.
 */
export function reportInternalError(io: CliIo, error: unknown, owesDocument: boolean): ExitCode {
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`error: internal error: ${error instanceof Error ? (error.stack ?? message) : message}\n`);
  if (owesDocument) {
    const name = error instanceof Error ? error.name : "Error";
    io.stdout.write(
      `${JSON.stringify({ outcome: "error", error: { name, message }, problems: [{ path: "$", message: `internal error: ${message}` }] }, null, 2)}\n`,
    );
  }
  return ExitCode.failure;
}
