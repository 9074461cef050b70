import { expect, test } from "./fixtures.js";

/** Demo mode: a run that lasts as long as the audience watches, with each knob change marked on the charts. */

test("Repeat sources: the seed example runs on past its 200 items until Drain; the toggle is not saved in the file", async ({
  studio,
  page,
}) => {
  await studio.open();
  await page.getByTestId("repeat-sources").check();
  await expect(page.getByTestId("dirty-dot")).toHaveCount(0);
  await studio.runButton.click();
  await expect(studio.runState).toHaveText("running");
  await expect(page.getByTestId("repeating")).toHaveText("sources repeat");
  await expect(page.getByTestId("repeat-sources")).toBeDisabled();
  // The source has 200 items: the run goes well past them.
  await expect.poll(async () => Number(await studio.delivered.textContent()), { timeout: 30_000 }).toBeGreaterThan(450);
  await expect(studio.runState).toHaveText("running");

  await page.getByRole("button", { name: "Drain" }).click();
  await expect(studio.runButton).toBeEnabled({ timeout: 20_000 });
  await expect(studio.runState).toHaveText("completed");
  await expect(page.getByTestId("repeating")).toHaveCount(0);

  // Off again, the same file ends by itself after its 200 items.
  await page.getByTestId("repeat-sources").uncheck();
  await studio.runButton.click();
  await expect(studio.runState).toHaveText("completed", { timeout: 20_000 });
  await expect(studio.delivered).toHaveText("200");
});

test("a knob turned during a demo run is marked on the charts (what changed, from → to), and the history before it stays", async ({
  studio,
  page,
}) => {
  await studio.open();
  await page.getByTestId("repeat-sources").check();
  await studio.runButton.click();
  await expect(studio.runState).toHaveText("running");
  await expect.poll(async () => Number(await studio.delivered.textContent())).toBeGreaterThan(100);

  await studio.selectNode("download");
  await studio.setField("concurrency-input", 6);
  const throughput = page.getByTestId("chart-throughput");
  await expect(throughput.getByTestId("knob-marker")).toHaveCount(1);
  await expect(throughput.getByTestId("knob-marker")).toHaveText("download concurrency 4 → 6");
  // Every chart marks the change; the others without a label.
  await expect(page.getByTestId("chart-queues").getByTestId("knob-marker")).toHaveCount(1);
  // The chart still starts at the run's start: the history before the change is kept.
  const plot = throughput.locator(".uplot");
  expect(Number(await plot.getAttribute("data-first-seconds"))).toBeLessThan(1);

  await studio.setField("concurrency-input", 2);
  await expect(throughput.getByTestId("knob-marker")).toHaveCount(2);
  await expect(throughput.getByTestId("knob-marker").nth(1)).toHaveText("download concurrency 6 → 2");
});
