import { measurePageFrames, summariseFrames } from "../bench/uiMeasure.js";
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
