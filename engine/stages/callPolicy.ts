import { MAX_TIMER_MS } from "../bounds.js";
import type { PipeConfig } from "../config.js";
import { StageTimeoutError } from "../errors.js";
import type { OpContext } from "../opTypes.js";

/** A call that produced nothing to pass on: it failed (after retries) or was cancelled. */
export const DROPPED: unique symbol = Symbol("dropped");

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value instanceof Promise ||
    (value !== null &&
      (typeof value === "object" || typeof value === "function") &&
      typeof (value as PromiseLike<unknown>).then === "function")
  );
}

/** Only a stage with a timeout or retries pays for a policy: the others call their op directly. */
export function hasCallPolicy(config: Pick<PipeConfig, "timeoutMs" | "retries">): boolean {
  return config.timeoutMs !== undefined || config.retries > 0;
}

/** What a call policy needs of its stage. */
export interface PolicyStage {
  readonly name: string;
  /** The stage's own signal: aborted when it is cancelled, which also ends a backoff wait. */
  readonly signal: AbortSignal;
  /** What an op receives when no deadline applies. */
  readonly opContext: OpContext;
  isCancelled(): boolean;
  /** One call of the op, as the stage makes it (noting a call that ran inline). */
  callOnce(item: unknown, context: OpContext): unknown;
  /** A failed attempt is about to be retried. */
  retrying(): void;
  /** The last attempt failed: the item counts as a failure. */
  failed(item: unknown, error: unknown, attempts: number): void;
}

/**
 * Timeouts and retries with exponential backoff: each attempt under its own deadline (its
 * signal aborts when the deadline passes), a failed one retried after a doubling, jittered delay.
 */
export class CallPolicy {
  constructor(
    private readonly stage: PolicyStage,
    private readonly config: Pick<PipeConfig, "timeoutMs" | "retries" | "retryDelayMs">,
  ) {}

  /** Never rejects: a final failure is recorded and comes back as DROPPED, as does a cancelled call. */
  async invoke(item: unknown): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(item);
      } catch (error) {
        if (this.stage.isCancelled()) return DROPPED;
        if (attempt > this.config.retries) {
          this.stage.failed(item, error, attempt);
          return DROPPED;
        }
        this.stage.retrying();
        // Doubling up to 100 retries passes what a timer can wait, and a longer timer fires at once.
        const backoff = Math.min(MAX_TIMER_MS, this.config.retryDelayMs * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4));
        if (!(await delay(backoff, this.stage.signal))) return DROPPED;
      }
    }
  }

  private async attempt(item: unknown): Promise<unknown> {
    const timeoutMs = this.config.timeoutMs;
    if (timeoutMs === undefined) {
      const result = this.stage.callOnce(item, this.stage.opContext);
      return isThenable(result) ? await result : result;
    }
    const deadline = new AbortController();
    const signal = AbortSignal.any([this.stage.signal, deadline.signal]);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new StageTimeoutError(this.stage.name, timeoutMs);
        deadline.abort(error);
        reject(error);
      }, timeoutMs);
    });
    try {
      const result = this.stage.callOnce(item, { signal, stage: this.stage.name });
      if (!isThenable(result)) return result;
      return await Promise.race([result, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Waits ms; resolves false at once if the signal aborts (no timer left behind). */
function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
