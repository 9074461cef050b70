import { performance } from "node:perf_hooks";

const CHECK_EVERY = 128;
const MAX_BUSY_MS = 4;

/**
 * Ops that resolve at once chain promise callbacks forever: no timer, I/O callback or Stop
 * request runs until the whole pipeline ends. Every stage loop calls tick() once per item; every
 * few ms of continuous work it returns a promise that resolves after a setImmediate, so the
 * event loop runs its timers and I/O before the pipeline continues. All loops share one wait.
 */
export class EventLoopYield {
  private countdown = CHECK_EVERY;
  private lastYieldAt = performance.now();
  private pending: Promise<void> | null = null;

  /** undefined (go on) or a promise to await before the next item. */
  tick(): Promise<void> | undefined {
    if (this.pending) return this.pending;
    if (--this.countdown > 0) return undefined;
    this.countdown = CHECK_EVERY;
    if (performance.now() - this.lastYieldAt < MAX_BUSY_MS) return undefined;
    this.pending = new Promise((resolve) =>
      setImmediate(() => {
        this.pending = null;
        this.lastYieldAt = performance.now();
        resolve();
      }),
    );
    return this.pending;
  }
}
