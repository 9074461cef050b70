import { ExitCode } from "./exitCodes.js";

/** The signals that stop a command cleanly: Ctrl-C, and what `kill`, systemd or CI send. */
export type InterruptSignal = "SIGINT" | "SIGTERM";

/** What a command does when interrupted: the first signal stops cleanly, a second one means "now". */
export interface InterruptHandlers {
  first(signal: InterruptSignal): void;
  second(signal: InterruptSignal): void;
}

/** Subscribes to interrupts; returns the unsubscribe. Injected so tests can interrupt in-process. */
export type InterruptSource = (handlers: InterruptHandlers) => () => void;

const SIGNALS: readonly InterruptSignal[] = ["SIGINT", "SIGTERM"];

export const processInterrupts: InterruptSource = (handlers) => {
  let count = 0;
  const onSignal = (signal: InterruptSignal) => {
    count++;
    if (count === 1) handlers.first(signal);
    else handlers.second(signal);
  };
  // Listening replaces Node's default (die at once), which would skip the final table, the
  // --json document and the --report file.
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
};

/** 128 + the signal's number, as shells report a process that signal ended: 130 or 143. */
export function interruptedExitCode(signal: InterruptSignal | undefined): ExitCode {
  return signal === "SIGTERM" ? ExitCode.terminated : ExitCode.interrupted;
}

/** Said on stderr when the first signal arrives. */
export function stoppingNotice(signal: InterruptSignal): string {
  return signal === "SIGTERM" ? "Stopping on SIGTERM… (a second signal quits at once)" : "Stopping… (press Ctrl-C again to quit at once)";
}
