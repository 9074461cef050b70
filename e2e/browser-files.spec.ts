import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Download, Page } from "@playwright/test";
import { expect, test } from "./fixtures.js";
import { toolbarAction } from "./toolbar.js";

const EXAMPLES = resolve("examples");

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = (await Promise.all([page.waitForEvent("download"), click()])) as [Download, void];
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), "utf8") };
}

/** Runs `body` with a fresh temporary folder, removed after. */
async function withTempDir(prefix: string, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cliExport(file: string, to: "ts" | "python"): string {
  const result = spawnSync(process.execPath, ["dist/host/cli/main.js", "export", file, "--to", to], { encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

test("Upload… opens a pipeline file from the browser, says where its relative paths resolve; Save asks where or downloads it", async ({
  studio,
  page,
}) => {
  await studio.open();
  await withTempDir("studio-e2e-upload-", async (dir) => {
    await page.getByTestId("upload-input").setInputFiles(join(EXAMPLES, "files-gzip-sha256.pipeline.json"));
    await expect(studio.node("files")).toBeVisible();
    // The host was started in the repository's folder (e2e/support/serve.mjs): relative paths resolve there, and the app says so.
    await expect(page.getByTestId("notice")).toHaveText(
      `Uploaded files-gzip-sha256.pipeline.json — relative paths inside resolve against ${process.cwd()}×`,
    );
    await expect(page.getByTestId("doc-title")).toContainText("files-gzip-sha256.pipeline.json");
    await expect(page.getByTestId("doc-title")).toHaveAttribute("title", new RegExp(`resolve against ${process.cwd()}`));
    // The notice stays until dismissed: it is what a user needs to read.
    await page.getByTestId("notice").getByRole("button", { name: "Dismiss" }).click();
    await expect(page.getByTestId("notice")).toHaveCount(0);

    // Save has no file to write back to: it asks where, offering the download too.
    await page.getByRole("button", { name: "Save", exact: true }).click();
    const saveAs = page.getByTestId("save-as-dialog");
    await expect(saveAs.getByTestId("save-uploaded")).toContainText("was uploaded from the browser");
    await expect(page.getByTestId("save-path-input")).toHaveValue("files-gzip-sha256.pipeline.json");
    const viaDialog = await downloaded(page, () => saveAs.getByTestId("save-download").click());
    expect(viaDialog.name).toBe("files-gzip-sha256.pipeline.json");
    const target = join(dir, "saved.pipeline.json");
    await page.getByTestId("save-path-input").fill(target);
    await saveAs.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByTestId("doc-title")).toContainText("saved.pipeline.json");
    // Download gives the very bytes Save wrote.
    expect(viaDialog.text).toBe(readFileSync(target, "utf8"));
    const viaToolbar = await downloaded(page, () => toolbarAction(page, "Download"));
    expect(viaToolbar).toEqual({ name: "saved.pipeline.json", text: readFileSync(target, "utf8") });
  });
});

test("an upload that is no pipeline file is refused with the host's own message; one over 16 MiB before it travels", async ({
  studio,
  page,
}) => {
  await studio.open();
  await withTempDir("studio-e2e-upload-", async (dir) => {
    const notJson = join(dir, "notes.json");
    writeFileSync(notJson, "{ not json");
    await page.getByRole("button", { name: "Open", exact: true }).click();
    await page.getByTestId("open-upload-input").setInputFiles(notJson);
    await expect(page.getByTestId("open-error")).toContainText("not valid JSON at line 1");
    await page.keyboard.press("Escape");

    const big = join(dir, "big.pipeline.json");
    writeFileSync(big, Buffer.alloc(17 * 1024 * 1024, 32));
    await page.getByTestId("upload-input").setInputFiles(big);
    await expect(page.getByTestId("notice")).toContainText("cannot read big.pipeline.json (uploaded): it is 17 MiB, over the 16 MiB limit");
    // The page that was open stays open.
    await expect(studio.node("download")).toBeVisible();
  });
});

test("Export TS and Python offer Download (the CLI's export, byte for byte); a long line scrolls inside the dialog", async ({
  studio,
  page,
}) => {
  await studio.open();
  await withTempDir("studio-e2e-export-", async (dir) => {
    // A long file name makes the export's first line (it names the file) longer than the dialog is wide.
    const file = join(dir, `a-pipeline-with-a-name-long-enough-to-make-the-first-line-of-its-export-scroll.pipeline.json`);
    copyFileSync(join(EXAMPLES, "seed-download-preprocess.pipeline.json"), file);
    await page.getByRole("button", { name: "Open", exact: true }).click();
    await page.getByTestId("open-path-input").fill(file);
    await page.getByTestId("open-dialog").getByRole("button", { name: "Open", exact: true }).click();
    await expect(page.getByTestId("doc-title")).toContainText("a-pipeline-with");

    for (const [label, to, extension] of [
      ["Export TS", "ts", "ts"],
      ["Export Python", "python", "py"],
    ] as const) {
      await toolbarAction(page, label);
      const dialog = page.getByTestId("export-dialog");
      await expect(dialog.getByRole("button", { name: "Copy" })).toBeVisible();
      const code = await downloaded(page, () => dialog.getByRole("button", { name: "Download" }).click());
      expect(code.name).toBe(`a-pipeline-with-a-name-long-enough-to-make-the-first-line-of-its-export-scroll.${extension}`);
      expect(code.text).toBe(cliExport(file, to));
      // The dialog stays inside the window; the code block scrolls sideways instead.
      const box = await dialog.boundingBox();
      const viewport = page.viewportSize()!;
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
      const block = await page
        .getByTestId("export-code")
        .evaluate((pre) => ({ scroll: pre.scrollWidth, client: pre.clientWidth, dialog: pre.closest(".modal")!.scrollWidth }));
      expect(block.scroll).toBeGreaterThan(block.client);
      expect(block.dialog).toBeLessThanOrEqual(box!.width);
      await page.keyboard.press("Escape");
    }
  });
});
