import { performance } from "node:perf_hooks";
import type { RouteConfig } from "../config.js";
import { RouteIndexError } from "../errors.js";
import { planCall, type Call, type ExecutorKind } from "../executors.js";
import type { OpContext } from "../opTypes.js";
import { EMPTY, END, type BoundedQueue } from "../queue.js";
import { previewJson } from "../util/previewJson.js";
import { isThenable } from "./callPolicy.js";
import { Stage, type RunContext } from "./stage.js";

/**
 * SPDL's path_variants router: takes one item at a time, asks the router which path it takes and
 * puts it into that path's queue, waiting while the queue is full, so a slow path holds the router
 * (and everything before it) as SPDL's does. An item the router throws on, or sends to a path
 * that does not exist, fails: it is logged and counted against the failure budget, and the next
 * item is routed.
 */
export class RouteStage extends Stage {
  readonly kind = "route";
  readonly executor: ExecutorKind;
  /** Per path, the queue it starts with: its first stage's input, or where the paths meet for an empty path. */
  pathQueues: BoundedQueue<unknown>[] = [];
  /** Items sent down each path, by index. */
  readonly routed: number[];
  private readonly call: Call;
  private readonly opContext: OpContext;

  constructor(config: RouteConfig, context: RunContext) {
    super(config.name, context, config.maxFailures);
    this.routed = config.paths.map(() => 0);
    this.opContext = { signal: this.abort.signal, stage: config.name };
    const plan = planCall({ op: config.router, name: config.name, timeoutMs: undefined, retries: 0 }, context.pool, context.remote);
    this.executor = plan.executor;
    this.call = plan.call;
  }

  start(): void {
    void this.run();
  }

  /** Several empty paths share the queue where the paths meet: it loses this producer once. */
  protected override closeOutputs(error?: Error): void {
    for (const queue of new Set(this.pathQueues)) queue.close(error);
  }

  private async run(): Promise<void> {
    const input = this.input!;
    const gate = this.context.yieldGate;
    while (!this.cancelled && !this.failedWith) {
      let item = input.tryGet();
      if (item === EMPTY) item = await input.get();
      if (item === END) break;
      this.itemsIn++;
      const path = await this.choosePath(item);
      if (this.cancelled) break;
      if (path === undefined) continue;
      const queue = this.pathQueues[path];
      if (!queue.tryPut(item) && !(await queue.put(item))) break;
      this.routed[path]++;
      this.itemsOut++;
      const pause = gate.tick();
      if (pause) await pause;
    }
    this.finish(this.failedWith);
  }

  /** The path the router picks for `item`; undefined when it failed (counted and logged). */
  private async choosePath(item: unknown): Promise<number | undefined> {
    this.calls++;
    this.inFlight = 1;
    const startedAt = this.shouldTime() ? performance.now() : 0;
    let index: unknown;
    try {
      const result = this.call(item, this.opContext);
      index = isThenable(result) ? await result : result;
    } catch (error) {
      if (!this.cancelled) this.recordFailure(item, error, 1);
      return undefined;
    } finally {
      this.inFlight = 0;
      if (startedAt !== 0) this.recordTiming(performance.now() - startedAt);
    }
    if (this.cancelled) return undefined;
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= this.pathQueues.length) {
      this.recordFailure(item, new RouteIndexError(this.name, describeReturned(index), this.pathQueues.length), 1);
      return undefined;
    }
    this.countCall(false);
    return index;
  }
}

function describeReturned(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (value === undefined) return "nothing";
  return `${previewJson(value)} (${value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`})`;
}
