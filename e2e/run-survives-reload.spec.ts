import { expect, test } from "./fixtures.js";

/** The host owns the run: a page that connects mid-run (a reload, a second window) shows it and can stop it. */
test("reload during a run: the page shows the run (its graph, figures, charts) and Stop works from it", async ({ studio, page }) => {
  await studio.open();
  await studio.startLongRun();
  // Two seconds or more into the run (download's four slots at ~20 ms deliver ~190 items/s).
  await expect.poll(async () => Number(await studio.delivered.textContent())).toBeGreaterThan(400);

  await page.reload();
  await expect(page.getByTestId("connection")).toHaveText("connected");
  await expect(studio.runState).toHaveText("running");
  await expect(studio.stopButton).toBeEnabled();
  await expect(studio.runButton).toBeDisabled();
  // The graph that runs: its source still says 100000, not the seed example's 200.
  await studio.selectNode("urls");
  await expect(page.getByTestId("param-count")).toHaveValue("100000");
  // The figures go on from where the run is, and the charts hold what came before the reload.
  await expect.poll(async () => Number(await studio.delivered.textContent())).toBeGreaterThan(400);
  const firstPoint = page.getByTestId("chart-throughput").locator(".uplot");
  await expect(firstPoint).toHaveAttribute("data-first-seconds", /\d/);
  expect(Number(await firstPoint.getAttribute("data-first-seconds"))).toBeLessThan(1);

  await studio.stopButton.click();
  await expect(studio.runState).toHaveText("stopped");
  await expect(studio.runButton).toBeEnabled();
});

test("a second window sees the run another started, and either can stop it", async ({ studio, page, context }) => {
  await studio.open();
  await studio.selectNode("urls");
  await studio.setField("param-count", 100_000);
  await studio.clearSelection();

  const second = await context.newPage();
  await second.goto(page.url());
  await expect(second.getByTestId("connection")).toHaveText("connected");
  await expect(second.getByTestId("run-state")).toHaveText("ready");

  await studio.runButton.click();
  await expect(studio.runState).toHaveText("running");
  await expect(second.getByTestId("run-state")).toHaveText("running");
  await expect(second.getByRole("button", { name: "■ Stop" })).toBeEnabled();
  await second.getByRole("button", { name: "Pause" }).click();
  await expect(studio.runState).toHaveText("paused");
  await second.getByRole("button", { name: "■ Stop" }).click();
  await expect(studio.runState).toHaveText("stopped");
  await expect(second.getByTestId("run-state")).toHaveText("stopped");
  await second.close();
});
