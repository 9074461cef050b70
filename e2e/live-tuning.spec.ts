import { expect, test } from "./fixtures.js";

async function throughput(page: import("@playwright/test").Page, stage: string): Promise<number> {
  return Number(await page.getByTestId(`throughput-${stage}`).getAttribute("data-value"));
}

test("dropping a stage's concurrency to 1 while running makes its throughput fall", async ({ studio, page }, testInfo) => {
  await studio.open();
  await studio.selectNode("urls");
  await studio.setField("param-count", 3000);
  // download sleeps ~60 ms a call: 4 calls at once give ~65 items/s, far below what preprocess (8 ms of CPU,
  // 2 at once) passes even on a loaded machine, so download stays the stage that sets the pace; timers, not
  // the CPU, set its rate, and one call at once cannot pass more than ~16 items/s.
  await studio.selectNode("download");
  await studio.setField("param-ms", 60);
  await studio.runButton.click();
  await expect(studio.runState).toHaveText("running");

  // Once the sliding window fills, download runs well above what one call at a time could pass.
  await expect.poll(() => throughput(page, "download"), { timeout: 15_000 }).toBeGreaterThan(40);
  await page.waitForTimeout(1000);
  const before = await throughput(page, "download");
  await page.screenshot({ path: testInfo.outputPath("tuning-before.png") });

  await studio.selectNode("download");
  await studio.setField("concurrency-input", 1);
  await expect(page.locator('[data-testid="slots-download"] .slot')).toHaveCount(1);
  await expect.poll(() => throughput(page, "download"), { timeout: 10_000 }).toBeLessThan(before * 0.5);
  await expect(studio.litSlots("download")).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath("tuning-after.png") });
  await page.screenshot({ path: "test-results/screenshots/tuning-after-concurrency-1.png" });

  // The pool knob applies live too: the thread-pool panel follows.
  await expect(page.getByTestId("pool-panel")).toContainText("of 3 threads busy");
  await studio.clearSelection();
  await studio.setField("num-threads-input", 1);
  await expect(page.getByTestId("pool-panel")).toContainText("of 1 threads busy");
  await expect(page.getByTestId("pool-busy")).toHaveText(/^[01]$/);

  await studio.stopButton.click();
  await expect(studio.runButton).toBeEnabled();
  await expect(studio.runState).toHaveText("stopped");
  expect(Number(await studio.delivered.textContent())).toBeLessThan(3000);
});
