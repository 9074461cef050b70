import { performance } from "node:perf_hooks";
import type { PipeConfig } from "../config.js";
import { StageTimeoutError } from "../errors.js";
import { isAsyncGeneratorFunction, isPoolTask, type OpContext } from "../ops.js";
import { EMPTY, END, type TakeTicket } from "../queue.js";
import { Stage, type Executor, type RunContext } from "./stage.js";

/** Marks a call that produced nothing to pass on (a failure after retries, or a cancelled call). */
const DROPPED: unique symbol = Symbol("dropped");

type Call = (item: unknown, context: OpContext) => unknown;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as PromiseLike<unknown>).then === "function";
}

/**
 * A pipe stage: keeps up to `concurrency` calls of its op in flight, one long-lived loop per slot
 * (take an item, call, put the result, repeat). In input order a slot is held from the moment
 * its item is taken until its result has left in sequence, so calls in flight plus results
 * waiting their turn never exceed `concurrency`.
 */
export class PipeStage extends Stage {
  readonly kind = "pipe";
  readonly executor: Executor;
  private limit: number;
  private activeLoops = 0;
  private inputEnded = false;
  private stopTaking = false;
  private readonly call: Call;
  private readonly isGenerator: boolean;
  private readonly opContext: OpContext;
  private readonly hasPolicy: boolean;
  private readonly maxFailures: number | undefined;
  /** Input order: the position (in take order) of the item due to leave next. */
  private nextEmit = 0;
  private readonly turnWaiters = new Map<number, () => void>();
  /** Input order: results computed and waiting for earlier ones to leave. */
  awaitingOrder = 0;

  constructor(
    private readonly config: PipeConfig,
    context: RunContext,
  ) {
    super(config.name, context);
    this.limit = config.concurrency;
    this.maxFailures = config.maxFailures ?? context.defaultMaxFailures;
    this.opContext = { signal: this.abort.signal, stage: config.name };
    this.hasPolicy = config.timeoutMs !== undefined || config.retries > 0;
    const op = config.op;
    if (isPoolTask(op)) {
      this.executor = "pool";
      this.isGenerator = false;
      // A moved buffer is gone from this thread, so a call that may be retried sends a copy.
      const transfer = config.retries === 0;
      const withSignal = config.timeoutMs !== undefined;
      this.call = (item, callContext) => context.pool().submit(op, item, transfer, withSignal ? callContext.signal : undefined);
    } else {
      this.executor = "loop";
      this.isGenerator = isAsyncGeneratorFunction(op);
      this.call = op as Call;
    }
  }

  override get concurrency(): number {
    return this.limit;
  }

  start(): void {
    this.spawnLoops();
  }

  /** Live knob: more loops start at once; surplus loops end after their current item. */
  setConcurrency(concurrency: number): void {
    this.limit = concurrency;
    this.spawnLoops();
  }

  protected override onCancel(): void {
    this.releaseTurns();
  }

  protected override onFailing(): void {
    this.stopTaking = true;
  }

  private spawnLoops(): void {
    while (this.activeLoops < this.limit && !this.inputEnded && !this.stopTaking && !this.cancelled && !this.isFinished) {
      this.activeLoops++;
      void this.runLoop();
    }
  }

  private async runLoop(): Promise<void> {
    try {
      await this.slotLoop(this.config.outputOrder === "input");
    } finally {
      this.activeLoops--;
      if (this.activeLoops === 0) this.finish(this.failedWith);
    }
  }

  /**
   * One concurrency slot: take an item, call the op, put the result, repeat. The common case
   * (no timeout, no retries) is inlined: an extra async call per item would double the cost of
   * a fast pipeline.
   */
  private async slotLoop(ordered: boolean): Promise<void> {
    const input = this.input!;
    const output = this.output;
    const gate = this.context.yieldGate;
    const call = this.call;
    const opContext = this.opContext;
    const ticket: TakeTicket | undefined = ordered ? { index: 0 } : undefined;
    while (this.activeLoops <= this.limit && !this.stopTaking && !this.cancelled) {
      let item = input.tryGet(ticket);
      if (item === EMPTY) item = await input.get(ticket);
      if (item === END) {
        this.inputEnded = !this.stopTaking && !this.cancelled;
        return;
      }
      const seq = ticket ? ticket.index : -1;
      this.itemsIn++;
      this.calls++;
      this.inFlight++;
      if (this.isGenerator) {
        await this.runGenerator(item, ordered ? seq : undefined);
        this.inFlight--;
      } else {
        let result: unknown;
        if (this.hasPolicy) {
          result = await this.invokeWithPolicy(item);
        } else {
          const timed = this.shouldTime();
          const startedAt = timed ? performance.now() : 0;
          try {
            result = call(item, opContext);
            if (isThenable(result)) result = await result;
            else if (this.executor === "loop") this.blocksEventLoop = true;
          } catch (error) {
            if (!this.cancelled) this.recordFailure(item, error, 1, this.maxFailures);
            result = DROPPED;
          }
          if (timed) this.recordTiming(performance.now() - startedAt);
        }
        this.inFlight--;
        if (ordered && seq !== this.nextEmit && !this.cancelled) {
          this.awaitingOrder++;
          await new Promise<void>((resolve) => this.turnWaiters.set(seq, resolve));
          this.awaitingOrder--;
        }
        if (result === undefined) this.dropped++;
        else if (result !== DROPPED && !this.cancelled) {
          if (output.tryPut(result) || (await output.put(result))) this.itemsOut++;
        }
        if (ordered) this.passTurn();
      }
      const pause = gate.tick();
      if (pause) await pause;
    }
  }

  private passTurn(): void {
    this.nextEmit++;
    const next = this.turnWaiters.get(this.nextEmit);
    if (next) {
      this.turnWaiters.delete(this.nextEmit);
      next();
    }
  }

  private releaseTurns(): void {
    for (const resolve of this.turnWaiters.values()) resolve();
    this.turnWaiters.clear();
  }

  /** Timeouts and retries with exponential backoff; never throws. */
  private async invokeWithPolicy(item: unknown): Promise<unknown> {
    const timed = this.shouldTime();
    const startedAt = timed ? performance.now() : 0;
    try {
      return await this.attemptCalls(item);
    } finally {
      if (timed) this.recordTiming(performance.now() - startedAt);
    }
  }

  private async attemptCalls(item: unknown): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.callWithTimeout(item);
      } catch (error) {
        if (this.cancelled) return DROPPED;
        if (attempt > this.config.retries) {
          this.recordFailure(item, error, attempt, this.maxFailures);
          return DROPPED;
        }
        this.retriesDone++;
        const backoff = this.config.retryDelayMs * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4);
        if (!(await delay(backoff, this.abort.signal))) return DROPPED;
      }
    }
  }

  private async callWithTimeout(item: unknown): Promise<unknown> {
    const timeoutMs = this.config.timeoutMs;
    if (timeoutMs === undefined) {
      const result = this.call(item, this.opContext);
      if (isThenable(result)) return await result;
      if (this.executor === "loop") this.blocksEventLoop = true;
      return result;
    }
    const deadline = new AbortController();
    const signal = AbortSignal.any([this.abort.signal, deadline.signal]);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new StageTimeoutError(this.name, timeoutMs);
        deadline.abort(error);
        reject(error);
      }, timeoutMs);
    });
    try {
      const result = this.call(item, { signal, stage: this.name });
      if (!isThenable(result)) {
        if (this.executor === "loop") this.blocksEventLoop = true;
        return result;
      }
      return await Promise.race([result, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * An async generator op: each yield leaves at once. In input order the first value is pulled
   * before this call's turn (so generators overlap), the rest after it.
   */
  private async runGenerator(item: unknown, seq: number | undefined): Promise<void> {
    const timed = this.shouldTime();
    const startedAt = timed ? performance.now() : 0;
    let iterator: AsyncIterator<unknown> | undefined;
    try {
      iterator = (this.call(item, this.opContext) as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      let step = iterator.next();
      if (seq !== undefined && seq !== this.nextEmit && !this.cancelled) {
        step.catch(() => undefined);
        this.awaitingOrder++;
        await new Promise<void>((resolve) => this.turnWaiters.set(seq, resolve));
        this.awaitingOrder--;
      }
      let produced = 0;
      for (let next = await step; !next.done && !this.cancelled; next = await (step = iterator.next())) {
        if (next.value === undefined) continue;
        if (!(await this.emit(next.value))) break;
        produced++;
      }
      if (produced === 0) this.dropped++;
    } catch (error) {
      if (!this.cancelled) this.recordFailure(item, error, 1, this.maxFailures);
    } finally {
      if (this.cancelled) void iterator?.return?.(undefined)?.catch(() => undefined);
      if (seq !== undefined) this.passTurn();
      if (timed) this.recordTiming(performance.now() - startedAt);
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
