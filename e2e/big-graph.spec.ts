import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { longChainFile } from "../bench/chainFile.js";
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
  await expect(page.locator(".react-flow__node")).toHaveCount(stages + 2);
  return dir;
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
        const boxes = await page.locator(".react-flow__node").evaluateAll((nodes) =>
          nodes.map((node) => {
            const box = node.getBoundingClientRect();
            return { x: Math.round(box.x), y: Math.round(box.y), right: box.right, bottom: box.bottom };
          }),
        );
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
    // Zoomed out that far, each node is its name and two bars (level of detail).
    await expect(page.locator(".studio-node--compact")).toHaveCount(52);
    await expect(page.getByTestId("util-step1")).toBeVisible();
    await expect(page.getByTestId("qfill-step1")).toBeVisible();
    // A wire from afar starts and ends where the nodes' handles are, though no handle is shown
    // (the pointer off the canvas: the Open dialog's button may have left it on a node).
    await page.mouse.move(1, 1);
    await expect(page.getByTestId("handle-out-step10")).toBeHidden();
    const ends = await page.getByTestId("rf__edge-step10->step11").evaluate((edge) => {
      const path = edge.querySelector<SVGPathElement>("path.react-flow__edge-path")!;
      const matrix = path.getScreenCTM()!;
      const at = (length: number) => new DOMPoint(path.getPointAtLength(length).x, path.getPointAtLength(length).y).matrixTransform(matrix);
      const centre = (testId: string) => {
        const box = document.querySelector(`[data-testid="${testId}"]`)!.getBoundingClientRect();
        return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      };
      const [start, end] = [at(0), at(path.getTotalLength())];
      const [out, into] = [centre("handle-out-step10"), centre("handle-in-step11")];
      return Math.max(Math.hypot(start.x - out.x, start.y - out.y), Math.hypot(end.x - into.x, end.y - into.y));
    });
    expect(ends).toBeLessThan(3);
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
    await expect
      .poll(async () =>
        page.locator(".react-flow__node").evaluateAll(
          (nodes, map) =>
            nodes.filter((node) => {
              const box = node.getBoundingClientRect();
              return box.right > map.x && box.x < map.x + map.width && box.bottom > map.y && box.y < map.y + map.height;
            }).length,
          minimap,
        ),
      )
      .toBe(0);
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
    await expect
      .poll(async () =>
        page.locator(".react-flow__node").evaluateAll(
          (nodes, box) =>
            nodes.filter((node) => {
              const r = node.getBoundingClientRect();
              return r.x < box.x - 1 || r.right > box.x + box.width + 1 || r.y < box.y - 1 || r.bottom > box.y + box.height + 1;
            }).length,
          canvas,
        ),
      )
      .toBe(0);
    await expect(page.locator(".studio-node--compact")).toHaveCount(202);
    // From afar a node's handles show on the node pointed at, where a wire would start.
    await expect(page.getByTestId("handle-out-step100")).toBeHidden();
    await page.getByTestId("node-step100").hover();
    await expect(page.getByTestId("handle-out-step100")).toBeVisible();
    await studio.runButton.click();
    await expect.poll(async () => Number(await studio.delivered.textContent())).toBeGreaterThan(0);
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
    await expect(page.locator(".studio-node--compact")).toHaveCount(52);
    await expect(page.getByTestId("rf__edge-step10->step11")).toHaveCount(0);
    await studio.validationSettled();
    // Pointed at, the node shows its output handle, where the wire starts.
    await page.getByTestId("node-step10").hover();
    const out = page.getByTestId("handle-out-step10");
    await expect(out).toBeVisible();
    const a = await stableBox(out);
    const b = await stableBox(page.getByTestId("handle-in-step11"));
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect(page.getByTestId("rf__edge-step10->step11")).toHaveCount(1);
    await expect(page.getByTestId("dirty-dot")).toHaveCount(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
