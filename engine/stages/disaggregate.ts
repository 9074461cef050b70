import type { DisaggregateConfig } from "../config.js";
import { EMPTY, END } from "../queue.js";
import type { ExecutorKind } from "../executors.js";
import { Stage, type RunContext } from "./stage.js";

/** Emits each element of each incoming iterable (an array, a Set, a batch from aggregate). */
export class DisaggregateStage extends Stage {
  readonly kind = "disaggregate";
  readonly executor: ExecutorKind = "none";

  constructor(config: DisaggregateConfig, context: RunContext) {
    super(config.name, context);
  }

  start(): void {
    void this.run();
  }

  private async run(): Promise<void> {
    const input = this.input!;
    const gate = this.context.yieldGate;
    // Each element, and the step that finds no more, is one call for the failure budget (as SPDL counts).
    outer: while (!this.cancelled && !this.failedWith) {
      let item = input.tryGet();
      if (item === EMPTY) item = await input.get();
      if (item === END) break;
      this.itemsIn++;
      this.calls++;
      if (item === null || typeof (item as Partial<Iterable<unknown>>)[Symbol.iterator] !== "function") {
        this.recordFailure(item, new TypeError(`disaggregate expects an iterable (such as an array), got ${typeOf(item)}`), 1);
        continue;
      }
      for (const element of item as Iterable<unknown>) {
        this.countCall(false);
        if (!(await this.emit(element))) break outer;
      }
      this.countCall(false);
      const pause = gate.tick();
      if (pause) await pause;
    }
    this.finish(this.failedWith);
  }
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}
