import { mainThreadLoad, measurePageFrames, pageMetrics, summariseFrames } from "../bench/uiMeasure.js";
import { expect, test } from "./fixtures.js";

// The UI benchmark's in-page measurement (npm run bench -- --only ui), checked on the seed graph:
// it counts frames and reads long tasks; no figure here is a speed assertion.
test("the UI benchmark's measuring function counts frames and long tasks on a small graph", async ({ studio, page }) => {
  await studio.open();
  const measured = await page.evaluate(measurePageFrames, 500);
  expect(measured.elapsedMs).toBeGreaterThanOrEqual(500);
  expect(measured.frames).toBeGreaterThan(0);
  expect(Array.isArray(measured.longTasks)).toBe(true);
  // A task made long on purpose is seen, with its length.
  const withLongTask = await page.evaluate(async (measure) => {
    // The measuring function travels as source, as page.evaluate sends it.
    const run = new Function(`return (${measure})`)() as (ms: number) => Promise<{ longTasks: number[] }>;
    const result = run(400);
    setTimeout(() => {
      const until = performance.now() + 120;
      while (performance.now() < until);
    }, 50);
    return result;
  }, measurePageFrames.toString());
  const summary = summariseFrames({ frames: 1, elapsedMs: 1000, longTasks: withLongTask.longTasks });
  expect(summary.longTaskCount).toBeGreaterThanOrEqual(1);
  expect(summary.longTaskMaxMs).toBeGreaterThanOrEqual(100);
});

// The main thread's CPU and its tasks' wall time, as the benchmark reads them (CDP page metrics).
test("the UI benchmark's main-thread figures read Chromium's page metrics: a busy task counts as CPU", async ({ studio, page }) => {
  await studio.open();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable", { timeDomain: "timeTicks" });
  const before = await pageMetrics(cdp);
  await page.evaluate(() => {
    const until = performance.now() + 200;
    while (performance.now() < until);
  });
  const after = await pageMetrics(cdp);
  const load = mainThreadLoad(before, after);
  // 200 ms of work in a window of a little more: a good share of each second, whatever the load.
  expect(load.cpuMsPerSecond).toBeGreaterThan(50);
  expect(load.cpuMsPerSecond).toBeLessThanOrEqual(1000);
  // A task lasts at least the CPU it takes.
  expect(load.wallPerCpu).toBeGreaterThanOrEqual(0.95);
});
