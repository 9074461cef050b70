import { expect, test } from "./fixtures.js";

test("build the seed pipeline from an empty canvas by drag and drop, then run it", async ({ studio, page }, testInfo) => {
  await studio.open();
  await studio.newPipeline();
  await expect(page.getByTestId("run-blocker")).toContainText("empty");

  // The palette's search narrows the ops.
  await page.getByTestId("palette-search").fill("cp");
  await expect(page.getByTestId("palette-cpu")).toBeVisible();
  await expect(page.getByTestId("palette-sleep")).toHaveCount(0);
  await page.getByTestId("palette-search").fill("");

  await studio.dragOp("range", 90, 220);
  await studio.dragOp("sleep", 330, 220);
  await studio.dragOp("cpu", 580, 220);
  await studio.dragOp("sink", 820, 220);
  for (const id of ["range", "sleep", "cpu", "sink"]) await expect(studio.node(id)).toBeVisible();

  await studio.connect("range", "sleep");
  await studio.connect("sleep", "cpu");
  await studio.connect("cpu", "sink");

  await studio.selectNode("range");
  await studio.setField("param-count", 300);
  await studio.selectNode("sleep");
  await studio.setField("param-ms", 50);
  await studio.setField("concurrency-input", 4);
  await expect(page.locator('[data-testid="slots-sleep"] .slot')).toHaveCount(4);
  await studio.selectNode("cpu");
  await studio.setField("concurrency-input", 2);
  await expect(page.locator('[data-testid="slots-cpu"] .slot')).toHaveCount(2);
  await studio.clearSelection();
  await studio.setField("num-threads-input", 3);
  await expect(page.getByTestId("dirty-dot")).toBeVisible();

  await expect(studio.runButton).toBeEnabled();
  await studio.runButton.click();
  await expect(studio.litSlots("sleep")).toHaveCount(4);
  await expect(page.locator('[data-testid="slots-sleep"] .slot--running')).toHaveCount(4);
  await page.screenshot({ path: testInfo.outputPath("built-pipeline-running.png") });
  await page.screenshot({ path: "test-results/screenshots/built-pipeline-running.png" });
  await expect(page.getByTestId("pool-panel")).toContainText("of 3 threads busy");
  await expect(studio.delivered).toHaveText("300", { timeout: 20_000 });
  await expect(studio.runState).toHaveText("completed");
});
