import type { SourceConfig } from "../config.js";
import { PipelineError } from "../errors.js";
import type { ExecutorKind } from "../executors.js";
import { NOT_WAITING } from "../stats/opWaits.js";
import { Stage, type RunContext } from "./stage.js";

/**
 * Pulls items from an Iterable or AsyncIterable into the first queue. A sync iterable is pulled
 * whenever the queue has room (no promise per item); an async one is awaited item by item.
 */
export class SourceStage extends Stage {
  readonly kind = "source";
  readonly executor: ExecutorKind = "loop";
  private iterator: Iterator<unknown> | AsyncIterator<unknown> | undefined;
  private filling = false;
  /** Since when the next item has waited for room in the first queue (the queue's beginPutWait()), for the per-put wait. */
  private blockedSince = NOT_WAITING;
  private paused = false;

  constructor(
    private readonly config: SourceConfig,
    context: RunContext,
  ) {
    super(config.name, context);
  }

  start(): void {
    const iterable = this.config.iterable as Partial<AsyncIterable<unknown> & Iterable<unknown>>;
    try {
      if (typeof iterable[Symbol.asyncIterator] === "function") {
        const iterator = iterable[Symbol.asyncIterator]!();
        this.iterator = iterator;
        void this.pullAsync(iterator);
      } else {
        const iterator = iterable[Symbol.iterator]!();
        this.iterator = iterator;
        this.output.addSpaceListener(() => this.fill(iterator));
        this.fill(iterator);
      }
    } catch (cause) {
      this.failed(cause);
    }
  }

  private fill(iterator: Iterator<unknown>): void {
    if (this.filling || this.paused || this.isFinished) return;
    this.filling = true;
    const output = this.output;
    const gate = this.context.yieldGate;
    const control = this.context.sourceControl;
    try {
      while (!this.cancelled && output.hasSpaceOrNotify()) {
        if (control.draining) {
          this.finish();
          return;
        }
        if (control.paused) {
          control.onceReleased(() => this.fill(iterator));
          return;
        }
        const next = iterator.next();
        if (next.done) {
          this.finish();
          return;
        }
        output.tryPut(next.value, this.blockedSince);
        this.blockedSince = NOT_WAITING;
        this.itemsOut++;
        const pause = gate.tick();
        if (pause) {
          this.paused = true;
          void pause.then(() => {
            this.paused = false;
            this.fill(iterator);
          });
          return;
        }
      }
      // Cancelled, or nobody will read what comes next.
      if (this.cancelled || output.isCancelled) this.finish();
      else if (this.blockedSince === NOT_WAITING) this.blockedSince = output.beginPutWait();
    } catch (cause) {
      this.failed(cause);
    } finally {
      this.filling = false;
    }
  }

  private async pullAsync(iterator: AsyncIterator<unknown>): Promise<void> {
    const output = this.output;
    const gate = this.context.yieldGate;
    const control = this.context.sourceControl;
    try {
      while (!this.cancelled) {
        if (control.paused && !control.draining) await control.released();
        if (control.draining || this.cancelled) break;
        this.inFlight = 1;
        const next = await iterator.next();
        this.inFlight = 0;
        if (next.done || this.cancelled) break;
        // An item pulled before a drain began is still delivered.
        if (!output.tryPut(next.value) && !(await output.put(next.value))) break;
        this.itemsOut++;
        const pause = gate.tick();
        if (pause) await pause;
      }
      this.finish();
    } catch (cause) {
      this.inFlight = 0;
      this.failed(cause);
    }
  }

  /** A source that throws cannot go on: the pipeline fails, naming the source. */
  private failed(cause: unknown): void {
    if (!this.cancelled) {
      this.logFailure("(source)", cause, 1);
      const error = new PipelineError(this.name, this.failures, 0, this.context.failureLog.forStage(this.name));
      this.failPipeline(error);
      this.finish(error);
    } else this.finish();
  }

  protected override onCancel(): void {
    const iterator = this.iterator;
    this.iterator = undefined;
    // Lets a generator source run its finally blocks; one mid-await ends when its await settles.
    Promise.resolve()
      .then(() => iterator?.return?.())
      .catch(() => undefined);
    if (!this.filling && !this.paused && this.inFlight === 0) this.finish();
  }
}
