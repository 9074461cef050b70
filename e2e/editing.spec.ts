import { expect, test } from "./fixtures.js";

test("undo/redo every graph change; copy and paste nodes", async ({ studio, page }) => {
  await studio.open();
  const nodes = page.locator(".react-flow__node");
  await expect(nodes).toHaveCount(4);

  // Copy / paste.
  await studio.selectNode("download");
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");
  await expect(nodes).toHaveCount(5);
  await expect(studio.node("download_2")).toBeVisible();
  await expect(page.locator('[data-testid="slots-download_2"] .slot')).toHaveCount(4);
  await expect(page.getByTestId("node-inspector")).toContainText("download_2");

  // Undo / redo the paste.
  await page.keyboard.press("Control+z");
  await expect(nodes).toHaveCount(4);
  await expect(studio.node("download_2")).toHaveCount(0);
  await page.keyboard.press("Control+Shift+z");
  await expect(studio.node("download_2")).toBeVisible();

  // A knob change is one undo step.
  await studio.selectNode("download");
  await studio.setField("concurrency-input", 6);
  await expect(page.locator('[data-testid="slots-download"] .slot')).toHaveCount(6);
  await page.locator(".react-flow__pane").click({ position: { x: 30, y: 30 } });
  await page.keyboard.press("Control+z");
  await expect(page.locator('[data-testid="slots-download"] .slot')).toHaveCount(4);
  await page.keyboard.press("Control+Shift+z");
  await expect(page.locator('[data-testid="slots-download"] .slot')).toHaveCount(6);

  // Delete with the Delete key, then undo it; toolbar buttons do the same.
  await studio.selectNode("download_2");
  await page.keyboard.press("Delete");
  await expect(studio.node("download_2")).toHaveCount(0);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(studio.node("download_2")).toBeVisible();
  await page.getByRole("button", { name: "Redo" }).click();
  await expect(studio.node("download_2")).toHaveCount(0);

  // Clicking a queue selects its edge; Delete removes it; undo brings it back.
  await studio.queue("download", "preprocess").click();
  await page.keyboard.press("Delete");
  await expect(studio.queue("download", "preprocess")).toHaveCount(0);
  await page.keyboard.press("Control+z");
  await expect(studio.queue("download", "preprocess")).toBeVisible();

  // Renaming a stage keeps its connections.
  await studio.selectNode("preprocess");
  await studio.setField("node-name-input", "decode");
  await page.getByTestId("node-name-input").press("Enter");
  await expect(studio.node("decode")).toBeVisible();
  await expect(studio.queue("download", "decode")).toBeVisible();
  await expect(studio.queue("decode", "sink")).toBeVisible();

  // Auto-layout moves nodes left to right (one undo step).
  const x = async (id: string) => (await studio.node(id).boundingBox())!.x;
  await page.getByRole("button", { name: "Auto-layout" }).click();
  await expect
    .poll(
      async () =>
        (await x("urls")) < (await x("download")) && (await x("download")) < (await x("decode")) && (await x("decode")) < (await x("sink")),
    )
    .toBe(true);

  // Box-select with Shift-drag selects several nodes.
  const pane = page.locator(".react-flow__pane");
  const box = (await pane.boundingBox())!;
  await page.keyboard.down("Shift");
  await page.mouse.move(box.x + 5, box.y + 5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 5, box.y + box.height - 5, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up("Shift");
  await expect(page.locator(".react-flow__node.selected")).toHaveCount(4);
  await expect(page.locator(".inspector")).toContainText("4 nodes selected");
});
