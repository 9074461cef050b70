import { ExitCode } from "./exitCodes.js";
import { problemsOf } from "./loadFile.js";
import type { Output } from "./output.js";

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

/**
 * Aborts on the first Ctrl-C or SIGTERM (the abort's reason is the signal); the second quits at
 * once. Returns the signal and the unsubscribe.
 */
export function abortOnInterrupt(
  interrupts: InterruptSource,
  output: Output,
  exitNow: (code: ExitCode) => void,
): { signal: AbortSignal; unsubscribe: () => void } {
  const controller = new AbortController();
  const unsubscribe = interrupts({
    first: (signal) => {
      output.notice(stoppingNotice(signal));
      controller.abort(signal);
    },
    second: (signal) => exitNow(interruptedExitCode(signal)),
  });
  return { signal: controller.signal, unsubscribe };
}

/** A profile or tune that ended early: stopped by Ctrl-C (130) or SIGTERM (143), or failed (1); said on stderr and in the JSON document. */
export function reportEndedEarly(
  output: Output,
  error: unknown,
  signal: AbortSignal,
  stoppedMessage: string,
  documentFor: (outcome: "stopped" | "failed", message: string) => unknown,
): ExitCode {
  const stopped = signal.aborted;
  const message = stopped ? stoppedMessage : (problemsOf(error)[0]?.message ?? String(error));
  output.notice(`error: ${message}`);
  if (output.json) output.document(documentFor(stopped ? "stopped" : "failed", message));
  return stopped ? interruptedExitCode(signal.reason as InterruptSignal) : ExitCode.failure;
}
