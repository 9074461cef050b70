import { expect, test } from "./fixtures.js";

/** The knobs the inspector offers are ones the run can honour: numThreads well above the machine's core count applies. */
test("numThreads raised to 100 while running applies: the pool panel and the field agree, no error", async ({ studio, page }) => {
  await studio.open();
  await studio.startLongRun();
  await expect(page.getByTestId("pool-panel")).toContainText("of 3 threads busy");

  await studio.setField("num-threads-input", 100);
  await expect(page.getByTestId("pool-panel")).toContainText("of 100 threads busy");
  await expect(page.getByTestId("num-threads-input")).toHaveValue("100");
  await expect(page.getByTestId("knob-note")).toHaveCount(0);
  await expect(page.getByTestId("notice")).toHaveCount(0);
  // With threads to spare, the verdict does not ask for more.
  await expect(page.getByTestId("bottleneck-verdict")).not.toContainText("raise numThreads", { timeout: 3_000 });
});
