import { expect, sample, test } from "./fixtures.js";

test("the seed example opens, runs live, and delivers every item", async ({ studio, page }, testInfo) => {
  await studio.open();
  for (const id of ["urls", "download", "preprocess", "sink"]) await expect(studio.node(id)).toBeVisible();
  await expect(page.locator('[data-testid="slots-download"] .slot')).toHaveCount(4);
  await expect(page.locator('[data-testid="slots-download"] .slot').first()).toHaveText("download 1");
  await expect(page.locator('[data-testid="slots-preprocess"] .slot')).toHaveCount(2);
  await expect(studio.queue("download", "preprocess")).toBeVisible();

  await expect(studio.litSlots("download")).toHaveCount(0);
  await expect(studio.queue("urls", "download")).toHaveAttribute("data-depth", "0");
  await studio.runButton.click();
  await expect(studio.runState).toHaveText(/running|completed/);

  // While running: lit slots and queue counts change as the 10 Hz snapshots arrive.
  let screenshotTaken = false;
  const seen = await sample(async () => {
    const lit = await studio.litSlots("download").count();
    const depth = await studio.queue("download", "preprocess").getAttribute("data-depth");
    const depthIn = await studio.queue("urls", "download").getAttribute("data-depth");
    const depthOut = await studio.queue("preprocess", "sink").getAttribute("data-depth");
    if (!screenshotTaken && lit >= 3) {
      screenshotTaken = true;
      await page.screenshot({ path: testInfo.outputPath("running-flowchart.png") });
      await page.screenshot({ path: "test-results/screenshots/running-flowchart.png" });
    }
    return { lit, depth: `${depthIn}|${depth}|${depthOut}` };
  }, 900);
  expect(Math.max(...seen.map((s) => s.lit))).toBeGreaterThanOrEqual(2);
  // Queue counts move off their idle zero (the queue into the bottleneck fills up).
  expect(seen.some((s) => s.depth !== "0|0|0")).toBe(true);
  await expect(page.locator('[data-colour="red"], [data-colour="amber"], [data-colour="green"]').first()).toBeVisible();

  await expect(studio.delivered).toHaveText("200", { timeout: 20_000 });
  await expect(studio.runState).toHaveText("completed");
  // Done: every slot is dark again, every queue empty.
  await expect(studio.litSlots("download")).toHaveCount(0);
  await expect(studio.queue("download", "preprocess")).toHaveAttribute("data-depth", "0");
  await expect(page.getByTestId("throughput-download")).toBeVisible();
  // The bottleneck finder named a stage: the status bar explains it and the graph marks it.
  const verdict = page.getByTestId("bottleneck-verdict");
  await expect(verdict).toHaveText(/^Bottleneck: (download|preprocess) — .+ — raise (concurrency or numThreads|numThreads)$/);
  const named = /^Bottleneck: (\w+)/.exec((await verdict.textContent()) ?? "")![1];
  await expect(page.getByTestId(`bottleneck-${named}`)).toBeVisible();
  await expect(page.locator(".bottleneck-label")).toHaveCount(1);
});
