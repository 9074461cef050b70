import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./fixtures.js";

test("Save As asks before replacing a file, adds .pipeline.json, and puts a bare name beside the current file, saying so", async ({
  studio,
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), "studio-e2e-save-as-"));
  try {
    await studio.open();
    const dialog = page.getByTestId("save-as-dialog");
    const first = join(dir, "first.pipeline.json");
    await page.getByRole("button", { name: "Save As" }).click();
    await page.getByTestId("save-path-input").fill(first);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("doc-title")).toContainText("first.pipeline.json");

    // A bare name: beside the current file, with the extension; the dialog says where before saving.
    const existing = join(dir, "existing.pipeline.json");
    writeFileSync(existing, "not to be lost");
    await page.getByRole("button", { name: "Save As" }).click();
    await page.getByTestId("save-path-input").fill("existing");
    await expect(page.getByTestId("save-target")).toContainText(existing);
    await expect(page.getByTestId("save-target")).toContainText(`the current file's folder (${dir})`);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("save-replace")).toContainText(`${existing} already exists. Replace it?`);
    await page.getByTestId("save-replace").getByRole("button", { name: "Cancel" }).click();
    expect(readFileSync(existing, "utf8")).toBe("not to be lost");
    await expect(page.getByTestId("doc-title")).toContainText("first.pipeline.json");

    await dialog.getByRole("button", { name: "Save" }).click();
    await page.getByTestId("save-replace").getByRole("button", { name: "Replace" }).click();
    await expect(page.getByTestId("doc-title")).toContainText("existing.pipeline.json");
    expect(JSON.parse(readFileSync(existing, "utf8"))).toMatchObject({ format: "pipeline-studio/1" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the line saying where Save As writes appears below the form, never moving the Save button", async ({ studio, page }) => {
  await studio.open();
  await page.getByRole("button", { name: "Save As" }).click();
  const input = page.getByTestId("save-path-input");
  const save = page.getByTestId("save-as-dialog").getByRole("button", { name: "Save" });
  const target = page.getByTestId("save-target");
  // An empty name: no target line.
  await input.fill("");
  await expect(target).toHaveCount(0);
  const without = await save.boundingBox();
  await input.fill("moved-or-not");
  await expect(target).toContainText("moved-or-not.pipeline.json");
  expect(await save.boundingBox()).toEqual(without);
});
