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
      // A sync router costs no promise per item: only an async one is awaited.
      const chosen = this.choosePath(item);
      const path = isThenable(chosen) ? await chosen : chosen;
      if (this.cancelled) break;
      if (path !== undefined) {
        const queue = this.pathQueues[path];
        if (!queue.tryPut(item) && !(await queue.put(item))) break;
        this.routed[path]++;
        this.itemsOut++;
      }
      // Items that fail at once yield too: the loop never holds the event loop for long.
      const pause = gate.tick();
      if (pause) await pause;
    }
    this.finish(this.failedWith);
  }

  /** The path the router picks for `item` (a promise from an async router); undefined when it failed (counted and logged). */
  private choosePath(item: unknown): number | undefined | Promise<number | undefined> {
    this.calls++;
    this.inFlight = 1;
    const startedAt = this.shouldTime() ? performance.now() : 0;
    let result: unknown;
    try {
      result = this.call(item, this.opContext);
    } catch (error) {
      return this.failed(item, error, startedAt);
    }
    if (!isThenable(result)) return this.checked(item, result, startedAt);
    return Promise.resolve(result).then(
      (index) => this.checked(item, index, startedAt),
      (error: unknown) => this.failed(item, error, startedAt),
    );
  }

  /** The router answered: its index, if it names a path; otherwise the item fails. */
  private checked(item: unknown, index: unknown, startedAt: number): number | undefined {
    this.settled(startedAt);
    if (this.cancelled) return undefined;
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= this.pathQueues.length) {
      this.recordFailure(item, new RouteIndexError(this.name, describeReturned(index), this.pathQueues.length), 1);
      return undefined;
    }
    this.countCall(false);
    return index;
  }

  private failed(item: unknown, error: unknown, startedAt: number): undefined {
    this.settled(startedAt);
    if (!this.cancelled) this.recordFailure(item, error, 1);
    return undefined;
  }

  private settled(startedAt: number): void {
    this.inFlight = 0;
    if (startedAt !== 0) this.recordTiming(performance.now() - startedAt);
  }
}

function describeReturned(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (value === undefined) return "nothing";
  return `${previewJson(value)} (${value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`})`;
}
