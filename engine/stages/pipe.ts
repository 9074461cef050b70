import { performance } from "node:perf_hooks";
import type { PipeConfig } from "../config.js";
import { StageTimeoutError } from "../errors.js";
import { isAsyncGeneratorFunction, isPoolTask, type OpContext } from "../ops.js";
import { EMPTY, END } from "../queue.js";
import { Stage, type Executor, type RunContext } from "./stage.js";

/** A call that produced nothing to pass on: it failed (after retries) or was cancelled. */
const DROPPED: unique symbol = Symbol("dropped");

type Call = (item: unknown, context: OpContext) => unknown;

/** Input order: one call, from the moment its item is taken until its result has left. */
interface OrderedCall {
  settled: boolean;
  value: unknown;
  /** A generator call waits for its turn before emitting; this wakes it. */
  onTurn: (() => void) | null;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value instanceof Promise ||
    (value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as PromiseLike<unknown>).then === "function")
  );
}

/**
 * A pipe stage: keeps up to `concurrency` calls of its op in flight. It is driven by callbacks,
 * not loops: an item arriving, a call settling or room appearing downstream each run pump(),
 * which starts calls while a slot is free. A slot is taken before a call starts and given back
 * only when its result has left, so in input order the calls running plus the results waiting
 * for their turn never exceed `concurrency` (nor, in completion order, results waiting for room).
 */
export class PipeStage extends Stage {
  readonly kind = "pipe";
  readonly executor: Executor;
  private limit: number;
  /** Slots in use: calls running plus results not yet handed downstream. */
  private held = 0;
  private inputEnded = false;
  private stopTaking = false;
  private pumping = false;
  private pumpAgain = false;
  private paused = false;
  private readonly ordered: boolean;
  private readonly call: Call;
  private readonly isGenerator: boolean;
  private readonly opContext: OpContext;
  private readonly hasPolicy: boolean;
  private readonly maxFailures: number | undefined;
  /** Completion order: results waiting for room downstream. */
  private readonly finishedResults: unknown[] = [];
  /** Input order: calls in take order, from the oldest not yet emitted. */
  private readonly orderedCalls: OrderedCall[] = [];
  private orderedHead = 0;
  private readonly resume = (): void => {
    this.paused = false;
    this.pump();
  };

  constructor(
    private readonly config: PipeConfig,
    context: RunContext,
  ) {
    super(config.name, context);
    this.limit = config.concurrency;
    this.ordered = config.outputOrder === "input";
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

  /** Finished results holding a slot: waiting for their turn (input order) or for room downstream. */
  get awaitingOutput(): number {
    return this.held - this.inFlight;
  }

  start(): void {
    this.input!.onAvailable = () => this.pump();
    this.output.addSpaceListener(() => this.flush());
    this.pump();
  }

  /** Live knob: more calls start at once; above the new limit, running calls finish and none start. */
  setConcurrency(concurrency: number): void {
    this.limit = concurrency;
    this.pump();
  }

  protected override onFailing(): void {
    this.stopTaking = true;
    this.checkFinished();
  }

  protected override onCancel(): void {
    // Results not yet handed on are dropped; running calls give back their slots as they settle.
    this.held = this.inFlight;
    this.finishedResults.length = 0;
    for (let i = this.orderedHead; i < this.orderedCalls.length; i++) this.orderedCalls[i].onTurn?.();
    this.orderedCalls.length = 0;
    this.orderedHead = 0;
    this.checkFinished();
  }

  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        this.startCalls();
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
    this.checkFinished();
  }

  private startCalls(): void {
    const input = this.input!;
    const gate = this.context.yieldGate;
    while (this.held < this.limit && !this.stopTaking && !this.cancelled && !this.paused) {
      const item = input.tryGet();
      if (item === EMPTY) return;
      if (item === END) {
        this.inputEnded = true;
        return;
      }
      this.held++;
      this.itemsIn++;
      this.calls++;
      this.inFlight++;
      this.startCall(item);
      const pause = gate.tick();
      if (pause) {
        this.paused = true;
        void pause.then(this.resume);
        return;
      }
    }
  }

  private startCall(item: unknown): void {
    const slot: OrderedCall | undefined = this.ordered ? { settled: false, value: undefined, onTurn: null } : undefined;
    if (slot) this.orderedCalls.push(slot);
    if (this.isGenerator) {
      void this.runGenerator(item, slot);
      return;
    }
    const startedAt = this.shouldTime() ? performance.now() : 0;
    let result: unknown;
    try {
      result = this.hasPolicy ? this.invokeWithPolicy(item) : this.call(item, this.opContext);
    } catch (error) {
      this.settle(slot, this.failed(item, error), startedAt);
      return;
    }
    if (isThenable(result)) {
      result.then(
        (value) => this.settle(slot, value, startedAt),
        (error: unknown) => this.settle(slot, this.failed(item, error), startedAt),
      );
    } else {
      if (this.executor === "loop") this.blocksEventLoop = true;
      this.settle(slot, result, startedAt);
    }
  }

  private failed(item: unknown, error: unknown): typeof DROPPED {
    if (!this.cancelled) this.recordFailure(item, error, 1, this.maxFailures);
    return DROPPED;
  }

  /** A call finished: hand its result on (or keep it, holding the slot, until it may leave). */
  private settle(slot: OrderedCall | undefined, value: unknown, startedAt: number): void {
    if (startedAt !== 0) this.recordTiming(performance.now() - startedAt);
    this.inFlight--;
    if (this.cancelled) {
      this.held--;
      this.checkFinished();
      return;
    }
    if (slot) {
      slot.settled = true;
      slot.value = value;
      this.flushOrdered();
    } else if (value === undefined || value === DROPPED) {
      if (value === undefined) this.dropped++;
      this.held--;
    } else if (this.finishedResults.length === 0 && this.output.tryPut(value)) {
      this.itemsOut++;
      this.held--;
    } else {
      this.finishedResults.push(value);
    }
    this.pump();
  }

  /** Room downstream: results that waited for it leave, then more calls may start. */
  private flush(): void {
    if (this.ordered) this.flushOrdered();
    else {
      const output = this.output;
      while (this.finishedResults.length > 0 && output.tryPut(this.finishedResults[0])) {
        this.finishedResults.shift();
        this.itemsOut++;
        this.held--;
      }
    }
    this.pump();
  }

  private flushOrdered(): void {
    const calls = this.orderedCalls;
    while (this.orderedHead < calls.length) {
      const head = calls[this.orderedHead];
      if (!head.settled) {
        // A generator at the head of the line may now emit.
        const onTurn = head.onTurn;
        head.onTurn = null;
        onTurn?.();
        return;
      }
      const value = head.value;
      if (value === undefined) this.dropped++;
      else if (value !== DROPPED) {
        if (!this.output.tryPut(value)) return;
        this.itemsOut++;
      }
      this.orderedHead++;
      this.held--;
    }
    calls.length = 0;
    this.orderedHead = 0;
  }

  private checkFinished(): void {
    if (this.held === 0 && !this.isFinished && (this.inputEnded || this.stopTaking || this.cancelled)) {
      this.finish(this.failedWith);
    }
  }

  /** Timeouts and retries with exponential backoff; never rejects (a final failure is DROPPED). */
  private async invokeWithPolicy(item: unknown): Promise<unknown> {
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
   * before this call's turn (so generators overlap), the rest once it is at the head of the line.
   */
  private async runGenerator(item: unknown, slot: OrderedCall | undefined): Promise<void> {
    const startedAt = this.shouldTime() ? performance.now() : 0;
    let iterator: AsyncIterator<unknown> | undefined;
    let produced = 0;
    try {
      iterator = (this.call(item, this.opContext) as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      let step = iterator.next();
      if (slot && this.orderedCalls[this.orderedHead] !== slot && !this.cancelled) {
        step.catch(() => undefined);
        await new Promise<void>((resolve) => (slot.onTurn = resolve));
      }
      for (let next = await step; !next.done && !this.cancelled; next = await (step = iterator.next())) {
        if (next.value === undefined) continue;
        if (!(await this.emit(next.value))) break;
        produced++;
      }
    } catch (error) {
      this.failed(item, error);
    } finally {
      if (this.cancelled) void iterator?.return?.(undefined)?.catch(() => undefined);
    }
    if (produced === 0) this.dropped++;
    // Everything it produced has left: the slot settles with nothing more to hand on.
    this.settle(slot, DROPPED, startedAt);
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
