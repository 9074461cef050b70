import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures.js";

/** The legend names of a chart's lines (uPlot's first row is the time axis, hidden). */
const legendLabels = (chart: Locator): Locator => chart.locator(".u-legend tr.u-series:not(:first-child) .u-label");
const legendRow = (chart: Locator, label: string): Locator =>
  chart.locator(".u-legend tr.u-series").filter({ has: chart.page().locator(".u-label", { hasText: new RegExp(`^${label}$`) }) });

/** Pixels of `hex` colour on a chart's canvas: proof that uPlot drew that line. */
async function pixelsOfColour(page: Page, testId: string, hex: string): Promise<number> {
  return page
    .getByTestId(testId)
    .locator("canvas")
    .evaluate((canvas: HTMLCanvasElement, colour: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
      const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 200 && Math.abs(data[i] - r) < 12 && Math.abs(data[i + 1] - g) < 12 && Math.abs(data[i + 2] - b) < 12) count++;
      }
      return count;
    }, hex);
}

test("live charts: throughput, queue depth and pool threads chart the run; hovering a stage highlights its lines", async ({
  studio,
  page,
}, testInfo) => {
  // uPlot must work under the app's strict CSP: no refused style or script along the way.
  const cspViolations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await studio.open();
  const panel = page.getByTestId("charts-panel");
  await expect(panel).toBeVisible();
  await expect(page.getByTestId("charts-empty")).toBeVisible();

  await studio.runButton.click();
  const throughput = page.getByTestId("chart-throughput");
  const queues = page.getByTestId("chart-queues");
  const pool = page.getByTestId("chart-pool");
  await expect(throughput.locator(".uplot")).toBeVisible();
  await expect(queues.locator(".uplot")).toBeVisible();
  await expect(pool.locator(".uplot")).toBeVisible();

  // Legends name the stages, the edges (as the graph labels them) and the pool's threads.
  await expect(legendLabels(throughput)).toHaveText(["urls", "download", "preprocess"]);
  await expect(legendLabels(queues)).toHaveText(["urls → download", "download → preprocess", "preprocess → sink"]);
  await expect(legendLabels(pool)).toHaveText(["busy threads", "waiting tasks", "numThreads"]);

  // Samples arrive at ~10 Hz and every chart draws them.
  await expect
    .poll(async () => Number(await throughput.locator(".uplot").getAttribute("data-points")), { timeout: 5_000 })
    .toBeGreaterThan(5);
  await expect(legendRow(throughput, "download").locator(".u-value")).toHaveText(/^\d+(\.\d)?$/);
  await expect(legendRow(pool, "numThreads").locator(".u-value")).toHaveText("3");

  // An edge label carries a sparkline of its queue's depth.
  const sparkline = page.getByTestId("sparkline-download->preprocess");
  await expect(sparkline).toBeVisible();
  await expect.poll(async () => Number(await sparkline.getAttribute("data-points"))).toBeGreaterThan(2);
  await expect(sparkline.locator("polyline")).toHaveAttribute("points", /^[\d.]+,[\d.]+( [\d.]+,[\d.]+)+$/);
  await studio.queue("download", "preprocess").screenshot({ path: testInfo.outputPath("queue-sparkline.png") });

  await expect(studio.delivered).toHaveText("200", { timeout: 20_000 });
  await expect(studio.runState).toHaveText("completed");
  // The run is over; its history stays on screen. Each stage's line is on the canvas in its colour (download orange, preprocess green).
  expect(await pixelsOfColour(page, "chart-throughput", "#f28e2b")).toBeGreaterThan(20);
  expect(await pixelsOfColour(page, "chart-throughput", "#59a14f")).toBeGreaterThan(20);
  expect(await pixelsOfColour(page, "chart-pool", "#3b6fd8")).toBeGreaterThan(20);
  await expect(legendRow(throughput, "preprocess").locator(".u-value")).not.toHaveText("–");
  await expect(sparkline).toBeVisible();

  // Pointing at the preprocess node brings its lines forward on the charts and fades the others.
  await studio.node("preprocess").locator(".node-title").hover();
  await expect(legendRow(throughput, "preprocess")).toHaveClass(/is-focused/);
  await expect(legendRow(throughput, "download")).toHaveClass(/is-dimmed/);
  await expect(legendRow(throughput, "download")).toHaveCSS("opacity", "0.2");
  await expect(legendRow(throughput, "preprocess")).toHaveCSS("opacity", "1");
  await expect(legendRow(queues, "download → preprocess")).toHaveClass(/is-focused/);
  await expect(legendRow(queues, "urls → download")).toHaveClass(/is-dimmed/);
  // Drawn dimmer too: fewer full-strength download pixels than before.
  expect(await pixelsOfColour(page, "chart-throughput", "#f28e2b")).toBeLessThan(5);
  await page.screenshot({ path: testInfo.outputPath("live-charts.png") });
  await page.screenshot({ path: "test-results/screenshots/live-charts.png" });

  // Moving away restores every line.
  await page.locator(".react-flow__pane").hover({ position: { x: 20, y: 20 } });
  await expect(throughput.locator(".u-legend tr.is-dimmed")).toHaveCount(0);

  // Dragging a node keeps its stage in focus: the pointer passing over another node on the way
  // (the dragged node lags it) changes nothing, so the charts are not redrawn at every slip.
  await studio.node("preprocess").locator(".node-title").hover();
  await expect(legendRow(throughput, "preprocess")).toHaveClass(/is-focused/);
  const onto = await studio.node("download").boundingBox();
  if (!onto) throw new Error("no download node");
  // Whether the download node is outlined (hovered) at any moment of the drag, not only at its end.
  await studio.node("download").evaluate((node) => {
    const seen = window as unknown as { downloadHovered: boolean };
    seen.downloadHovered = false;
    new MutationObserver(() => {
      if (node.getAttribute("data-hovered") === "true") seen.downloadHovered = true;
    }).observe(node, { attributes: true, attributeFilter: ["data-hovered"] });
  });
  const from = await studio.node("preprocess").locator(".node-title").boundingBox();
  if (!from) throw new Error("no preprocess title");
  await page.mouse.down();
  // The drag under way (a few pixels), then one jump: the pointer lands on the download node
  // before the dragged node catches up with it.
  await page.mouse.move(from.x + from.width / 2 + 6, from.y + from.height / 2, { steps: 3 });
  await page.mouse.move(onto.x + onto.width / 2, onto.y + onto.height / 2);
  await page.mouse.move(onto.x + onto.width / 2 + 10, onto.y + onto.height / 2, { steps: 4 });
  await expect(legendRow(throughput, "preprocess")).toHaveClass(/is-focused/);
  expect(await page.evaluate(() => (window as unknown as { downloadHovered: boolean }).downloadHovered)).toBe(false);
  await page.mouse.up();
  await page.keyboard.press("Control+z");
  await page.locator(".react-flow__pane").hover({ position: { x: 20, y: 20 } });
  await expect(throughput.locator(".u-legend tr.is-dimmed")).toHaveCount(0);

  // The other way round: pointing at a chart's legend entry outlines that stage's node.
  await legendRow(throughput, "download").locator(".u-label").hover();
  await expect(studio.node("download")).toHaveAttribute("data-hovered", "true");
  await expect(legendRow(throughput, "preprocess")).toHaveClass(/is-dimmed/);
  await page.locator(".react-flow__pane").hover({ position: { x: 20, y: 20 } });

  // Collapsing the panel gives the graph the room; opening it brings the charts back with their data.
  await page.getByTestId("charts-toggle").click();
  await expect(throughput).toHaveCount(0);
  await page.getByTestId("charts-toggle").click();
  await expect(legendLabels(page.getByTestId("chart-throughput"))).toHaveText(["urls", "download", "preprocess"]);
  await expect(page.getByTestId("chart-throughput").locator(".uplot")).toHaveAttribute("data-points", /^[1-9]\d*$/);

  // Dragging the panel's top edge up makes it taller, and the charts grow with it.
  const plotHeight = () =>
    page
      .getByTestId("chart-throughput")
      .locator(".uplot canvas")
      .evaluate((c: HTMLCanvasElement) => c.getBoundingClientRect().height);
  const panelBefore = (await panel.boundingBox())!;
  const canvasBefore = await plotHeight();
  const handle = (await page.getByRole("separator", { name: "Resize the charts panel" }).boundingBox())!;
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x + handle.width / 2, handle.y - 100, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await panel.boundingBox())!.height).toBeGreaterThan(panelBefore.height + 80);
  await expect.poll(plotHeight).toBeGreaterThan(canvasBefore + 80);
  expect(cspViolations).toEqual([]);
});
