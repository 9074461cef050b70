import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./fixtures.js";

test("two runs with a knob changed between them: both listed, compared side by side, reports saved beside the file", async ({
  studio,
  page,
}, testInfo) => {
  // The seed example copied where it can be saved: 100 items, download (30 ms waits) the slow stage
  // and preprocess light, so the download knob sets the pace even on a busy 2-core machine.
  const folder = mkdtempSync(join(tmpdir(), "studio-e2e-runs-"));
  const file = join(folder, "seed.pipeline.json");
  const seed = JSON.parse(readFileSync(new URL("../examples/seed-download-preprocess.pipeline.json", import.meta.url), "utf8"));
  const node = (id: string) => seed.nodes.find((candidate: { id: string }) => candidate.id === id);
  node("urls").params.count = 100;
  node("download").params.ms = 30;
  node("preprocess").params.ms = 1;
  writeFileSync(file, JSON.stringify(seed, null, 2));

  await studio.open();
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByTestId("open-path-input").fill(file);
  await page.getByTestId("open-dialog").getByRole("button", { name: "Open", exact: true }).click();
  await expect(page.getByTestId("doc-title")).toContainText("seed.pipeline.json");

  // Run 1: download ×4.
  await studio.runButton.click();
  await expect(studio.runState).toHaveText("completed");
  await expect(studio.delivered).toHaveText("100");

  // Run 2: download ×1, one call at a time.
  await studio.selectNode("download");
  await studio.setField("concurrency-input", 1);
  await expect(page.locator('[data-testid="slots-download"] .slot')).toHaveCount(1);
  await studio.runButton.click();
  await expect(studio.runButton).toBeDisabled();
  await expect(studio.runState).toHaveText("completed", { timeout: 20_000 });
  await expect(studio.delivered).toHaveText("100");

  await page.getByRole("button", { name: "Runs", exact: true }).click();
  const dialog = page.getByTestId("runs-dialog");
  await expect(dialog.getByTestId("runs-folder")).toContainText(join(folder, "seed.runs"));
  const rows = dialog.getByTestId("run-row");
  await expect(rows).toHaveCount(2);
  // Newest first: the download ×1 run, then the download ×4 one.
  await expect(rows.nth(0)).toContainText("download ×1");
  await expect(rows.nth(1)).toContainText("download ×4");
  for (const row of [rows.nth(0), rows.nth(1)]) await expect(row).toContainText("completed");
  const [newRate, oldRate] = [
    Number(await rows.nth(0).getByTestId("run-rate").textContent()),
    Number(await rows.nth(1).getByTestId("run-rate").textContent()),
  ];
  expect(newRate).toBeLessThan(oldRate * 0.6);

  await rows.nth(0).getByRole("checkbox").check();
  await rows.nth(1).getByRole("checkbox").check();
  const comparison = dialog.getByTestId("comparison");
  await expect(comparison).toBeVisible();

  // a is the older run (the baseline): b's throughput fell, shown as a negative change in the "worse" colour.
  const throughput = comparison.getByTestId("compare-items/s");
  await expect(throughput.getByTestId("change")).toHaveText(/^−\d+(\.\d)?%$/);
  await expect(throughput.getByTestId("change")).toHaveClass(/worse/);
  await expect(comparison.getByTestId("compare-download latency p50")).toBeVisible();
  await expect(comparison.getByTestId("compare-preprocess utilisation")).toBeVisible();

  // The setting that differs is highlighted; the ones that do not, are not.
  const changed = comparison.getByTestId("compare-download.concurrency");
  await expect(changed).toHaveClass(/differs/);
  await expect(changed.locator("td")).toHaveText(["download.concurrency", "4", "1", "changed −75%"]);
  await expect(comparison.getByTestId("compare-numThreads")).not.toHaveClass(/differs/);
  await expect(comparison.getByTestId("compare-preprocess.concurrency")).not.toHaveClass(/differs/);
  await page.screenshot({ path: testInfo.outputPath("runs-comparison.png") });

  // The reports are files beside the pipeline file, one per run.
  const reports = readdirSync(join(folder, "seed.runs"));
  expect(reports).toHaveLength(2);
  for (const name of reports) expect(name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-completed\.run\.json$/);
  const concurrencies = reports
    .map((name) => JSON.parse(readFileSync(join(folder, "seed.runs", name), "utf8")).settings.nodes[0].concurrency)
    .sort();
  expect(concurrencies).toEqual([1, 4]);
});
