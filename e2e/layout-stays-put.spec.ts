import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./fixtures.js";

for (const width of [1280, 1024]) {
  test.describe(`at ${width}×720`, () => {
    test.use({ viewport: { width, height: 720 } });

    test("the toolbar is one row with Run and Stop in sight; what did not fit is in the ⋯ menu, and works", async ({ studio, page }) => {
      await studio.open();
      const toolbar = await page.getByTestId("toolbar").boundingBox();
      const run = await studio.runButton.boundingBox();
      const stop = await studio.stopButton.boundingBox();
      // One row: no taller than a button and its padding.
      expect(toolbar!.height).toBeLessThan(run!.height * 2);
      for (const box of [run!, stop!]) {
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        expect(box.y + box.height).toBeLessThanOrEqual(toolbar!.y + toolbar!.height);
      }
      await expect(studio.runButton).toBeVisible();
      await page.getByTestId("toolbar-overflow").click();
      const menu = page.getByTestId("toolbar-overflow-menu");
      await expect(menu.getByRole("menuitem", { name: "Export Python" })).toBeVisible();
      // The menu lies inside the window.
      const menuBox = await menu.boundingBox();
      expect(menuBox!.x + menuBox!.width).toBeLessThanOrEqual(width);
      await menu.getByRole("menuitem", { name: "Export Python" }).click();
      await expect(page.getByTestId("export-dialog")).toContainText("download");
      await page.keyboard.press("Escape");
      // Escape and a click elsewhere close the menu.
      await page.getByTestId("toolbar-overflow").click();
      await expect(menu).toBeVisible();
      await page.keyboard.press("Escape");
      await expect(menu).toHaveCount(0);
    });
  });
}

test.describe("at 1280×720", () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test("a banner over the canvas neither moves nor resizes a node; the run blocker neither", async ({ studio, page }) => {
    await studio.open();
    await studio.validationSettled();
    const before = await studio.node("preprocess").boundingBox();
    const canvasBefore = await page.getByTestId("canvas").boundingBox();
    const dir = mkdtempSync(join(tmpdir(), "studio-e2e-banner-"));
    try {
      const notJson = join(dir, "broken.pipeline.json");
      writeFileSync(notJson, "not json");
      await page.getByTestId("upload-input").setInputFiles(notJson);
      await expect(page.getByTestId("notice")).toContainText("not valid JSON");
      expect(await studio.node("preprocess").boundingBox()).toEqual(before);
      expect(await page.getByTestId("canvas").boundingBox()).toEqual(canvasBefore);
      await page.getByTestId("notice").getByRole("button", { name: "Dismiss" }).click();
      await expect(page.getByTestId("notice")).toHaveCount(0);
      expect(await studio.node("preprocess").boundingBox()).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
