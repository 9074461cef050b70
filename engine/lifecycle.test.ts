import { spawn } from "node:child_process";
import { describe, expect, it, vi } from "vitest";
import { ItemTimeoutError, PipelineBuilder, PipelineEndedError, poolTask } from "./index.js";
import { builtModuleUrl } from "./pool/builtModule.js";
import { ConcurrencyProbe, range, sleep } from "./testing/helpers.js";

const ENGINE = builtModuleUrl("./index.js", import.meta.url);
const OPS = builtModuleUrl("./testing/poolOps.js", import.meta.url);

function* naturals() {
  for (let i = 0; ; i++) yield i;
}

describe("running and stopping", () => {
  it("getItem times out with a clear error and loses no item", async () => {
    async function* slowSource() {
      await sleep(60);
      yield "first";
      yield "second";
    }
    const pipeline = new PipelineBuilder()
      .addSource(slowSource())
      .pipe(async (s: string) => s)
      .addSink()
      .build();
    pipeline.start();
    const timedOut = await pipeline.getItem({ timeoutMs: 10 }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(ItemTimeoutError);
    expect((timedOut as Error).message).toBe("No item arrived within 10 ms");
    await sleep(100); // the item arrives while nobody waits: it must still be there
    expect(await pipeline.getItem({ timeoutMs: 1000 })).toBe("first");
    expect(await pipeline.getItem()).toBe("second");
    await expect(pipeline.getItem()).rejects.toBeInstanceOf(PipelineEndedError);
    expect(pipeline.state).toBe("completed");
  });

  it("stop() aborts in-flight calls and resolves promptly", async () => {
    const aborted: string[] = [];
    const probe = new ConcurrencyProbe();
    const pipeline = new PipelineBuilder()
      .addSource(naturals())
      .pipe(
        (x: number, { signal }) =>
          new Promise<number>((resolve, reject) => {
            probe.enter();
            const timer = setTimeout(() => {
              probe.leave();
              resolve(x);
            }, 10_000);
            signal.addEventListener("abort", () => {
              clearTimeout(timer);
              probe.leave();
              aborted.push(String(signal.reason?.name));
              reject(signal.reason);
            });
          }),
        { concurrency: 3, name: "wait" },
      )
      .addSink()
      .build();
    pipeline.start();
    await sleep(30);
    expect(probe.current).toBe(3);
    // With its grace timer frozen, stop() can only resolve because every call let go of it.
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      await pipeline.stop();
    } finally {
      vi.useRealTimers();
    }
    expect(probe.current).toBe(0);
    expect(aborted).toEqual(["AbortError", "AbortError", "AbortError"]);
    expect(pipeline.state).toBe("stopped");
    expect(pipeline.failures()).toEqual([]); // calls aborted by stop are not failures
    await expect(pipeline.getItem()).rejects.toThrow("The pipeline was stopped");
  });

  it("breaking out of for-await stops the pipeline", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(naturals())
      .pipe(async (x: number) => x, { concurrency: 4 })
      .addSink()
      .build();
    let seen = 0;
    for await (const _ of pipeline) if (++seen === 100) break;
    expect(pipeline.state).toBe("stopped");
    expect(pipeline.stats().stages.every((stage) => stage.state !== "running")).toBe(true);
  });

  it("after stop nothing keeps the process alive: no worker, timer or pending promise", async () => {
    const script = `
      import { PipelineBuilder, poolTask } from ${JSON.stringify(ENGINE)};
      const ops = ${JSON.stringify(OPS)};
      function* naturals() { for (let i = 0; ; i++) yield i; }
      const pipeline = new PipelineBuilder()
        .addSource(naturals())
        .pipe((x, { signal }) => new Promise((resolve) => { const t = setTimeout(() => resolve(x), 1); signal.addEventListener("abort", () => clearTimeout(t)); }), { concurrency: 4 })
        .pipe(poolTask(ops, "spin", { ms: 2 }), { concurrency: 4 })
        .pipe(async (x) => x, { timeoutMs: 60_000, retries: 2 })
        .addSink(3)
        .build({ numThreads: 2, onStats: () => {}, statsIntervalMs: 50 });
      let n = 0;
      for await (const _ of pipeline) if (++n === 50) break;
      console.log("stopped after", n, pipeline.state);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const started = performance.now();
    const code = await new Promise<number | null>((resolve) => {
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.on("exit", (exitCode) => {
        clearTimeout(killer);
        resolve(exitCode);
      });
    });
    expect(output).toContain("stopped after 50 stopped");
    expect(code).toBe(0);
    expect(performance.now() - started).toBeLessThan(8_000);
  });

  it("a pipeline left to complete releases everything without stop()", async () => {
    const script = `
      import { PipelineBuilder, poolTask } from ${JSON.stringify(ENGINE)};
      const pipeline = new PipelineBuilder().addSource([1, 2, 3]).pipe(poolTask(${JSON.stringify(OPS)}, "identity")).addSink().build({ numThreads: 2 });
      const items = [];
      try { for (;;) items.push(await pipeline.getItem()); } catch (e) { console.log(e.name, items.join(",")); }
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => {
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.on("exit", (exitCode) => {
        clearTimeout(killer);
        resolve(exitCode);
      });
    });
    expect(output.trim()).toBe("PipelineEndedError 1,2,3");
    expect(code).toBe(0);
  });

  // Measured in items, not milliseconds: a loaded machine delays timers by descheduling the
  // process, which slows the run as much as the timer, so counts stay meaningful where gaps do not.
  it("keeps the event loop live: a 10 Hz timer keeps firing through a 1M-item run of instant ops, and a stop from a timer lands within a few items", async () => {
    const RUN = 1_000_000;
    const noop = async (x: number) => x;
    const pipeline = new PipelineBuilder().addSource(naturals()).pipe(noop).pipe(noop).pipe(noop).addSink().build();
    let delivered = 0;
    const deliveredAtTicks: number[] = [0];
    const timer = setInterval(() => deliveredAtTicks.push(delivered), 100);
    for await (const _ of pipeline) if (++delivered === RUN) break;
    clearInterval(timer);
    deliveredAtTicks.push(RUN);
    const between = deliveredAtTicks.slice(1).map((count, i) => count - deliveredAtTicks[i]);
    // An engine that never yields runs all 1M items before the first tick.
    expect(deliveredAtTicks.length - 2, "ticks during the run").toBeGreaterThanOrEqual(3);
    expect(Math.max(...between), `items between ticks: ${between.join(", ")}`).toBeLessThan(RUN / 4);

    // Stop requested from a timer, as the UI's Stop button would.
    const second = new PipelineBuilder().addSource(naturals()).pipe(noop).pipe(noop).pipe(noop).addSink().build();
    let beforeStop = 0;
    let afterStop = 0;
    let stopping: Promise<void> | undefined;
    setTimeout(() => (stopping = second.stop()), 200);
    for await (const _ of second) {
      if (stopping) afterStop++;
      else beforeStop++;
    }
    expect(stopping, "the stop timer fired").toBeDefined();
    await stopping;
    expect(beforeStop, "the stop timer was not starved").toBeLessThan(RUN);
    expect(afterStop).toBeLessThan(10);
    expect(second.state).toBe("stopped");
  });

  it("start() runs a pipeline once", async () => {
    const pipeline = new PipelineBuilder()
      .addSource([1])
      .pipe(async (x: number) => x)
      .addSink()
      .build();
    pipeline.start();
    pipeline.start();
    expect(await pipeline.getItem()).toBe(1);
    await pipeline.stop();
    expect(() => pipeline.start()).toThrow("a pipeline runs once");
  });
});

describe("stage kinds", () => {
  it("aggregate groups items, keeping or dropping the short last batch", async () => {
    const kept = new PipelineBuilder().addSource(range(7)).aggregate(3).addSink().build();
    expect(await all(kept)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    const dropped = new PipelineBuilder().addSource(range(7)).aggregate(3, { dropLast: true }).addSink().build();
    expect(await all(dropped)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it("disaggregate undoes aggregate; a non-iterable item is a failure", async () => {
    const roundTrip = new PipelineBuilder().addSource(range(7)).aggregate(3).disaggregate().addSink().build();
    expect(await all(roundTrip)).toEqual(range(7));
    const bad = new PipelineBuilder()
      .addSource<unknown>([[1, 2], 5, [3]])
      .disaggregate()
      .addSink()
      .build();
    expect(await all(bad)).toEqual([1, 2, 3]);
    expect(bad.failures()[0].error.message).toBe("disaggregate expects an iterable (such as an array), got number");
  });

  it("an async generator op emits each yield at once", async () => {
    const events: string[] = [];
    let firstReceived!: () => void;
    const received = new Promise<void>((resolve) => (firstReceived = resolve));
    async function* explode(n: number) {
      yield `${n}.0`;
      // Held here until the consumer has the first value: an engine that waited for the
      // generator to finish would never deliver it, and the race below would say so.
      events.push(
        await Promise.race([received.then(() => "generator resumed after delivery"), sleep(5_000).then(() => "never delivered")]),
      );
      for (let i = 1; i < n; i++) yield `${n}.${i}`;
    }
    const pipeline = new PipelineBuilder().addSource([3]).pipe(explode).addSink(10).build();
    for await (const item of pipeline) {
      events.push(`got ${item}`);
      firstReceived();
    }
    expect(events).toEqual(["got 3.0", "generator resumed after delivery", "got 3.1", "got 3.2"]);
  });

  it("async generators in input order keep each input's outputs together and in order", async () => {
    async function* explode(n: number) {
      await sleep((5 - n) * 5);
      for (let i = 0; i < n; i++) yield `${n}.${i}`;
    }
    const pipeline = new PipelineBuilder()
      .addSource([1, 2, 3, 4])
      .pipe(explode, { concurrency: 4, outputOrder: "input" })
      .addSink()
      .build();
    expect(await all(pipeline)).toEqual(["1.0", "2.0", "2.1", "3.0", "3.1", "3.2", "4.0", "4.1", "4.2", "4.3"]);
  });

  it("returning undefined drops an item without counting a failure", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(6))
      .pipe(async (x: number) => (x % 2 ? x : undefined))
      .addSink()
      .build();
    expect(await all(pipeline)).toEqual([1, 3, 5]);
    expect(pipeline.stats().stages[1]).toMatchObject({ dropped: 3, failures: 0, itemsOut: 3 });
  });

  it("merge fans several branches into one stream in arrival order", async () => {
    const { merge } = await import("./index.js");
    const slow = new PipelineBuilder().addSource(["a1", "a2"]).pipe(async function tagA(s: string) {
      await sleep(30);
      return s;
    });
    const fast = new PipelineBuilder().addSource(["b1", "b2", "b3"]).pipe(async function tagB(s: string) {
      await sleep(1);
      return s;
    });
    const pipeline = merge(slow, fast)
      .pipe(async (s: string) => s.toUpperCase(), { name: "upper" })
      .addSink(5)
      .build();
    const items = await all(pipeline);
    expect(items).toEqual(["B1", "B2", "B3", "A1", "A2"]);
    expect(pipeline.stageNames).toEqual(["source", "tagA", "source-2", "tagB", "upper"]);
    expect(pipeline.stats().queues.map((queue) => queue.name)).toEqual(["source→tagA", "source-2→tagB", "tagA+tagB→upper", "upper→sink"]);
  });

  it("a plain synchronous op runs inline and is flagged as blocking the event loop", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(3))
      .pipe(function square(x: number) {
        return x * x;
      })
      .addSink()
      .build();
    expect(await all(pipeline)).toEqual([0, 1, 4]);
    expect(pipeline.stats().stages[1]).toMatchObject({ executor: "loop", blocksEventLoop: true });
  });

  it("pool tasks and loop ops mix in one pipeline", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(20))
      .pipe(async (x: number) => x + 1, { concurrency: 4, outputOrder: "input" })
      .pipe(poolTask<number, number>(OPS, "spin", { ms: 1 }), { concurrency: 2, outputOrder: "input" })
      .addSink(3)
      .build({ numThreads: 2 });
    expect(await all(pipeline)).toEqual(range(20).map((x) => x + 1));
  });
});

async function all<T>(pipeline: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of pipeline) items.push(item);
  return items;
}
