import type { Locator } from "@playwright/test";
import { expect, test } from "./fixtures.js";

/** A chart legend's row for one line (uPlot's first row is the time axis). */
const legendRow = (chart: Locator, label: string): Locator =>
  chart.locator(".u-legend tr.u-series").filter({ has: chart.page().locator(".u-label", { hasText: new RegExp(`^${label}$`) }) });
const legendLabels = (chart: Locator): Locator => chart.locator(".u-legend tr.u-series:not(:first-child) .u-label");

test("the inspector's repeat (source) and consumer (sink) reach the run: it goes on past its items, and the status bar shows readiness", async ({
  studio,
  page,
}) => {
  await studio.open();
  await studio.selectNode("urls");
  const repeat = page.getByTestId("source-repeat-input");
  await expect(repeat).not.toBeChecked();
  await repeat.check();
  await expect(repeat).toBeChecked();

  await studio.selectNode("sink");
  await expect(page.getByTestId("consumer-batch-input")).toHaveCount(0);
  await studio.setField("consumer-step-input", 20);
  await studio.setField("consumer-batch-input", 2);
  await studio.clearSelection();
  // The status bar says readiness only for a run whose sink has a consumer.
  await expect(page.getByTestId("readiness")).toHaveCount(0);

  await studio.runButton.click();
  await expect(studio.runState).toHaveText("running");
  await expect(page.getByTestId("readiness")).toHaveText(/^readiness \d+\.\d %$/, { timeout: 10_000 });
  await expect(page.getByTestId("cpu-share")).toHaveText(/^CPU \d+ %$/);
  // urls yields 200 items; repeating, the run delivers more and is still running.
  await expect.poll(async () => Number(await studio.delivered.textContent()), { timeout: 30_000 }).toBeGreaterThan(200);
  await expect(studio.runState).toHaveText("running");
  await studio.stopButton.click();
  await expect(studio.runState).toHaveText("stopped");
  await expect(page.getByTestId("readiness")).toHaveText(/^readiness \d+\.\d %$/);

  // The fields read back what was set, and unchecking repeat takes effect in the document.
  await studio.selectNode("sink");
  await expect(page.getByTestId("consumer-step-input")).toHaveValue("20");
  await expect(page.getByTestId("consumer-batch-input")).toHaveValue("2");
  await studio.selectNode("urls");
  await repeat.uncheck();
  await expect(repeat).not.toBeChecked();
});

test("live charts: a readiness line for a run with a consumer, a CPU line for every run", async ({ studio, page }) => {
  await studio.open();
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByTestId("example-training-loop").click();
  await expect(studio.node("fetch")).toBeVisible();
  await studio.selectNode("samples");
  await studio.setField("param-count", 100_000);
  await studio.clearSelection();
  await studio.runButton.click();
  await expect(studio.runState).toHaveText("running");

  const chart = page.getByTestId("chart-consumer");
  await expect(chart.locator(".uplot")).toBeVisible();
  await expect(chart.locator("h4")).toHaveText("Readiness and CPU (last second)");
  await expect(legendLabels(chart)).toHaveText(["readiness", "CPU"]);
  await expect.poll(async () => Number(await chart.locator(".uplot").getAttribute("data-points")), { timeout: 10_000 }).toBeGreaterThan(5);
  // Percentages, live while the run goes on.
  await expect(legendRow(chart, "readiness").locator(".u-value")).toHaveText(/^\d+(\.\d)?$/);
  await expect(legendRow(chart, "CPU").locator(".u-value")).toHaveText(/^\d+(\.\d)?$/);
  const readiness = Number(await legendRow(chart, "readiness").locator(".u-value").textContent());
  expect(readiness).toBeGreaterThanOrEqual(0);
  expect(readiness).toBeLessThanOrEqual(100);
  await expect(studio.runState).toHaveText("running");
  await studio.stopButton.click();
  await expect(studio.runState).toHaveText("stopped");

  // A run without a consumer: the CPU line only.
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByTestId("example-seed-download-preprocess").click();
  await expect(studio.node("download")).toBeVisible();
  await studio.runButton.click();
  await expect(chart.locator(".uplot")).toBeVisible();
  await expect(chart.locator("h4")).toHaveText("CPU (last second)");
  await expect(legendLabels(chart)).toHaveText(["CPU"]);
  // The seed's 200 items end the run by themselves (a Stop could race its end).
  await expect(studio.runState).toHaveText("completed", { timeout: 30_000 });
});

test("auto-tune for readiness: the goal, its target and a CPU budget reach the host; the result says met or not and what it costs", async ({
  studio,
  page,
}) => {
  await studio.open();
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByTestId("example-training-loop").click();
  await expect(studio.node("fetch")).toBeVisible();

  await page.getByTestId("open-tune").click();
  const objective = page.getByTestId("tune-objective");
  await expect(objective).toHaveValue("auto");
  await expect(objective.locator("option:checked")).toHaveText(/readiness: the sink has a consumer/);

  // A target out of range is said beside the field and blocks Start until fixed.
  const target = page.getByTestId("tune-readiness");
  await target.fill("150%");
  await expect(page.getByTestId("tune-goal-problem")).toHaveText(
    'Readiness target must be a share above 0 and at most 1, as 0.4 or 40%, got "150%"',
  );
  await expect(page.getByTestId("tune-start")).toBeDisabled();
  await target.fill("95%");
  await expect(page.getByTestId("tune-goal-problem")).toHaveCount(0);
  await page.getByTestId("tune-cpu-budget").fill("90%");
  await page.getByTestId("tune-budget").fill("2");
  await expect(page.getByTestId("tune-start")).toBeEnabled();
  await page.getByTestId("tune-start").click();

  await expect(page.getByTestId("tune-trials")).toContainText("the file’s settings");
  await expect(page.getByTestId("tune-trials")).toContainText(/ready \d+\.\d % · CPU \d+\.\d %/);
  await expect(page.getByTestId("tune-result")).toBeVisible({ timeout: 45_000 });
  const goal = page.getByTestId("tune-goal");
  await expect(goal).toHaveAttribute("data-objective", "readiness");
  await expect(goal).toHaveText(
    /^Goal (met|not met): readiness \d+\.\d % \(target 95\.0 %\).* [12] pool threads?, CPU \d+\.\d % of the machine \(budget 90\.0 %\)$/,
  );
  await expect(goal).toHaveAttribute("data-met", /^(true|false)$/);

  // Throughput has no readiness target to set.
  await objective.selectOption("throughput");
  await expect(target).toHaveCount(0);
});
