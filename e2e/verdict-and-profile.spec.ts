import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./fixtures.js";

/** The verdict and the profile never say more than the figures do: a calm "none", and one level named by sentence, marker and button. */

test("a consumer-paced run reads 'Bottleneck: none' in plain grey, not as an alarm", async ({ studio, page }) => {
  await studio.open();
  // A consumer taking 40 ms an item (25 items/s) paces a pipeline that could deliver ~190 items/s.
  await studio.selectNode("sink");
  await studio.setField("consumer-step-input", 40);
  await studio.startLongRun();

  const verdict = page.getByTestId("bottleneck-verdict");
  await expect(verdict).toHaveText("Bottleneck: none");
  await expect(verdict).toHaveClass(/bottleneck-verdict--none/);
  const style = await verdict.evaluate((element) => {
    const css = getComputedStyle(element);
    return { color: css.color, fontWeight: css.fontWeight };
  });
  // Not the alarm's orange (#c2410c) nor its weight.
  expect(style.color).not.toBe("rgb(194, 65, 12)");
  expect(Number(style.fontWeight)).toBeLessThan(600);
  await expect(page.locator(".studio-node.is-bottleneck")).toHaveCount(0);
  await expect(verdict).toHaveAttribute("title", /no stage holds the pipeline back/);
});

/**
 * A stage that serves one call at a time whatever its concurrency: its curve is flat by design,
 * so only this machine's noise moves it. Whatever that noise makes of it, the sentence, the
 * chart's marker and the button name the same level.
 */
const SERIAL_MODULE = `// One call at a time, whatever the concurrency: a flat profile curve by design.
let turn = Promise.resolve();
export function serial(item) {
  const mine = turn.then(() => new Promise((resolve) => setTimeout(() => resolve(item), 4)));
  turn = mine;
  return mine;
}
`;

const serialPipeline = {
  format: "pipeline-studio/1",
  name: "One call at a time",
  description: "",
  nodes: [
    { id: "numbers", kind: "source", op: "range", params: { count: 100000 }, position: { x: 0, y: 0 } },
    {
      id: "serial",
      kind: "stage",
      op: "module",
      params: { path: "serial.mjs", export: "serial" },
      runOn: "loop",
      concurrency: 4,
      position: { x: 260, y: 0 },
    },
    { id: "sink", kind: "sink", position: { x: 520, y: 0 } },
  ],
  edges: [
    { from: "numbers", to: "serial" },
    { from: "serial", to: "sink" },
  ],
};

test("a flat, noisy profile curve: the sentence, the marker and the button name the same level", async ({ studio, page }) => {
  const dir = mkdtempSync(join(tmpdir(), "studio-e2e-flat-"));
  try {
    writeFileSync(join(dir, "serial.mjs"), SERIAL_MODULE);
    const file = join(dir, "serial.pipeline.json");
    writeFileSync(file, JSON.stringify(serialPipeline));
    await studio.open();
    await page.getByRole("button", { name: "Open", exact: true }).click();
    await page.getByTestId("open-path-input").fill(file);
    await page.getByTestId("open-dialog").getByRole("button", { name: "Open", exact: true }).click();
    await expect(studio.node("serial")).toBeVisible();
    // The host's report on this file (its user code) has come: Start asks to run that code.
    await studio.validationSettled();

    await page.getByTestId("open-profile").click();
    await page.getByTestId("profile-max-concurrency").selectOption("8");
    await page.getByTestId("profile-step").selectOption("1000");
    // The user code is confirmed by the fixture's dialog handler.
    await page.getByTestId("profile-start").click();
    await expect(page.getByTestId("profile-done")).toBeVisible({ timeout: 40_000 });

    const chart = page.getByTestId("profile-chart-serial");
    await expect(chart.locator("circle.point")).toHaveCount(4);
    const sentence = (await page.getByTestId("profile-summary-serial").textContent()) ?? "";
    const level = /(?:past|at concurrency) (\d+)/.exec(sentence)?.[1];
    expect(level, sentence).toBeDefined();
    await expect(chart.locator("circle.knee-point")).toHaveAttribute("data-concurrency", level!);
    const button = page.getByTestId("profile-set-serial");
    if (level === "4") {
      // The file already runs at that level: nothing to set.
      await expect(button).toHaveCount(0);
    } else {
      await expect(button).toHaveAttribute("data-concurrency", level!);
      await expect(button).toHaveText(`Set concurrency 4 → ${level}`);
      await button.click();
      await studio.selectNode("serial");
      await expect(page.getByTestId("concurrency-input")).toHaveValue(level!);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
