import type { Locator } from "@playwright/test";
import { emptySpot, expect, test, type Studio } from "./fixtures.js";

/** Editor conventions Node-RED and n8n users expect: quick-add, context menus, graph search, wiring feedback. */

const centre = async (locator: Locator) => {
  const box = (await locator.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
};

const contains = (box: { x: number; y: number; width: number; height: number }, p: { x: number; y: number }) =>
  p.x >= box.x && p.x <= box.x + box.width && p.y >= box.y && p.y <= box.y + box.height;

/** Presses on a node's output (or input) handle and moves (in steps) to `to`, the button still down. */
async function startWire(studio: Studio, from: string, to: { x: number; y: number }, handle: "out" | "in" = "out"): Promise<void> {
  await studio.validationSettled();
  const at = await centre(studio.page.getByTestId(`handle-${handle}-${from}`));
  await studio.page.mouse.move(at.x, at.y);
  await studio.page.mouse.down();
  await studio.page.mouse.move((at.x + to.x) / 2, (at.y + to.y) / 2, { steps: 5 });
  await studio.page.mouse.move(to.x, to.y, { steps: 5 });
}

test("quick-add: double-click the canvas, search by a synonym, Enter adds the op where double-clicked; Escape and a click outside close the picker", async ({
  studio,
  page,
}) => {
  await studio.open();
  const spot = await emptySpot(page);
  await page.mouse.dblclick(spot.x, spot.y);
  const picker = page.getByTestId("op-picker");
  await expect(picker).toBeVisible();
  await expect(page.getByTestId("op-picker-search")).toBeFocused();

  // "hash" is no op's name: sha256 declares it as a synonym.
  await page.keyboard.type("hash");
  await expect(picker.locator(".op-picker-item").first()).toContainText("sha256");
  await expect(picker.locator(".op-picker-item.is-active")).toContainText("sha256");
  await page.keyboard.press("Enter");
  await expect(picker).toHaveCount(0);
  const added = studio.node("sha256");
  await expect(added).toBeVisible();
  expect(contains((await added.boundingBox())!, spot), "the node sits where the canvas was double-clicked").toBe(true);

  // Arrow keys move through the list; description words match too.
  const again = await emptySpot(page);
  await page.mouse.dblclick(again.x, again.y);
  await page.keyboard.type("bytes");
  const first = await picker.locator(".op-picker-item").first().textContent();
  await page.keyboard.press("ArrowDown");
  await expect(picker.locator(".op-picker-item").nth(1)).toHaveClass(/is-active/);
  expect(await picker.locator(".op-picker-item.is-active").textContent()).not.toBe(first);
  await page.keyboard.press("Escape");
  await expect(picker).toHaveCount(0);

  await page.mouse.dblclick(again.x, again.y);
  await expect(picker).toBeVisible();
  await page.getByTestId("palette-search").click();
  await expect(picker).toHaveCount(0);
  await expect(page.locator(".react-flow__node")).toHaveCount(5);
});

test("wiring: while a wire is dragged, refused targets are dimmed with the reason and valid ones lit; a drop on a node's body connects; a drop in empty space opens the picker and wires the op added", async ({
  studio,
  page,
}) => {
  await studio.open();
  await studio.dragOp("sleep", 150, 480);
  await expect(studio.node("sleep")).toBeVisible();

  // The handles are at least 16 px across at zoom 1.
  const zoom = await page.locator(".react-flow__viewport").evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);
  const handle = (await page.getByTestId("handle-out-sleep").boundingBox())!;
  // Boxes come back as floats scaled by the zoom (15.99998 at a fitted zoom): compared to 1/1000 px.
  const atZoomOne = (px: number) => Math.round((px / zoom) * 1000) / 1000;
  expect(atZoomOne(handle.width)).toBeGreaterThanOrEqual(16);
  expect(atZoomOne(handle.height)).toBeGreaterThanOrEqual(16);

  // Dragging from the unwired sleep: the source is refused (it takes no input), the rest would connect.
  const target = await centre(studio.node("preprocess"));
  await startWire(studio, "sleep", target);
  await expect(studio.node("urls")).toHaveClass(/wire-refused/);
  await expect(page.getByTestId("wire-refusal-urls")).toHaveText(/"urls" is a source, which takes no input/);
  await expect(studio.node("urls")).toHaveAttribute("title", /takes no input/);
  for (const id of ["download", "preprocess", "sink"]) await expect(studio.node(id)).toHaveClass(/wire-target/);
  // Dropped on the middle of the node's body, far from its handle: it connects.
  await page.mouse.up();
  await expect(studio.queue("sleep", "preprocess")).toBeVisible();
  await expect(studio.node("preprocess")).not.toHaveClass(/wire-target|wire-refused/);

  // From download, which already feeds preprocess: every other node is refused (no fan-out), the reason says so.
  await startWire(studio, "download", await centre(studio.node("sleep")));
  await expect(studio.node("sleep")).toHaveClass(/wire-refused/);
  await expect(page.getByTestId("wire-refusal-sleep")).toContainText('"download" already feeds "preprocess"');
  await expect(studio.node("sink")).toHaveClass(/wire-refused/);
  await page.mouse.up();
  await expect(page.getByTestId("notice")).toContainText("no fan-out");
  await expect(page.locator(".react-flow__edge")).toHaveCount(4);

  // Dropped in empty space, a wire opens the picker; the op chosen is added there, wired from that output.
  await studio.selectNode("preprocess");
  await page.getByTestId("queue-preprocess->sink").click({ button: "right" });
  await page.getByTestId("menu-delete-edge").click();
  await expect(studio.queue("preprocess", "sink")).toHaveCount(0);
  const spot = await emptySpot(page);
  await startWire(studio, "preprocess", spot);
  await page.mouse.up();
  const picker = page.getByTestId("op-picker");
  await expect(picker).toContainText("Add after preprocess");
  // A source takes no input: the picker says so before it is picked, and lists it after the ops that connect.
  await page.getByTestId("op-picker-search").fill("r");
  const range = page.getByTestId("op-picker-item-range");
  await expect(range).toHaveClass(/is-refused/);
  await expect(range).toContainText('Won\'t connect: "range" is a source, which takes no input');
  await expect(picker.locator(".op-picker-item").first()).not.toHaveClass(/is-refused/);
  await expect(picker.locator(".op-picker-item.is-refused ~ .op-picker-item:not(.is-refused)")).toHaveCount(0);
  await page.getByTestId("op-picker-search").fill("decompress");
  await page.getByTestId("op-picker-item-gunzip").click();
  await expect(studio.queue("preprocess", "gunzip")).toBeVisible();
  expect(contains((await studio.node("gunzip").boundingBox())!, spot)).toBe(true);

  // From an output that already feeds another, the node is still added, unwired, and the notice says why.
  const other = await emptySpot(page);
  await startWire(studio, "download", other);
  await page.mouse.up();
  await page.getByTestId("op-picker-search").fill("cpu");
  // Every op would be refused for the same reason (the wire itself): said once, above the list.
  await expect(page.getByTestId("op-picker-wire-refused")).toContainText('Won\'t connect: "download" already feeds "preprocess"');
  await expect(picker.locator(".op-picker-item.is-refused")).toHaveCount(0);
  await page.keyboard.press("Enter");
  await expect(studio.node("cpu")).toBeVisible();
  await expect(page.getByTestId("notice")).toContainText('Added "cpu" unconnected: "download" already feeds "preprocess"');
  await expect(page.locator('[data-testid^="queue-download->"]')).toHaveCount(1);

  // Out of an input the other way round: the sink cannot feed it; dropped in empty space, the op added feeds it.
  const before = await emptySpot(page);
  await startWire(studio, "cpu", before, "in");
  await expect(page.getByTestId("wire-refusal-sink")).toContainText('"sink" is the sink');
  await expect(studio.node("gunzip")).toHaveClass(/wire-target/);
  await page.mouse.up();
  await expect(picker).toContainText("Add before cpu");
  await page.keyboard.type("range");
  await page.keyboard.press("Enter");
  await expect(studio.queue("range", "cpu")).toBeVisible();
});

test("context menus: a node's (keyboard, duplicate, rename, concurrency), a wire's (insert a stage), the canvas's (select all, kept inside the window); greyed with the reason while a run locks the graph", async ({
  studio,
  page,
}) => {
  await studio.open();
  const menu = page.getByTestId("context-menu");

  // Keyboard: the menu has the keys as it opens; ArrowDown moves from Rename to Duplicate, Enter picks it.
  await studio.node("download").locator(".node-title").click({ button: "right" });
  await expect(menu).toBeVisible();
  await expect(menu).toBeFocused();
  await expect(page.getByTestId("menu-rename")).toHaveClass(/is-active/);
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("menu-duplicate")).toHaveClass(/is-active/);
  await page.keyboard.press("Enter");
  await expect(menu).toHaveCount(0);
  await expect(studio.node("download_2")).toBeVisible();

  // Rename asks in place; a taken name is refused with the reason, another applies.
  await studio.node("download_2").locator(".node-title").click({ button: "right" });
  await page.getByTestId("menu-rename").click();
  const name = page.getByTestId("menu-prompt-rename");
  await name.fill("preprocess");
  await name.press("Enter");
  await expect(menu.getByRole("alert")).toHaveText('"preprocess" is taken');
  await name.fill("fetch");
  await name.press("Enter");
  await expect(studio.node("fetch")).toBeVisible();
  await expect(menu).toHaveCount(0);

  // From the keyboard (Shift-F10): the selected node's menu; Escape closes it.
  await studio.selectNode("preprocess");
  await page.keyboard.press("Shift+F10");
  await expect(menu).toHaveAttribute("aria-label", "node preprocess");
  await page.keyboard.press("Escape");
  await expect(menu).toHaveCount(0);

  // Zoom to selection: the view centres on the node.
  await studio.node("urls").locator(".node-title").click({ button: "right" });
  await page.getByTestId("menu-zoom-selection").click();
  const canvas = (await page.locator(".react-flow__pane").boundingBox())!;
  await expect
    .poll(async () => Math.abs((await centre(studio.node("urls"))).x - (canvas.x + canvas.width / 2)))
    .toBeLessThan(canvas.width * 0.1);

  // Set concurrency: the slots follow.
  await studio.node("download").locator(".node-title").click({ button: "right" });
  await page.getByTestId("menu-concurrency").click();
  await page.getByTestId("menu-prompt-concurrency").fill("6");
  await page.getByTestId("menu-prompt-concurrency").press("Enter");
  await expect(page.locator('[data-testid="slots-download"] .slot')).toHaveCount(6);

  // Disconnect all, then undo.
  await studio.node("download").locator(".node-title").click({ button: "right" });
  await page.getByTestId("menu-disconnect-all").click();
  await expect(page.locator('[data-testid^="queue-download->"], [data-testid$="->download"]')).toHaveCount(0);
  await page.keyboard.press("Control+z");
  await expect(studio.queue("download", "preprocess")).toBeVisible();

  // A wire's menu: insert a stage on it through the picker.
  await studio.queue("download", "preprocess").click({ button: "right" });
  await page.getByTestId("menu-insert-stage").click();
  await expect(page.getByTestId("op-picker")).toContainText("Insert a stage on this wire");
  await page.keyboard.type("checksum");
  await page.keyboard.press("Enter");
  await expect(studio.queue("download", "sha256")).toBeVisible();
  await expect(studio.queue("sha256", "preprocess")).toBeVisible();
  // The new node sits where the wire was clicked, maybe over a neighbour (CI once found it over
  // urls' title): the canvas's Auto-layout spaces the nodes before the test clicks them again.
  const layoutSpot = await emptySpot(page);
  await page.mouse.click(layoutSpot.x, layoutSpot.y, { button: "right" });
  await page.getByTestId("menu-auto-layout").click();
  await expect(menu).toHaveCount(0);

  // The canvas's menu near the bottom-right corner stays inside the window; Select all selects every node; a click outside closes.
  const pane = (await page.locator(".react-flow__pane").boundingBox())!;
  const viewport = page.viewportSize()!;
  await page.mouse.click(pane.x + pane.width - 4, pane.y + pane.height - 4, { button: "right" });
  await expect(menu).toBeVisible();
  const box = (await menu.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  await expect(page.getByTestId("menu-paste")).toBeVisible();
  await page.getByTestId("menu-select-all").click();
  await expect(page.locator(".studio-node.is-selected")).toHaveCount(await page.locator(".studio-node").count());
  await page.mouse.click(pane.x + pane.width - 4, pane.y + pane.height - 4, { button: "right" });
  await page.getByTestId("palette-search").click();
  await expect(menu).toHaveCount(0);

  // Delete the copy (so the pipeline runs).
  await studio.clearSelection();
  await studio.node("fetch").locator(".node-title").click({ button: "right" });
  await page.getByTestId("menu-delete-node").click();
  await expect(studio.node("fetch")).toHaveCount(0);

  // While a run locks the graph: structural items greyed with the reason; the live knob is not; no quick-add.
  await studio.startLongRun();
  await studio.node("download").locator(".node-title").click({ button: "right" });
  await expect(page.getByTestId("menu-delete-node")).toHaveAttribute("aria-disabled", "true");
  await expect(page.getByTestId("menu-delete-node")).toContainText("Stop the run to change the graph");
  await expect(page.getByTestId("menu-duplicate")).toHaveAttribute("aria-disabled", "true");
  await expect(page.getByTestId("menu-concurrency")).toHaveAttribute("aria-disabled", "false");
  await expect(page.getByTestId("menu-profile-stage")).toContainText("a run is in progress");
  // A click on a greyed item does nothing (force: Playwright would wait for it to be enabled).
  await page.getByTestId("menu-delete-node").click({ force: true });
  await expect(studio.node("download")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveCount(0);
  const spot = await emptySpot(page);
  await page.mouse.dblclick(spot.x, spot.y);
  await expect(page.getByTestId("notice")).toContainText("Stop the run to change the graph");
  await expect(page.getByTestId("op-picker")).toHaveCount(0);
});

test("profile this stage from its context menu: only that stage is swept", async ({ studio, page }) => {
  await studio.open();
  await page.getByTestId("open-profile").click();
  await page.getByTestId("profile-max-concurrency").selectOption("4");
  await page.getByTestId("profile-step").selectOption("500");
  await studio.node("preprocess").locator(".node-title").click({ button: "right" });
  await page.getByTestId("menu-profile-stage").click();
  await expect(page.getByTestId("profile-done")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("profile-chart-preprocess")).toBeVisible();
  await expect(page.getByTestId("profile-chart-download")).toHaveCount(0);
});

test("find a node (Ctrl/Cmd-F): matches listed, Enter zooms to the next and selects it, n of m; the palette finds ops by synonym", async ({
  studio,
  page,
}) => {
  await studio.open();
  await page.locator(".react-flow__pane").click({ position: { x: 30, y: 30 } });
  await page.keyboard.press("Control+f");
  const search = page.getByTestId("graph-search");
  await expect(page.getByTestId("graph-search-input")).toBeFocused();
  // "load" is part of download's name; "cpu" is preprocess's op.
  await page.keyboard.type("cpu");
  await expect(search.locator("li")).toHaveText([/preprocess/]);
  await expect(page.getByTestId("graph-search-count")).toHaveText("1 match");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("graph-search-count")).toHaveText("1 of 1");
  await expect(studio.node("preprocess")).toHaveClass(/is-selected/);
  await expect(page.getByTestId("node-inspector")).toContainText("preprocess");
  // Zoomed to it: the node is near the middle of the canvas.
  const pane = (await page.locator(".react-flow__pane").boundingBox())!;
  const node = await centre(studio.node("preprocess"));
  expect(Math.abs(node.x - (pane.x + pane.width / 2))).toBeLessThan(pane.width * 0.2);

  await page.getByTestId("graph-search-input").fill("s");
  const matches = await search.locator("li").count();
  expect(matches).toBeGreaterThan(1);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("graph-search-count")).toHaveText(`1 of ${matches}`);
  await page.getByTestId("graph-search-next").click();
  await expect(page.getByTestId("graph-search-count")).toHaveText(`2 of ${matches}`);
  const second = (await search.locator("li.is-active .graph-search-name").textContent())!;
  await expect(studio.node(second)).toHaveClass(/is-selected/);
  await page.getByTestId("graph-search-prev").click();
  await expect(page.getByTestId("graph-search-count")).toHaveText(`1 of ${matches}`);
  await page.getByTestId("graph-search-input").press("Escape");
  await expect(search).toHaveCount(0);

  // The palette's search matches synonyms and descriptions too.
  await page.getByTestId("palette-search").fill("hash");
  await expect(page.getByTestId("palette-sha256")).toBeVisible();
  await expect(page.getByTestId("palette-gzip")).toHaveCount(0);
  await page.getByTestId("palette-search").fill("unzip");
  await expect(page.getByTestId("palette-gunzip")).toBeVisible();
  await expect(page.locator(".palette-item")).toHaveCount(1);
});

test("deleting a route's wire from its menu removes that path and numbers the later ones down", async ({ studio, page }) => {
  await studio.open();
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByTestId("example-route-by-kind").click();
  await expect(studio.node("byKind")).toBeVisible();
  await page.getByTestId("queue-byKind->resizeThumb#0").click({ button: "right" });
  await page.getByTestId("menu-delete-edge").click();
  await expect(page.getByTestId("queue-byKind->resizeThumb#0")).toHaveCount(0);
  await expect(page.getByTestId("queue-byKind->decodePhoto#0")).toBeVisible();
  await expect(page.getByTestId("queue-byKind->transcodeVideo#1")).toBeVisible();
});
