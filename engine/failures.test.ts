import { describe, expect, it } from "vitest";
import { PipelineBuilder, PipelineError, StageTimeoutError } from "./index.js";
import { range, sleep } from "./testing/helpers.js";

function* naturals(pulled: { count: number }) {
  for (let i = 0; ; i++) {
    pulled.count++;
    yield i;
  }
}

describe("failures", () => {
  it("past maxFailures: upstream stops, items already past the stage arrive, then the read rejects naming the stage", async () => {
    const pulled = { count: 0 };
    async function flaky(x: number) {
      if (x >= 20) throw new Error(`cannot handle ${x}`);
      return x;
    }
    async function slowTail(x: number) {
      await sleep(2);
      return x;
    }
    const pipeline = new PipelineBuilder().addSource(naturals(pulled)).pipe(flaky, { maxFailures: 2 }).pipe(slowTail).addSink(2).build();
    const delivered: number[] = [];
    let caught: unknown;
    try {
      for await (const item of pipeline) delivered.push(item);
    } catch (error) {
      caught = error;
    }
    expect(delivered).toEqual(range(20));
    expect(caught).toBeInstanceOf(PipelineError);
    const error = caught as PipelineError;
    expect(error.stage).toBe("flaky");
    expect(error.failures).toBe(3);
    expect(error.message).toMatch(
      /^Stage 'flaky' failed 3 times \(more than 2 allowed by its own maxFailures\); last causes: Error: cannot handle 2\d/,
    );
    expect(error.causes.map((cause) => cause.itemPreview)).toEqual(["20", "21", "22"]);
    // The infinite source was cancelled: it stopped soon after the failure.
    const pulledAtFailure = pulled.count;
    await sleep(20);
    expect(pulled.count).toBe(pulledAtFailure);
    expect(pulled.count).toBeLessThan(40);
    expect(pipeline.state).toBe("failed");
  });

  it("rejects promptly, not only when the pipeline is stopped", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(naturals({ count: 0 }))
      .pipe(
        async () => {
          throw new Error("always");
        },
        { name: "broken", maxFailures: 0 },
      )
      .addSink()
      .build();
    const started = performance.now();
    await expect(pipeline.getItem()).rejects.toThrow("Stage 'broken' failed 1 times");
    expect(performance.now() - started).toBeLessThan(1000);
    await pipeline.stop();
  });

  it("build({ maxFailures }) is the default for every stage; a stage option overrides it", async () => {
    const failEven = async (x: number) => {
      if (x % 2 === 0) throw new Error("even");
      return x;
    };
    const strict = new PipelineBuilder().addSource(range(10)).pipe(failEven).addSink().build({ maxFailures: 1 });
    await expect(drain(strict)).rejects.toBeInstanceOf(PipelineError);
    const lenient = new PipelineBuilder().addSource(range(10)).pipe(failEven, { maxFailures: 10 }).addSink().build({ maxFailures: 1 });
    expect(await drain(lenient)).toEqual([1, 3, 5, 7, 9]);
  });

  it("a fractional maxFailures is checked after 100 calls", async () => {
    const failOneInThree = async (x: number) => {
      if (x % 3 === 0) throw new Error("third");
      return x;
    };
    // 34% of calls fail: within 0.5, past 0.25 — but only judged from the 100th call on.
    expect(
      await drain(new PipelineBuilder().addSource(range(300)).pipe(failOneInThree, { maxFailures: 0.5 }).addSink().build()),
    ).toHaveLength(200);
    const strict = new PipelineBuilder().addSource(range(300)).pipe(failOneInThree, { maxFailures: 0.25 }).addSink().build();
    const error = await drain(strict).catch((e: PipelineError) => e);
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as PipelineError).message).toContain("more than 25.0% of calls allowed");
    expect(strict.stats().stages[1].itemsIn).toBeGreaterThanOrEqual(100);
    expect(strict.stats().stages[1].itemsIn).toBeLessThan(110);
  });

  it("a source that throws fails the pipeline naming the source", async () => {
    async function* numbers() {
      yield 1;
      yield 2;
      throw new Error("disk gone");
    }
    const pipeline = new PipelineBuilder()
      .addSource(numbers(), { name: "files" })
      .pipe(async (x: number) => x)
      .addSink()
      .build();
    const delivered: number[] = [];
    const error = await (async () => {
      for await (const item of pipeline) delivered.push(item);
    })().catch((e: unknown) => e);
    expect(delivered).toEqual([1, 2]);
    expect((error as PipelineError).stage).toBe("files");
    expect((error as PipelineError).message).toContain("disk gone");
  });

  it("keeps a bounded log of failed items with stage, error and a short preview", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(300).map((i) => ({ id: i, payload: "x".repeat(500) })))
      .pipe(async function reject() {
        throw new TypeError("bad record");
      })
      .addSink()
      .build({ failureLogSize: 50 });
    expect(await drain(pipeline)).toEqual([]);
    const failures = pipeline.failures();
    expect(failures).toHaveLength(50);
    expect(pipeline.stats().failures).toBe(300);
    expect(failures[49].itemPreview.startsWith("{ id: 299, payload: 'xxx")).toBe(true);
    expect(failures[49].itemPreview.length).toBeLessThanOrEqual(120);
    expect(failures[0]).toMatchObject({ stage: "reject", attempts: 1 });
    expect(failures[0].error).toBeInstanceOf(TypeError);
  });

  it("retries a failing call with backoff before counting a failure", async () => {
    const attempts = new Map<number, number>();
    const flaky = async (x: number) => {
      const n = (attempts.get(x) ?? 0) + 1;
      attempts.set(x, n);
      if (n < 3) throw new Error(`attempt ${n}`);
      return x;
    };
    const pipeline = new PipelineBuilder()
      .addSource(range(5))
      .pipe(flaky, { retries: 2, retryDelayMs: 1, concurrency: 5 })
      .addSink()
      .build();
    expect((await drain(pipeline)).sort()).toEqual(range(5));
    expect(pipeline.stats().stages[1]).toMatchObject({ failures: 0, retries: 10 });
    const exhausted = new PipelineBuilder()
      .addSource([1])
      .pipe(async () => Promise.reject(new Error("never")), { retries: 1, retryDelayMs: 1 })
      .addSink()
      .build();
    expect(await drain(exhausted)).toEqual([]);
    expect(exhausted.failures()[0].attempts).toBe(2);
  });

  it("times out a slow call, aborting its signal", async () => {
    const aborted: unknown[] = [];
    const slow = (x: number, { signal }: { signal: AbortSignal }) =>
      new Promise<number>((resolve) => {
        const timer = setTimeout(() => resolve(x), x === 1 ? 5_000 : 1);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          aborted.push(signal.reason);
        });
      });
    const pipeline = new PipelineBuilder().addSource([0, 1, 2]).pipe(slow, { timeoutMs: 50, concurrency: 3 }).addSink().build();
    const started = performance.now();
    expect((await drain(pipeline)).sort()).toEqual([0, 2]);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(pipeline.failures()[0].error).toBeInstanceOf(StageTimeoutError);
    expect(aborted[0]).toBeInstanceOf(StageTimeoutError);
  });
});

async function drain<T>(pipeline: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of pipeline) items.push(item);
  return items;
}
