import { expect, test } from "./fixtures.js";

test("profile the seed example: a chart per stage and where more concurrency stops helping", async ({ studio, page }, testInfo) => {
  await studio.open();
  await page.getByTestId("open-profile").click();
  const panel = page.getByTestId("profile-panel");
  await expect(panel).toBeVisible();
  await page.getByTestId("profile-max-concurrency").selectOption("8");
  await page.getByTestId("profile-step").selectOption("500");
  await page.getByTestId("profile-start").click();

  // The chart fills in level by level while the sweep runs; Run waits meanwhile.
  await expect(panel.getByRole("status")).toContainText("download", { timeout: 5_000 });
  await expect(studio.runButton).toBeDisabled();
  await expect(page.getByTestId("profile-done")).toBeVisible({ timeout: 30_000 });

  for (const stage of ["download", "preprocess"]) {
    const chart = page.getByTestId(`profile-chart-${stage}`);
    await expect(chart).toBeVisible();
    await expect(chart.locator("circle.point")).toHaveCount(4); // levels 1, 2, 4, 8
  }
  // download sleeps ~20 ms a call: throughput keeps doubling up to 8.
  await expect(page.getByTestId("profile-summary-download")).toHaveText(/still rising at concurrency 8|stops helping past 8/);
  // preprocess (8 ms of CPU on a pool of up to 3 threads, 2 cores) flattens out; where exactly
  // depends on this machine's noise, so the sentence names either the level or the rise.
  await expect(page.getByTestId("profile-summary-preprocess")).toHaveText(/stops helping past \d+|still rising at concurrency 8/);
  await expect(page.getByTestId("profile-chart-preprocess").locator("circle.knee-point")).toHaveCount(1);
  // Whatever this machine's noise made of the curves, the sentence, the marker and the button say the same level.
  for (const stage of ["download", "preprocess"]) {
    const sentence = (await page.getByTestId(`profile-summary-${stage}`).textContent()) ?? "";
    const level = /(?:past|at concurrency) (\d+)/.exec(sentence)?.[1];
    expect(level, sentence).toBeDefined();
    await expect(page.getByTestId(`profile-chart-${stage}`).locator("circle.knee-point")).toHaveAttribute("data-concurrency", level!);
    const button = page.getByTestId(`profile-set-${stage}`);
    if ((await button.count()) > 0) await expect(button).toHaveAttribute("data-concurrency", level!);
  }
  await page.screenshot({ path: testInfo.outputPath("profile.png") });
  await expect(studio.runButton).toBeEnabled();
});

test("auto-tune a starved pool: threads go up, throughput rises, one Undo puts the file's settings back", async ({
  studio,
  page,
}, testInfo) => {
  await studio.open();
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByTestId("example-pool-starved").click();
  await expect(studio.node("preprocess")).toBeVisible();
  await studio.clearSelection();
  await expect(page.getByTestId("num-threads-input")).toHaveValue("1");

  await page.getByTestId("open-tune").click();
  await page.getByTestId("tune-budget").fill("2");
  await page.getByTestId("tune-start").click();

  // The tuning run shows live on the graph while the knobs move.
  await expect(studio.runState).toHaveText("running", { timeout: 5_000 });
  await expect(page.getByTestId("tune-trials")).toContainText("the file’s settings");
  await expect(page.getByTestId("tune-result")).toBeVisible({ timeout: 40_000 });
  await page.screenshot({ path: testInfo.outputPath("auto-tune.png") });
  await page.screenshot({ path: "test-results/screenshots/auto-tune.png" });

  const before = Number(await page.getByTestId("tune-before").textContent());
  const after = Number(await page.getByTestId("tune-after").textContent());
  expect(after).toBeGreaterThan(before * 1.2);
  await expect(page.getByTestId("tune-result").locator("tr.changed")).toContainText(["numThreads"]);
  await expect(page.getByTestId("tune-verdict")).toHaveText(/^Bottleneck: /);
  await expect(page.getByTestId("tune-applied")).toBeVisible();

  // The settings found are in the graph (the pool knob), and the document is now unsaved.
  await expect(page.getByTestId("num-threads-input")).toHaveValue("2");
  await expect(page.getByTestId("dirty-dot")).toBeVisible();
  await expect(studio.runButton).toBeEnabled();

  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByTestId("num-threads-input")).toHaveValue("1");
});

test("auto-tune takes over a run in progress: the run goes on with the settings found", async ({ studio, page }) => {
  await studio.open();
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByTestId("example-pool-starved").click();
  await expect(studio.node("preprocess")).toBeVisible();
  await studio.selectNode("urls");
  await studio.setField("param-count", 100000);
  await studio.runButton.click();
  await expect(studio.runState).toHaveText("running");

  await page.getByTestId("open-tune").click();
  await expect(page.getByTestId("tune-panel")).toContainText("Tunes the run in progress");
  await page.getByTestId("tune-budget").fill("2");
  await page.getByTestId("tune-start").click();
  await expect(page.getByTestId("tune-trials")).toContainText("the run’s settings");
  // Pause would spoil the measurements: it waits until tuning ends.
  await expect(page.getByRole("button", { name: "Pause" })).toBeDisabled();
  await expect(page.getByTestId("tune-result")).toBeVisible({ timeout: 40_000 });

  await expect(studio.runState).toHaveText("running");
  await expect(page.getByRole("button", { name: "Pause" })).toBeEnabled();
  await studio.clearSelection();
  await expect(page.getByTestId("num-threads-input")).toHaveValue("2");
  await expect(page.getByTestId("pool-panel")).toContainText("of 2 threads busy");
  await studio.stopButton.click();
  await expect(studio.runState).toHaveText("stopped");
});
