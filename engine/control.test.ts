import { describe, expect, it } from "vitest";
import { PipelineBuilder } from "./index.js";
import { range, sleep } from "./testing/helpers.js";

function* naturals() {
  for (let i = 0; ; i++) yield i;
}

async function* slowNaturals() {
  for (let i = 0; ; i++) {
    await sleep(1);
    yield i;
  }
}

describe("pause, resume, drain and peek", () => {
  it.each([
    ["a sync source", naturals],
    ["an async source", slowNaturals],
  ])("pause holds %s; resume lets it go on", async (_name, source) => {
    const pipeline = new PipelineBuilder()
      .addSource(source())
      .pipe(async (x: number) => x, { name: "pass" })
      .addSink()
      .build();
    const seen: number[] = [];
    seen.push(await pipeline.getItem());
    pipeline.pause();
    expect(pipeline.stats().paused).toBe(true);
    // What was already inside still arrives; then nothing more.
    const drainedWhilePaused: number[] = [];
    for (;;) {
      try {
        drainedWhilePaused.push(await pipeline.getItem({ timeoutMs: 50 }));
      } catch {
        break;
      }
    }
    expect(drainedWhilePaused.length).toBeLessThanOrEqual(8);
    const pulled = pipeline.stats().stages[0].itemsOut;
    await sleep(30);
    expect(pipeline.stats().stages[0].itemsOut).toBe(pulled);
    pipeline.resume();
    const next = await pipeline.getItem({ timeoutMs: 1000 });
    expect(next).toBe(1 + drainedWhilePaused.length);
    await pipeline.stop();
  });

  it("drain stops taking source items and completes after what is inside is delivered", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(naturals())
      .pipe(
        async (x: number) => {
          await sleep(2);
          return x;
        },
        { concurrency: 3 },
      )
      .addSink()
      .build();
    const items: number[] = [];
    for await (const item of pipeline) {
      items.push(item);
      if (items.length === 10) pipeline.drain();
    }
    expect(pipeline.state).toBe("completed");
    expect(items.length).toBeGreaterThanOrEqual(10);
    expect(items.length).toBeLessThan(20);
    expect(new Set(items).size).toBe(items.length);
    expect(pipeline.stats().draining).toBe(true);
  });

  it("drain while paused completes too", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(1000))
      .pipe(async (x: number) => x)
      .addSink()
      .build();
    await pipeline.getItem();
    pipeline.pause();
    pipeline.drain();
    const rest: number[] = [];
    for await (const item of pipeline) rest.push(item);
    expect(rest.length).toBeLessThan(10);
    expect(pipeline.state).toBe("completed");
  });

  it("peek shows the last items that passed a queue", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(20).map((i) => ({ id: i })))
      .pipe(async function tag(item: { id: number }) {
        return { ...item, tagged: true };
      })
      .addSink()
      .build({ recentItemsPerQueue: 3 });
    for await (const _ of pipeline) {
      // consume everything
    }
    expect(pipeline.peek("source→tag")).toEqual(["{ id: 17 }", "{ id: 18 }", "{ id: 19 }"]);
    expect(pipeline.peek("tag→sink")).toEqual(["{ id: 17, tagged: true }", "{ id: 18, tagged: true }", "{ id: 19, tagged: true }"]);
    expect(() => pipeline.peek("nope")).toThrow("peek: no queue named 'nope' (queues: source→tag, tag→sink)");
  });
});
