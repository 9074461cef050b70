import { describe, expect, it } from "vitest";
import { concurrencyLevels, profilePipeline } from "./profile.js";
import fc from "fast-check";
import { judgeSaturation, saturationPoint, stillRisingAtEnd, type ProfileLevel } from "./saturation.js";
import { replay, batchSample, unbatchSample, interleave } from "./inputSample.js";
import { chainSpec } from "./testing/specs.js";

const baseDir = process.cwd();
const THREAD_HOLDING = "engine/analysis/testing/threadHolding.mjs";
const level = (concurrency: number, itemsPerSecond: number): ProfileLevel => ({
  concurrency,
  threads: 0,
  itemsPerSecond,
  failures: 0,
  p50Ms: 1,
});

describe("saturation", () => {
  it("is the lowest level within 10% of the best", () => {
    const levels = [level(1, 100), level(2, 190), level(4, 250), level(8, 260), level(16, 262)];
    expect(saturationPoint(levels)?.concurrency).toBe(4);
    expect(stillRisingAtEnd(levels)).toBe(false);
  });
  it("sees a curve still rising at the bound, and nothing measured", () => {
    expect(stillRisingAtEnd([level(1, 100), level(2, 200)])).toBe(true);
    expect(saturationPoint([level(1, 0), level(2, 0)])).toBeNull();
  });
  it("a noisy curve that peaks, dips and comes back is not 'still rising': the point is within the noise of the best", () => {
    // The pool-starved example as once measured: peak at 4–8, a dip at 16, partly back at 32.
    const levels = [level(1, 113), level(2, 160), level(4, 197), level(8, 223), level(16, 185), level(32, 215)];
    const judged = judgeSaturation(levels)!;
    expect(judged.stillRising).toBe(false);
    expect(judged.noise).toBeCloseTo(1 - 185 / 223, 5);
    expect(judged.point.concurrency).toBe(4);
  });
  it("a last level within the noise of an earlier best is not rising; one clearly beyond it is", () => {
    expect(stillRisingAtEnd([level(1, 100), level(2, 200), level(4, 170), level(8, 225)])).toBe(false);
    expect(stillRisingAtEnd([level(1, 100), level(2, 200), level(4, 190), level(8, 400)])).toBe(true);
    expect(saturationPoint([level(1, 100), level(2, 200), level(4, 190), level(8, 400)])?.concurrency).toBe(8);
  });
  it("on any curve, one judgement: still rising means the point is the last level; otherwise the point is near the best", () => {
    const curve = fc.array(fc.double({ min: 1, max: 10_000, noNaN: true }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(curve, (rates) => {
        const levels = rates.map((rate, i) => level(2 ** i, rate));
        const judged = judgeSaturation(levels)!;
        const best = Math.max(...rates);
        if (judged.stillRising) expect(judged.point).toBe(levels.at(-1));
        else expect(judged.point.itemsPerSecond).toBeGreaterThanOrEqual(Math.min(0.9, 1 - judged.noise) * best - 1e-9);
        expect(
          levels
            .slice(0, levels.indexOf(judged.point))
            .every((l) => judged.stillRising || l.itemsPerSecond < Math.min(0.9, 1 - judged.noise) * best),
        ).toBe(true);
      }),
    );
  });
  it("levels are powers of two up to the bound, and the bound", () => {
    expect(concurrencyLevels(32)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(concurrencyLevels(12)).toEqual([1, 2, 4, 8, 12]);
    expect(concurrencyLevels(1)).toEqual([1]);
  });
});

describe("input samples", () => {
  it("replays a sample in a cycle, with a fresh copy of items owning buffers", () => {
    const owned = Buffer.from(new Uint8Array([1, 2, 3]).buffer);
    const items = replay([owned, 7]);
    const first = items.next().value as Buffer;
    expect(Buffer.isBuffer(first)).toBe(true);
    expect(first).not.toBe(owned);
    expect([...first]).toEqual([1, 2, 3]);
    expect(items.next().value).toBe(7);
    expect([...(items.next().value as Buffer)]).toEqual([1, 2, 3]);
  });
  it("batches, unbatches and interleaves like the stages they stand for", () => {
    expect(batchSample([1, 2, 3, 4, 5], 2, false)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batchSample([1, 2, 3, 4, 5], 2, true)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(unbatchSample([[1, 2], [3], 4])).toEqual([1, 2, 3]);
    expect(interleave([[1, 2, 3], ["a"]])).toEqual([1, "a", 2, 3]);
  });
});

describe("profilePipeline", () => {
  it("measures an I/O stage rising with concurrency and a pool stage flat past its threads", async () => {
    const spec = chainSpec({ op: "range", params: { count: 50 } }, [
      { id: "fetch", op: "sleep", params: { ms: 10 } },
      { id: "decode", op: "module", params: { path: THREAD_HOLDING, export: "holdThread", args: { ms: 10 } } },
    ]);
    const steps: string[] = [];
    const result = await profilePipeline(spec, {
      baseDir,
      maxConcurrency: 4,
      stepMs: 400,
      maxThreads: 1,
      onStep: (step) => steps.push(`${step.stage}@${step.concurrency}`),
    });
    expect(steps).toEqual(["fetch@1", "fetch@2", "fetch@4", "decode@1", "decode@2", "decode@4"]);
    const [fetch, decode] = result.stages;
    expect(fetch).toMatchObject({ stage: "fetch", executor: "loop", sampleSize: 50, fileConcurrency: 1 });
    const fetchRates = fetch.levels.map((l) => l.itemsPerSecond);
    // 10 ms sleeps: about 100, 200, 400 items/s (1.4: room for a loaded machine's timer jitter).
    expect(fetchRates[1] / fetchRates[0]).toBeGreaterThan(1.4);
    expect(fetchRates[2] / fetchRates[1]).toBeGreaterThan(1.4);
    expect(fetch.summary).toMatch(/still rising at concurrency 4/);
    // One thread held 10 ms a call: near 100/s whatever the concurrency (a second call in flight
    // only hides the message round trip, small beside 10 ms). Flat means far from the 4× that concurrency 4 would
    // give a stage that scaled. The op waits rather than computes, so a loaded machine cannot
    // lend the thread less CPU in one level than another (with a spinning op: 1.39, once 11.6).
    expect(decode).toMatchObject({ stage: "decode", executor: "pool" });
    expect(decode.saturatesAt).toBeLessThanOrEqual(2);
    const decodeRates = decode.levels.map((l) => l.itemsPerSecond);
    expect(Math.max(...decodeRates) / Math.min(...decodeRates)).toBeLessThan(1.6);
    expect(decode.levels.map((l) => l.threads)).toEqual([1, 1, 1]);
    expect(decode.summary).toMatch(/stops helping past [12]: .*limited by the 1 thread/);
    // fetch's outputs over its sweep (the 50 inputs, replayed) feed decode.
    expect(decode.sampleSize).toBeGreaterThanOrEqual(50);
  });

  it("feeds each stage the outputs of the ones before it, through aggregate stages", async () => {
    const spec = chainSpec({ op: "range", params: { count: 40 } }, [
      { id: "batch", kind: "aggregate", params: { size: 4 } },
      { id: "store", op: "sleep", params: { ms: 1 } },
    ]);
    const result = await profilePipeline(spec, { baseDir, maxConcurrency: 2, stepMs: 200, sampleSize: 100 });
    expect(result.stages.map((stage) => [stage.stage, stage.sampleSize])).toEqual([["store", 10]]);
  });

  it("profiles only the stages asked for and says when no call succeeds", async () => {
    const spec = chainSpec({ op: "range", params: { count: 20 } }, [
      { id: "pass", op: "sleep", params: { ms: 1 } },
      { id: "broken", op: "fail", params: { fraction: 1, message: "bad record" } },
    ]);
    const result = await profilePipeline(spec, { baseDir, maxConcurrency: 2, stepMs: 200, stages: ["broken"] });
    expect(result.stages).toHaveLength(1);
    expect(result.stages[0]).toMatchObject({ stage: "broken", saturatesAt: null, summary: "no call succeeded (first error: bad record)" });
    expect(result.stages[0].levels.every((l) => l.failures > 0 && l.itemsPerSecond === 0)).toBe(true);
    await expect(profilePipeline(spec, { baseDir, stages: ["nope"] })).rejects.toThrow("profile: no stage named 'nope'");
  });

  it("rejects bad bounds and stops promptly when aborted", async () => {
    const spec = chainSpec({ op: "range", params: { count: 20 } }, [{ id: "wait", op: "sleep", params: { ms: 5 } }]);
    await expect(profilePipeline(spec, { baseDir, maxConcurrency: 0 })).rejects.toThrow(
      "maxConcurrency must be an integer from 1 to 1024, got 0",
    );
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 300);
    await expect(profilePipeline(spec, { baseDir, stepMs: 1000, signal: controller.signal })).rejects.toThrow(/abort/i);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it("says what it can when there is nothing to measure", async () => {
    const empty = chainSpec({ op: "range", params: { count: 0 } }, [{ id: "crunch", op: "cpu", params: { ms: 1 } }]);
    const result = await profilePipeline(empty, { baseDir, maxConcurrency: 2, stepMs: 200 });
    expect(result.stages[0]).toMatchObject({
      stage: "crunch",
      executor: "pool",
      levels: [],
      summary: "the source yielded no items to sample",
    });
    const noStages = chainSpec({ op: "range", params: { count: 10 } }, [{ id: "batch", kind: "aggregate", params: { size: 2 } }]);
    expect((await profilePipeline(noStages, { baseDir, stepMs: 200 })).stages).toEqual([]);
    await expect(profilePipeline(noStages, { baseDir, stages: ["batch"] })).rejects.toThrow(
      "profile: 'batch' is an aggregate node; only stages have a concurrency to sweep",
    );
  });
});
