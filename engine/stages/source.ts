import type { SourceConfig } from "../config.js";
import { PipelineError } from "../errors.js";
import { Stage, type Executor, type RunContext } from "./stage.js";

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

/** Pulls items from an Iterable or AsyncIterable into the first queue. */
export class SourceStage extends Stage {
  readonly kind = "source";
  readonly executor: Executor = "loop";
  private iterator: AnyIterator | undefined;

  constructor(
    private readonly config: SourceConfig,
    context: RunContext,
  ) {
    super(config.name, context);
  }

  start(): void {
    void this.run();
  }

  private async run(): Promise<void> {
    const { output } = this;
    const gate = this.context.yieldGate;
    let error: PipelineError | undefined;
    try {
      const iterable = this.config.iterable as Partial<AsyncIterable<unknown> & Iterable<unknown>>;
      const isAsync = typeof iterable[Symbol.asyncIterator] === "function";
      const iterator: AnyIterator = isAsync ? iterable[Symbol.asyncIterator]!() : iterable[Symbol.iterator]!();
      this.iterator = iterator;
      while (!this.cancelled) {
        this.inFlight = 1;
        let next = iterator.next();
        if (isAsync) next = await next;
        this.inFlight = 0;
        const { done, value } = next as IteratorResult<unknown>;
        if (done || this.cancelled) break;
        if (!output.tryPut(value) && !(await output.put(value))) break;
        this.itemsOut++;
        const pause = gate.tick();
        if (pause) await pause;
      }
    } catch (cause) {
      this.inFlight = 0;
      if (!this.cancelled) {
        this.recordFailure("(source)", cause, 1, undefined);
        error = new PipelineError(this.name, this.failures, 0, this.context.failureLog.forStage(this.name));
        this.failPipeline(error);
      }
    }
    if (this.cancelled) await this.closeIterator();
    this.finish(error);
  }

  protected override onCancel(): void {
    void this.closeIterator();
  }

  /** Lets a generator source run its finally blocks when the pipeline stops early. */
  private async closeIterator(): Promise<void> {
    const iterator = this.iterator;
    this.iterator = undefined;
    try {
      await iterator?.return?.();
    } catch {
      // A generator that is mid-await cannot be returned; it ends when its await settles.
    }
  }
}
