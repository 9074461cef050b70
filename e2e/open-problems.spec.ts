import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./fixtures.js";

const seed = JSON.parse(readFileSync(new URL("../examples/seed-download-preprocess.pipeline.json", import.meta.url), "utf8")) as {
  nodes: Record<string, unknown>[];
};

test("open: an invalid file opens with each of its three problems at its node; a file that is not JSON says so in the dialog, asking nothing", async ({
  studio,
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), "studio-e2e-open-"));
  try {
    const broken = structuredClone(seed);
    const byId = (id: string) => broken.nodes.find((node) => node.id === id)!;
    byId("download").concurrency = 0;
    byId("preprocess").colour = "red";
    byId("sink").queueSize = -5;
    const invalid = join(dir, "three-problems.pipeline.json");
    writeFileSync(invalid, JSON.stringify(broken));
    const notJson = join(dir, "not-json.pipeline.json");
    writeFileSync(notJson, "nodes: [download]\n");

    await studio.open();
    // Unsaved changes: the question comes only once a new file has loaded.
    await studio.selectNode("download");
    await studio.setField("concurrency-input", 3);
    await expect(page.getByTestId("dirty-dot")).toBeVisible();
    const asked: string[] = [];
    page.on("dialog", (dialog) => asked.push(dialog.message()));

    await page.getByRole("button", { name: "Open" }).click();
    await page.getByTestId("open-path-input").fill(notJson);
    await page.getByTestId("open-dialog").getByRole("button", { name: "Open", exact: true }).click();
    await expect(page.getByTestId("open-error")).toContainText("not valid JSON at line 1");
    expect(asked).toEqual([]);
    await expect(page.getByTestId("dirty-dot")).toBeVisible();

    await page.getByTestId("open-path-input").fill(invalid);
    await page.getByTestId("open-dialog").getByRole("button", { name: "Open", exact: true }).click();
    await expect(page.getByTestId("open-dialog")).toHaveCount(0);
    expect(asked).toEqual(["Discard unsaved changes?"]);
    await expect(page.getByTestId("doc-title")).toContainText("three-problems.pipeline.json");
    await expect(page.getByTestId("problem-download")).toBeVisible();
    await expect(page.getByTestId("problem-preprocess")).toBeVisible();
    await expect(page.getByTestId("problem-sink")).toBeVisible();
    await expect(page.getByTestId("problem-download")).toHaveAttribute("title", /concurrency|≥ 1/);
    await expect(page.getByTestId("problem-preprocess")).toHaveAttribute("title", /unknown field/);
    await expect(page.getByTestId("notice")).toContainText("3 problems");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
