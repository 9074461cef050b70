import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./fixtures.js";
import { toolbarAction } from "./toolbar.js";

test("save, reopen: the same pipeline, byte for byte", async ({ studio, page }) => {
  await studio.open();
  const stamp = `${process.pid}-${Date.now()}`;
  const first = join(tmpdir(), `studio-e2e-${stamp}.pipeline.json`);
  const second = join(tmpdir(), `studio-e2e-${stamp}-again.pipeline.json`);

  await studio.selectNode("download");
  await studio.setField("concurrency-input", 3);
  await studio.setField("param-ms", 35);
  await expect(page.getByTestId("dirty-dot")).toBeVisible();

  await page.getByRole("button", { name: "Save As" }).click();
  await page.getByTestId("save-path-input").fill(first);
  await page.getByTestId("save-as-dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("doc-title")).toContainText(`studio-e2e-${stamp}.pipeline.json`);
  await expect(page.getByTestId("dirty-dot")).toHaveCount(0);
  const saved = JSON.parse(readFileSync(first, "utf8")) as {
    nodes: { id: string; concurrency: number; params: Record<string, unknown> }[];
  };
  expect(saved.nodes.find((n) => n.id === "download")).toMatchObject({ concurrency: 3, params: { ms: 35 } });

  await studio.newPipeline();
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.getByTestId("open-dialog")).toContainText(`studio-e2e-${stamp}.pipeline.json`);
  await page.getByTestId("open-path-input").fill(first);
  await page.getByTestId("open-dialog").getByRole("button", { name: "Open", exact: true }).click();
  await expect(studio.node("download")).toBeVisible();
  await expect(page.locator('[data-testid="slots-download"] .slot')).toHaveCount(3);
  await expect(page.getByTestId("dirty-dot")).toHaveCount(0);

  // Saving what was reopened, unchanged, writes the same bytes.
  await page.getByRole("button", { name: "Save As" }).click();
  await page.getByTestId("save-path-input").fill(second);
  await page.getByTestId("save-as-dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("doc-title")).toContainText("-again.pipeline.json");
  expect(readFileSync(second, "utf8")).toBe(readFileSync(first, "utf8"));
});

test("export shows the code with a copy button", async ({ studio, page }) => {
  await studio.open();
  await toolbarAction(page, "Export Python");
  await expect(page.getByTestId("export-code")).toContainText("download");
  await page.keyboard.press("Escape");
  await toolbarAction(page, "Export TS");
  await expect(page.getByTestId("export-code")).toContainText("download");
  await expect(page.getByTestId("export-dialog").getByRole("button", { name: "Copy" })).toBeVisible();
});
