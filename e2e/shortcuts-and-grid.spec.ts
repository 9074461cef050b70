import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keysPressedTogether, SHORTCUTS } from "../renderer/shortcutList.js";
import { emptySpot, expect, stableBox, test } from "./fixtures.js";

// Each test's files in a folder of its own, removed after it.
let folder = "";
test.beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "studio-e2e-annotate-"));
});
test.afterEach(() => rmSync(folder, { recursive: true, force: true }));

test("? lists every keyboard shortcut; the canvas's Help button too; Escape closes", async ({ studio, page }) => {
  await studio.open();
  await page.keyboard.press("Shift+?");
  const dialog = page.getByTestId("shortcuts-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("heading")).toHaveText("Keyboard shortcuts");
  const rows = dialog.locator("tbody tr");
  await expect(rows).toHaveCount(SHORTCUTS.length);
  for (const [index, shortcut] of SHORTCUTS.entries()) {
    await expect(rows.nth(index).locator("td")).toHaveText(shortcut.does);
    await expect(rows.nth(index).locator("th")).toHaveText(keysPressedTogether(shortcut.keys).join("+"));
  }
  // What a reader sees: modifiers apart from their key, a gesture whole.
  await expect(rows.filter({ hasText: "Redo" }).first().locator("th")).toHaveText("Ctrl/Cmd+Shift+Z");
  await expect(rows.filter({ hasText: "Context menu of a node, a wire or the canvas" }).locator("th")).toHaveText("Right-click");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);

  await page.getByTestId("shortcuts-help").click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);

  // Typing "?" into a field is text, not a shortcut.
  await studio.selectNode("download");
  await page.getByTestId("node-inspector").getByRole("textbox").first().press("Shift+?");
  await expect(dialog).toHaveCount(0);
});

test("snap to grid: dragged nodes land on multiples of the grid; off, they land where dropped; the choice is remembered", async ({
  studio,
  page,
}) => {
  await studio.open();
  const path = join(folder, "grid.pipeline.json");
  const toggle = page.getByTestId("snap-to-grid");
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  // The grid it snaps to is drawn (lines instead of dots).
  await expect(page.locator(".react-flow__background.grid-lines")).toHaveCount(1);

  const dragBy = async (dx: number, dy: number) => {
    // Read once the view holds still: a file just opened is fitted into view a frame later, and a
    // press at the title's place before that missed the node and panned the canvas instead.
    const box = await stableBox(studio.node("download").locator(".node-title"));
    await page.mouse.move(box.x + 10, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 10 + dx / 2, box.y + box.height / 2 + dy / 2, { steps: 4 });
    await page.mouse.move(box.x + 10 + dx, box.y + box.height / 2 + dy, { steps: 4 });
    await page.mouse.up();
  };
  const saved = () => {
    const file = JSON.parse(readFileSync(path, "utf8")) as { nodes: { id: string; position: { x: number; y: number } }[] };
    return file.nodes.find((n) => n.id === "download")!.position;
  };

  await dragBy(37, 53);
  await page.getByRole("button", { name: "Save As" }).click();
  await page.getByTestId("save-path-input").fill(path);
  await page.getByTestId("save-as-dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("dirty-dot")).toHaveCount(0);
  const snapped = saved();
  expect(snapped.x % 20).toBe(0);
  expect(snapped.y % 20).toBe(0);

  // Remembered across a reload (this browser's setting, not the file's).
  await page.reload();
  await expect(page.getByTestId("connection")).toHaveText("connected");
  await expect(page.getByTestId("snap-to-grid")).toHaveAttribute("aria-pressed", "true");

  await page.getByTestId("snap-to-grid").click();
  await expect(page.getByTestId("snap-to-grid")).toHaveAttribute("aria-pressed", "false");
  await expect(page.locator(".react-flow__background.grid-lines")).toHaveCount(0);
  await page.getByRole("button", { name: "Open" }).click();
  await page.getByTestId("open-path-input").fill(path);
  await page.getByTestId("open-dialog").getByRole("button", { name: "Open", exact: true }).click();
  await expect(studio.node("download")).toBeVisible();
  await dragBy(7, 7);
  await page.keyboard.press("Control+s");
  await expect(page.getByTestId("dirty-dot")).toHaveCount(0);
  const free = saved();
  expect(free.x).toBeGreaterThan(snapped.x);
  expect(free.x % 20 !== 0 || free.y % 20 !== 0).toBe(true);
});

test("snap on: Auto-layout, quick-add and the palette's double-click place nodes on the grid too", async ({ studio, page }) => {
  await studio.open();
  const path = join(folder, "placed.pipeline.json");
  await page.getByTestId("snap-to-grid").click();
  await expect(page.getByTestId("snap-to-grid")).toHaveAttribute("aria-pressed", "true");

  const layoutAt = await emptySpot(page);
  await page.mouse.click(layoutAt.x, layoutAt.y, { button: "right" });
  await page.getByTestId("menu-auto-layout").click();
  await expect(page.getByTestId("dirty-dot")).toHaveCount(1);
  // Quick-add at a point off the grid.
  const spot = await emptySpot(page);
  await page.mouse.dblclick(spot.x + 3, spot.y + 7);
  await page.keyboard.type("sha256");
  await page.keyboard.press("Enter");
  await expect(studio.node("sha256")).toBeVisible();
  // The palette's double-click adds in the middle of the view.
  await page.getByTestId("palette-gunzip").dblclick();
  await expect(studio.node("gunzip")).toBeVisible();

  await page.getByRole("button", { name: "Save As" }).click();
  await page.getByTestId("save-path-input").fill(path);
  await page.getByTestId("save-as-dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("dirty-dot")).toHaveCount(0);
  const nodes = (JSON.parse(readFileSync(path, "utf8")) as { nodes: { id: string; position: { x: number; y: number } }[] }).nodes;
  expect(nodes.map((n) => n.id)).toEqual(expect.arrayContaining(["sha256", "gunzip"]));
  const offGrid = nodes.filter((n) => n.position.x % 20 !== 0 || n.position.y % 20 !== 0);
  expect(offGrid, "every node on a multiple of the 20 px grid").toEqual([]);
});
