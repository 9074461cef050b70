/**
 * A timer that an AbortSignal cancels, for ops that wait at every call (the sleep op). Node's
 * `timers/promises` setTimeout adds and removes an abort listener at each call, and its
 * EventTarget bookkeeping cost more than the timer itself: a 200-stage chain of 1 ms sleeps spent
 * a sixth of its host's CPU there. Here each signal has one listener for all its pending waits.
 */

/** What a wait rejects with when its signal aborts, as Node's own timers do. */
export class AbortError extends Error {
  override name = "AbortError";
  readonly code = "ABORT_ERR";
  constructor(reason: unknown) {
    super("The operation was aborted", { cause: reason });
  }
}

interface Wait {
  timer: ReturnType<typeof setTimeout>;
  reject(error: AbortError): void;
}

const waitsBySignal = new WeakMap<AbortSignal, Set<Wait>>();

function waitsOf(signal: AbortSignal): Set<Wait> {
  let waits = waitsBySignal.get(signal);
  if (!waits) {
    const pending = new Set<Wait>();
    waits = pending;
    waitsBySignal.set(signal, pending);
    signal.addEventListener(
      "abort",
      () => {
        for (const wait of pending) {
          clearTimeout(wait.timer);
          wait.reject(new AbortError(signal.reason));
        }
        pending.clear();
      },
      { once: true },
    );
  }
  return waits;
}

/** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts (at once if it has). */
export function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return new Promise((resolve) => setTimeout(resolve, ms));
  if (signal.aborted) return Promise.reject(new AbortError(signal.reason));
  const waits = waitsOf(signal);
  return new Promise((resolve, reject) => {
    const wait: Wait = {
      timer: setTimeout(() => {
        waits.delete(wait);
        resolve();
      }, ms),
      reject,
    };
    waits.add(wait);
  });
}
