import type { AggregateConfig } from "../config.js";
import { EMPTY, END } from "../queue.js";
import type { ExecutorKind } from "../executors.js";
import { Stage, type RunContext } from "./stage.js";

/** Groups items into arrays of `size`; the last, shorter batch is emitted unless dropLast. */
export class AggregateStage extends Stage {
  readonly kind = "aggregate";
  readonly executor: ExecutorKind = "none";

  constructor(
    private readonly config: AggregateConfig,
    context: RunContext,
  ) {
    super(config.name, context);
  }

  start(): void {
    void this.run();
  }

  private async run(): Promise<void> {
    const input = this.input!;
    const gate = this.context.yieldGate;
    let batch: unknown[] = [];
    // Each item taken, and the flush at the end, is one call for the failure budget (as SPDL counts).
    while (!this.cancelled && !this.failedWith) {
      let item = input.tryGet();
      if (item === EMPTY) item = await input.get();
      if (item === END) break;
      this.itemsIn++;
      batch.push(item);
      this.countCall(false);
      if (batch.length === this.config.size) {
        const full = batch;
        batch = [];
        if (!(await this.emit(full))) break;
      }
      const pause = gate.tick();
      if (pause) await pause;
    }
    if (!this.cancelled && !this.failedWith) {
      if (this.config.dropLast) this.dropped += batch.length;
      else {
        this.countCall(false);
        if (batch.length > 0) await this.emit(batch);
      }
    }
    this.finish(this.failedWith);
  }
}
