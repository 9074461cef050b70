import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { longChainFile } from "../bench/chainFile.js";
import { centreOf, nodeBoxesInPage, nodesDrawnInPage, type NodeBox } from "../bench/uiMeasure.js";
import { expect, stableBox, test, type Studio } from "./fixtures.js";

/**
 * Writes a chain of `stages` (changed by `edit`) to a temporary folder and opens it as a user
 * does (Open, its path); returns the folder.
 */
async function openChain(studio: Studio, page: Page, stages: number, edit: (file: Chain) => Chain = (file) => file): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "studio-e2e-big-"));
  const file = join(dir, "chain.pipeline.json");
  writeFileSync(file, JSON.stringify(edit(longChainFile(stages) as Chain)));
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByTestId("open-path-input").fill(file);
  await page.getByTestId("open-dialog").getByRole("button", { name: "Open", exact: true }).click();
  await page.waitForFunction(nodesDrawnInPage, stages + 2);
  return dir;
}

/** Where each node is drawn on the screen: React Flow's element, or from afar the compact layer's drawing. */
const drawnBoxes = (page: Page): Promise<NodeBox[]> => page.evaluate(nodeBoxesInPage);

async function drawnBox(page: Page, id: string): Promise<NodeBox> {
  const box = (await drawnBoxes(page)).find((b) => b.id === id);
  if (!box) throw new Error(`${id} is not drawn`);
  return box;
}

/** Points at a node as a user does, where it is drawn; from afar that hands it to React Flow (its element, handles live). */
async function pointAt(page: Page, id: string): Promise<void> {
  const centre = centreOf(await drawnBox(page, id));
  await page.mouse.move(centre.x, centre.y);
  await expect(page.getByTestId(`node-${id}`)).toBeVisible();
}

type Chain = { edges: { from: string; to: string }[] } & Record<string, unknown>;

test.use({ viewport: { width: 1280, height: 720 } });

test("a 50-stage file without positions opens laid out in rows that fit the window; the empty charts panel stays one line", async ({
  studio,
  page,
}) => {
  await studio.open();
  // The seed example at its own zoom: nodes in full.
  await expect(page.locator(".studio-node--compact")).toHaveCount(0);
  const dir = await openChain(studio, page, 50);
  try {
    const canvas = await page.getByTestId("canvas").boundingBox();
    if (!canvas) throw new Error("no canvas");
    // Laid out (not stacked at one point), in several rows, every node inside the canvas once fitted.
    await expect
      .poll(async () => {
        const boxes = (await drawnBoxes(page)).map((box) => ({
          x: Math.round(box.x),
          y: Math.round(box.y),
          right: box.x + box.width,
          bottom: box.y + box.height,
        }));
        const rows = new Set(boxes.map((box) => Math.round(box.y / 10))).size;
        const inside = boxes.every(
          (box) =>
            box.x >= canvas.x - 1 &&
            box.right <= canvas.x + canvas.width + 1 &&
            box.y >= canvas.y - 1 &&
            box.bottom <= canvas.y + canvas.height + 1,
        );
        const columns = new Set(boxes.map((box) => box.x)).size;
        return { rows: rows >= 3, inside, spread: columns > 5 };
      })
      .toEqual({ rows: true, inside: true, spread: true });
    // Zoomed out that far, the graph is drawn on one canvas (level of detail): each node its name
    // and two bars, every wire; React Flow draws no element for any of them (the pointer off the
    // canvas: the Open dialog's button may have left it on a node).
    await page.mouse.move(1, 1);
    await expect(page.getByTestId("compact-layer").locator("li[data-box]")).toHaveCount(52);
    await expect(page.getByTestId("compact-layer").locator("li[data-testid^='compact-wire-']")).toHaveCount(51);
    await expect(page.locator(".react-flow__node")).toHaveCount(0);
    await expect(page.getByTestId("compact-node-step1")).toHaveAttribute("data-busy", "0");
    await expect(page.getByTestId("compact-node-step1")).toHaveAttribute("data-fill", "0");
    // Pointed at, the node is React Flow's, drawn compact exactly over its drawing, its handles
    // live where its wires start and end; its neighbours (the other ends of its wires) too.
    await pointAt(page, "step10");
    const node = page.getByTestId("node-step10");
    await expect(node).toHaveClass(/studio-node--compact/);
    await expect(page.getByTestId("util-step10")).toBeVisible();
    await expect(page.getByTestId("qfill-step10")).toBeVisible();
    const [drawn, element] = [await drawnBox(page, "step10"), await stableBox(node)];
    expect(Math.max(...(["x", "y", "width", "height"] as const).map((k) => Math.abs(drawn[k] - element[k])))).toBeLessThan(1);
    await expect(page.getByTestId("handle-out-step10")).toBeVisible();
    await expect(page.locator(".react-flow__node")).toHaveCount(3);
    const ends = await page.getByTestId("rf__edge-step10->step11").evaluate((edge) => {
      const path = edge.querySelector<SVGPathElement>("path.react-flow__edge-path")!;
      const matrix = path.getScreenCTM()!;
      const at = (length: number) => new DOMPoint(path.getPointAtLength(length).x, path.getPointAtLength(length).y).matrixTransform(matrix);
      const out = document.querySelector('[data-testid="handle-out-step10"]')!.getBoundingClientRect();
      const start = at(0);
      // React Flow starts a wire at its handle's outer edge, half way down.
      return Math.hypot(start.x - out.right, start.y - (out.y + out.height / 2));
    });
    expect(ends).toBeLessThan(3);
    // Pointed away, it is drawn on the canvas again.
    await page.mouse.move(1, 1);
    await expect(page.locator(".react-flow__node")).toHaveCount(0);
    // Opening laid it out without an unsaved change.
    await expect(page.getByTestId("dirty-dot")).toHaveCount(0);
    // Nothing to chart yet: the panel is a line, not half the window.
    const charts = await page.getByTestId("charts-panel").boundingBox();
    expect(charts!.height).toBeLessThan(720 * 0.15);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("fitted, a 50-stage graph keeps clear of the minimap, which draws every node", async ({ studio, page }) => {
  await studio.open();
  const dir = await openChain(studio, page, 50);
  try {
    await expect(page.locator(".react-flow__minimap-node")).toHaveCount(52);
    const minimap = await page.locator(".react-flow__minimap").boundingBox();
    if (!minimap) throw new Error("no minimap");
    const under = (box: NodeBox) =>
      box.x + box.width > minimap.x &&
      box.x < minimap.x + minimap.width &&
      box.y + box.height > minimap.y &&
      box.y < minimap.y + minimap.height;
    await expect.poll(async () => (await drawnBoxes(page)).filter(under).length).toBe(0);
    // Dragged, the minimap pans the view.
    const before = await page.getByTestId("compact-layer").getAttribute("data-transform");
    await page.mouse.move(minimap.x + minimap.width / 2, minimap.y + minimap.height / 2);
    await page.mouse.down();
    await page.mouse.move(minimap.x + minimap.width / 2 + 20, minimap.y + minimap.height / 2 + 10, { steps: 4 });
    await page.mouse.up();
    await expect(page.getByTestId("compact-layer")).not.toHaveAttribute("data-transform", before ?? "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a 200-stage file opens laid out and fitted (every node inside the canvas, compact) and runs, the charts opening", async ({
  studio,
  page,
}) => {
  await studio.open();
  const dir = await openChain(studio, page, 200);
  try {
    const canvas = await page.getByTestId("canvas").boundingBox();
    if (!canvas) throw new Error("no canvas");
    const outside = (r: NodeBox) =>
      r.x < canvas.x - 1 ||
      r.x + r.width > canvas.x + canvas.width + 1 ||
      r.y < canvas.y - 1 ||
      r.y + r.height > canvas.y + canvas.height + 1;
    await expect.poll(async () => (await drawnBoxes(page)).filter(outside).length).toBe(0);
    await expect(page.getByTestId("compact-layer").locator("li[data-box]")).toHaveCount(202);
    // From afar a node's handles show on the node pointed at, where a wire would start.
    await expect(page.getByTestId("handle-out-step100")).toHaveCount(0);
    await pointAt(page, "step100");
    await expect(page.getByTestId("handle-out-step100")).toBeVisible();
    await studio.runButton.click();
    await expect.poll(async () => Number(await studio.delivered.textContent())).toBeGreaterThan(0);
    // The layer draws the run: some stage's slots were busy.
    await expect
      .poll(
        async () =>
          await page
            .getByTestId("compact-layer")
            .locator("li[data-busy]")
            .evaluateAll((entries) => entries.filter((e) => Number(e.getAttribute("data-busy")) > 0).length),
      )
      .toBeGreaterThan(0);
    await expect(page.getByTestId("charts-panel")).toHaveClass(/is-open/);
    // A chart with a line per stage names its highest lines only, and how many it leaves out.
    const throughput = page.getByTestId("chart-throughput");
    const legend = throughput.getByTestId("short-legend");
    const more = legend.locator(".short-legend-more");
    await expect(more).toBeVisible();
    await expect(more).toHaveText(/^\+\d+ more$/);
    const named = await legend.getByTestId("short-legend-entry").count();
    expect(named).toBeGreaterThanOrEqual(1);
    expect(named).toBeLessThanOrEqual(6);
    // Every stage's line is either named or counted (the source's and the 200 steps').
    expect(named + Number((await more.textContent())!.replace(/\D/g, ""))).toBe(201);
    for (const shown of await legend.getByTestId("short-legend-entry").all()) await expect(shown).toBeVisible();
    await expect(throughput.locator(".u-legend")).toHaveCount(0);
    // Pointing at an entry brings its stage forward: the node is outlined, the entry marked. The
    // legend re-sorts once a second until the pointer rests on it, then holds still: the entry is
    // read once the pointer is on the legend (a refresh between reading it and pointing at it
    // would put another stage under the pointer).
    await legend.getByTestId("short-legend-entry").first().hover();
    const entry = legend.getByTestId("short-legend-entry").first();
    await entry.hover();
    const stage = await entry.getAttribute("data-stage");
    await expect(page.getByTestId(`node-${stage}`)).toHaveAttribute("data-hovered", "true");
    await expect(entry).toHaveClass(/is-focused/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("from afar, a wire is drawn from a node's output to another's input", async ({ studio, page }) => {
  await studio.open();
  // The chain without its step10 → step11 queue.
  const dir = await openChain(studio, page, 50, (chain) => ({
    ...chain,
    edges: chain.edges.filter((edge) => !(edge.from === "step10" && edge.to === "step11")),
  }));
  try {
    await expect(page.getByTestId("compact-layer").locator("li[data-box]")).toHaveCount(52);
    await expect(page.getByTestId("compact-wire-step10->step11")).toHaveCount(0);
    await studio.validationSettled();
    // Pointed at, the node shows its output handle, where the wire starts; it is let go on the
    // input of step11, drawn on the canvas (a wire dropped anywhere on a node connects).
    await pointAt(page, "step10");
    const out = page.getByTestId("handle-out-step10");
    await expect(out).toBeVisible();
    const a = await stableBox(out);
    const target = await drawnBox(page, "step11");
    const b = { x: target.x + 4, y: target.y + target.height / 2 };
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
    await page.mouse.move(b.x, b.y, { steps: 5 });
    await page.mouse.up();
    await expect(page.getByTestId("compact-wire-step10->step11")).toHaveCount(1);
    await expect(page.getByTestId("dirty-dot")).toHaveCount(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("from afar, a box drawn with Shift selects the nodes inside it, and a wire is selected and right-clicked where it is drawn", async ({
  studio,
  page,
}) => {
  await studio.open();
  const dir = await openChain(studio, page, 50);
  try {
    await page.mouse.move(1, 1);
    await expect(page.locator(".react-flow__node")).toHaveCount(0);
    // Two nodes side by side in a row: a box round them both, started and ended in empty canvas.
    const [one, two] = [await drawnBox(page, "step2"), await drawnBox(page, "step3")];
    expect(Math.abs(one.y - two.y)).toBeLessThan(1);
    const gap = (two.x - (one.x + one.width)) / 2;
    await page.keyboard.down("Shift");
    await page.mouse.move(one.x - gap, one.y - 4);
    await page.mouse.down();
    await page.mouse.move(two.x + two.width + gap, two.y + two.height + 4, { steps: 6 });
    await page.mouse.up();
    await page.keyboard.up("Shift");
    await expect(page.getByTestId("node-step2")).toHaveClass(/is-selected/);
    await expect(page.getByTestId("node-step3")).toHaveClass(/is-selected/);
    await expect(page.locator(".studio-node.is-selected")).toHaveCount(2);
    // A click in empty canvas clears it; the nodes go back to the canvas.
    await page.mouse.click(one.x - gap, one.y - 4);
    await expect(page.locator(".studio-node.is-selected")).toHaveCount(0);
    await page.mouse.move(1, 1);
    await expect(page.locator(".react-flow__node")).toHaveCount(0);
    // The wire step2 → step3, half way between the two (React Flow's bezier passes there).
    const middle = { x: (one.x + one.width + two.x) / 2, y: one.y + one.height / 2 };
    await page.mouse.click(middle.x, middle.y);
    await expect(page.getByTestId("compact-wire-step2->step3")).toHaveAttribute("data-selected", "true");
    await page.mouse.click(middle.x, middle.y, { button: "right" });
    await expect(page.getByTestId("context-menu")).toBeVisible();
    await page.getByTestId("menu-delete-edge").click();
    await expect(page.getByTestId("compact-wire-step2->step3")).toHaveCount(0);
    await expect(page.getByTestId("dirty-dot")).toHaveCount(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
