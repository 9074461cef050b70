import { performance } from "node:perf_hooks";
import type { PipeConfig } from "../config.js";
import { planCall, type Call, type ExecutorKind } from "../executors.js";
import { asyncIteratorOf, GeneratedValues, isGeneratorFunction } from "../generatedValues.js";
import { isPoolTask, type OpContext } from "../opTypes.js";
import { EMPTY, END } from "../queue.js";
import { NOT_WAITING } from "../stats/opWaits.js";
import { CallPolicy, DROPPED, hasCallPolicy, isThenable } from "./callPolicy.js";
import { ResultLine } from "./resultLine.js";
import type { RemoteStageSnapshot } from "../stats/snapshot.js";
import { Stage, type RunContext } from "./stage.js";

/**
 * A pipe stage: keeps up to `concurrency` calls of its op in flight. It is driven by callbacks,
 * not loops: an item arriving, a call settling or room appearing downstream each run pump(),
 * which starts calls while a slot is free. A slot is taken before a call starts and given back
 * only when its result has left, so in input order the calls running plus the results waiting
 * for their turn never exceed `concurrency` (nor, in completion order, results waiting for room).
 */
export class PipeStage extends Stage {
  readonly kind = "pipe";
  readonly executor: ExecutorKind;
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
  /** Timeouts and retries, for a stage that has either. */
  private readonly policy: CallPolicy | undefined;
  /** Completion order: results waiting for room downstream, and since when (the output's beginPutWait()). */
  private readonly finishedResults: unknown[] = [];
  private readonly finishedAt: number[] = [];
  /** Input order: since when the head result has waited for room downstream (the output's beginPutWait()). */
  private headBlockedSince = NOT_WAITING;
  /** Since when a free slot has waited for an input item (the input's beginGetWait()), for the per-get wait. */
  private wantedSince = NOT_WAITING;
  /** Input order: results by sequence number, in a ring from the oldest not yet emitted. */
  private readonly line = new ResultLine();
  /** Input order: generator calls waiting to reach the head of the line. */
  private readonly turnWaiters = new Map<number, () => void>();
  private readonly resume = (): void => {
    this.paused = false;
    this.pump();
  };
  private readonly settleUntimed = (value: unknown): void => this.settle(-1, value, 0);
  /** Settle handlers of calls that finished, for reuse (input order, or timed calls). */
  private readonly spareCalls: PendingCall[] = [];

  constructor(
    private readonly config: PipeConfig,
    context: RunContext,
  ) {
    super(config.name, context, config.maxFailures);
    this.limit = config.concurrency;
    this.ordered = config.outputOrder === "input";
    this.opContext = { signal: this.abort.signal, stage: config.name };
    const plan = planCall(config, context.pool, context.remote);
    this.executor = plan.executor;
    this.call = plan.call;
    this.isGenerator = plan.multiOutput;
    // A sync generator's steps run inline on the event loop, as a sync op does.
    if (isGeneratorFunction(config.op)) this.blocksEventLoop = true;
    this.policy = hasCallPolicy(config)
      ? new CallPolicy(
          {
            name: config.name,
            signal: this.abort.signal,
            opContext: this.opContext,
            isCancelled: () => this.cancelled,
            callOnce: (item, context) => this.callOnce(item, context),
            retrying: () => void this.retriesDone++,
            failed: (item, error, attempts) => this.recordFailure(item, error, attempts),
          },
          config,
        )
      : undefined;
  }

  override get concurrency(): number {
    return this.limit;
  }

  /** Remote stages: what the run knows of the stage's queue and workers. */
  get remote(): RemoteStageSnapshot | null {
    return this.executor === "remote" ? this.context.remote().snapshot(this.name) : null;
  }

  /** Pool stages: calls waiting for a thread (the rest of inFlight hold one). */
  get waitingForThread(): number {
    return isPoolTask(this.config.op) ? this.context.pool().waitingFor(this.config.op) : 0;
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
    this.finishedAt.length = 0;
    for (const wake of this.turnWaiters.values()) wake();
    this.turnWaiters.clear();
    this.line.clear();
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
      const item = input.tryGet(this.wantedSince);
      if (item === EMPTY) {
        if (this.wantedSince === NOT_WAITING) this.wantedSince = input.beginGetWait();
        return;
      }
      this.wantedSince = NOT_WAITING;
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
    const seq = this.ordered ? this.line.open() : -1;
    if (this.isGenerator) {
      void this.runGenerator(item, seq);
      return;
    }
    const startedAt = this.shouldTime() ? performance.now() : 0;
    let result: unknown;
    try {
      result = this.policy ? this.policy.invoke(item) : this.callOnce(item, this.opContext);
    } catch (error) {
      this.settle(seq, this.failed(item, error), startedAt);
      return;
    }
    if (isThenable(result)) {
      // No closure per call in the common cases: at a million items a second one is measurable.
      if (seq < 0 && startedAt === 0) result.then(this.settleUntimed, (error: unknown) => this.settleUntimed(this.failed(item, error)));
      else {
        const pending = this.spareCalls.pop() ?? new PendingCall(this);
        pending.seq = seq;
        pending.item = item;
        pending.startedAt = startedAt;
        result.then(pending.fulfilled, pending.rejected);
      }
    } else this.settle(seq, result, startedAt);
  }

  /** One call of the op. A plain value back (no promise) means the op ran inline: on the event loop, it blocked it meanwhile. */
  private callOnce(item: unknown, context: OpContext): unknown {
    const result = this.call(item, context);
    if (this.executor === "loop" && !isThenable(result)) this.blocksEventLoop = true;
    return result;
  }

  private failed(item: unknown, error: unknown): typeof DROPPED {
    if (!this.cancelled) this.recordFailure(item, error, 1);
    return DROPPED;
  }

  /** A pending call's promise settled: its handlers go back to the spare list, its result on. */
  settlePending(pending: PendingCall, outcome: unknown, rejected: boolean): void {
    const { seq, item, startedAt } = pending;
    pending.item = undefined;
    this.spareCalls.push(pending);
    this.settle(seq, rejected ? this.failed(item, outcome) : outcome, startedAt);
  }

  /** A call finished: hand its result on (or keep it, holding the slot, until it may leave). */
  private settle(seq: number, value: unknown, startedAt: number): void {
    if (value instanceof GeneratedValues && !this.cancelled) {
      // The call still holds its slot while its values leave one by one.
      void this.runGenerator(undefined, seq, value, startedAt);
      return;
    }
    if (startedAt !== 0) this.recordTiming(performance.now() - startedAt);
    this.inFlight--;
    if (this.cancelled) {
      this.held--;
      this.checkFinished();
      return;
    }
    // A failure was counted when it was recorded; a generator counts its steps as it runs.
    if (value !== DROPPED) this.countCall(false);
    if (seq >= 0) {
      this.line.settle(seq, value);
      this.flushOrdered();
    } else if (value === undefined || value === DROPPED) {
      if (value === undefined) this.dropped++;
      this.held--;
    } else if (this.finishedResults.length === 0 && this.output.tryPut(value)) {
      this.itemsOut++;
      this.held--;
    } else {
      this.finishedResults.push(value);
      this.finishedAt.push(this.output.beginPutWait());
    }
    this.pump();
  }

  /** Room downstream: results that waited for it leave, then more calls may start. */
  private flush(): void {
    if (this.ordered) this.flushOrdered();
    else {
      const output = this.output;
      while (this.finishedResults.length > 0 && output.tryPut(this.finishedResults[0], this.finishedAt[0])) {
        this.finishedResults.shift();
        this.finishedAt.shift();
        this.itemsOut++;
        this.held--;
      }
    }
    this.pump();
  }

  private flushOrdered(): void {
    const line = this.line;
    while (!line.isEmpty) {
      if (!line.headSettled) {
        // A generator at the head of the line may now emit.
        const wake = this.turnWaiters.get(line.headSeq);
        if (wake) {
          this.turnWaiters.delete(line.headSeq);
          wake();
        }
        return;
      }
      const value = line.headValue;
      if (value === undefined) this.dropped++;
      else if (value !== DROPPED) {
        if (!this.output.tryPut(value, this.headBlockedSince)) {
          if (this.headBlockedSince === NOT_WAITING) this.headBlockedSince = this.output.beginPutWait();
          return;
        }
        this.headBlockedSince = NOT_WAITING;
        this.itemsOut++;
      }
      line.shift();
      this.held--;
    }
  }

  private checkFinished(): void {
    if (this.held === 0 && !this.isFinished && (this.inputEnded || this.stopTaking || this.cancelled)) {
      this.finish(this.failedWith);
    }
  }

  /**
   * A generator op (async or not), or the values a call generated: each yield leaves at once. In
   * input order the first value is pulled before this call's turn (so generators overlap), the
   * rest once it is at the head of the line.
   */
  private async runGenerator(
    item: unknown,
    seq: number,
    generated?: GeneratedValues,
    startedAt = this.shouldTime() ? performance.now() : 0,
  ): Promise<void> {
    let iterator: AsyncIterator<unknown> | undefined;
    let produced = 0;
    try {
      iterator = generated
        ? generated.iterator()
        : asyncIteratorOf(this.call(item, this.opContext) as Iterable<unknown> | AsyncIterable<unknown>);
      let step = iterator.next();
      if (seq >= 0 && this.line.headSeq !== seq && !this.cancelled) {
        step.catch(() => undefined);
        await new Promise<void>((resolve) => this.turnWaiters.set(seq, resolve));
      }
      // Each step is one call for the failure budget, the one that ends the generator too (as SPDL counts).
      for (let next = await step; !this.cancelled; next = await (step = iterator.next())) {
        this.countCall(false);
        if (next.done) break;
        if (next.value === undefined) continue;
        if (!(await this.emit(next.value))) break;
        produced++;
      }
    } catch (error) {
      this.failed(generated ? generated.item : item, error);
    } finally {
      if (this.cancelled) void iterator?.return?.(undefined)?.catch(() => undefined);
    }
    if (produced === 0) this.dropped++;
    // Everything it produced has left: the slot settles with nothing more to hand on.
    this.settle(seq, DROPPED, startedAt);
  }
}

/**
 * The settle handlers of one call in flight that needs its sequence number or start time: made
 * once and reused by later calls (at most `concurrency` exist), instead of two closures per call.
 */
class PendingCall {
  seq = -1;
  item: unknown = undefined;
  startedAt = 0;
  readonly fulfilled = (value: unknown): void => this.stage.settlePending(this, value, false);
  readonly rejected = (error: unknown): void => this.stage.settlePending(this, error, true);

  constructor(private readonly stage: PipeStage) {}
}
