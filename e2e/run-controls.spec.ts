import { expect, test } from "./fixtures.js";

test("a failing stage: the final error names it, the failures log is browsable", async ({ studio, page }, testInfo) => {
  await studio.open();
  await page.getByRole("button", { name: "Open" }).click();
  await page.getByTestId("example-failing-stage").click();
  await expect(studio.node("flaky")).toBeVisible();
  // Slow the stage after it, so the run lasts long enough to watch.
  await studio.selectNode("work");
  await studio.setField("param-ms", 100);
  await studio.clearSelection();
  await studio.runButton.click();
  await expect(page.getByTestId("final-error")).toContainText("flaky", { timeout: 20_000 });
  await expect(studio.runState).toHaveText("failed");
  await expect(page.getByTestId("failed-flaky")).toBeVisible();
  await expect(page.getByTestId("failures-panel").locator(".failure-list li").first()).toContainText("simulated failure");
  await page.screenshot({ path: testInfo.outputPath("failed-stage.png") });
});

test("pause holds the source, resume continues, peek shows items, drain finishes what is inside", async ({ studio, page }) => {
  await studio.open();
  await studio.selectNode("urls");
  await studio.setField("param-count", 5000);
  await studio.clearSelection();
  await studio.runButton.click();
  await expect.poll(async () => Number(await studio.delivered.textContent())).toBeGreaterThan(50);

  // Peek at a queue while running.
  await studio.queue("download", "preprocess").click();
  await expect(page.getByTestId("peek-panel")).toContainText("download → preprocess");
  await expect(page.getByTestId("peek-panel").locator(".peek-items li").first()).toBeVisible();

  await page.getByRole("button", { name: "Pause" }).click();
  await expect(studio.runState).toHaveText("paused");
  await page.waitForTimeout(500);
  const held = Number(await studio.delivered.textContent());
  await page.waitForTimeout(700);
  expect(Number(await studio.delivered.textContent())).toBe(held);

  await page.getByRole("button", { name: "Resume" }).click();
  await expect.poll(async () => Number(await studio.delivered.textContent())).toBeGreaterThan(held);

  await page.getByRole("button", { name: "Drain" }).click();
  await expect(studio.runButton).toBeEnabled({ timeout: 20_000 });
  expect(Number(await studio.delivered.textContent())).toBeLessThan(5000);
});
