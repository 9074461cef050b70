import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures.js";

type Rgb = [number, number, number];

/** The colour an element shows behind it: its own background, else the first ancestor's that is not transparent. */
async function backgroundOf(locator: Locator): Promise<Rgb> {
  const css = await locator.evaluate((element) => {
    for (let node: Element | null = element; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (colour && colour !== "transparent" && !/rgba\(.*,\s*0\)$/.test(colour)) return colour;
    }
    return "rgb(255, 255, 255)";
  });
  return parse(css);
}

const textOf = async (locator: Locator): Promise<Rgb> => parse(await locator.evaluate((element) => getComputedStyle(element).color));

function parse(css: string): Rgb {
  const parts = /rgba?\(([^)]+)\)/
    .exec(css)?.[1]
    ?.split(",")
    .map((p) => Number(p.trim()));
  if (!parts || parts.length < 3) throw new Error(`not an rgb colour: ${css}`);
  return [parts[0]!, parts[1]!, parts[2]!];
}

/** WCAG 2 relative luminance and contrast ratio, computed here rather than trusted from the app. */
function luminance([r, g, b]: Rgb): number {
  const [lr, lg, lb] = [r, g, b].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
}
function contrast(a: Rgb, b: Rgb): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

/** Runs the seed example to its end, opens the shortcut help, and returns what to read colours from. */
async function showEverything(studio: { open(): Promise<void>; runButton: Locator; runState: Locator }, page: Page) {
  await studio.open();
  await studio.runButton.click();
  await expect(studio.runState).toHaveText(/completed/);
  const chart = page.getByTestId("chart-throughput");
  await expect(chart.locator(".u-legend tr.u-series:not(:first-child) .u-marker").first()).toBeVisible();
  await page.keyboard.press("Shift+?");
  const dialog = page.getByTestId("shortcuts-dialog");
  await expect(dialog).toBeVisible();
  return {
    canvas: page.locator(".react-flow"),
    node: page.getByTestId("node-download"),
    nodeTitle: page.getByTestId("node-download").locator(".node-title"),
    dialog,
    dialogText: dialog.locator("td").first(),
    chart,
    chartLegend: chart.locator(".u-legend .u-label").nth(1),
    chartLines: chart.locator(".u-legend tr.u-series:not(:first-child) .u-marker"),
    inspector: page.getByTestId("node-inspector").or(page.getByTestId("pipeline-inspector")),
  };
}

/** The background behind the canvas, a node, a dialog, a chart and the inspector. */
async function panelBackgrounds(parts: Awaited<ReturnType<typeof showEverything>>): Promise<[string, Rgb][]> {
  const { canvas, node, dialog, chart, inspector } = parts;
  const named = Object.entries({ canvas, node, dialog, chart, inspector });
  return Promise.all(named.map(async ([name, locator]): Promise<[string, Rgb]> => [name, await backgroundOf(locator)]));
}

test("dark mode follows the system: canvas, nodes, dialogs, charts and inspector go dark, text keeps ≥ 4.5:1", async ({ studio, page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  const parts = await showEverything(studio, page);

  for (const [name, background] of await panelBackgrounds(parts)) {
    expect(luminance(background), `${name} background ${background.join(",")}`).toBeLessThan(0.05);
  }
  for (const [name, text, on] of [
    ["node title", parts.nodeTitle, parts.node],
    ["dialog text", parts.dialogText, parts.dialog],
    ["chart legend", parts.chartLegend, parts.chart],
  ] as const) {
    const ratio = contrast(await textOf(text), await backgroundOf(on));
    expect(ratio, `${name}: contrast ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(4.5);
  }
  // The charts' axis labels (drawn by uPlot in the stylesheet's --chart-axis) and every line (≥ 3:1, graphics).
  const chartBackground = await backgroundOf(parts.chart);
  const axis = parse(
    await page.evaluate(() => {
      const probe = document.createElement("span");
      probe.style.color = getComputedStyle(document.documentElement).getPropertyValue("--chart-axis");
      document.body.appendChild(probe);
      const colour = getComputedStyle(probe).color;
      probe.remove();
      return colour;
    }),
  );
  expect(contrast(axis, chartBackground)).toBeGreaterThanOrEqual(4.5);
  const lines = await parts.chartLines.evaluateAll((markers) =>
    markers.map((marker) => getComputedStyle(marker).borderTopColor || getComputedStyle(marker).backgroundColor),
  );
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(contrast(parse(line), chartBackground), `line ${line}`).toBeGreaterThanOrEqual(3);
});

test("light stays light", async ({ studio, page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  const parts = await showEverything(studio, page);
  for (const [name, background] of await panelBackgrounds(parts)) {
    expect(luminance(background), `${name} background ${background.join(",")}`).toBeGreaterThan(0.8);
  }
  const ratio = contrast(await textOf(parts.nodeTitle), await backgroundOf(parts.node));
  expect(ratio).toBeGreaterThanOrEqual(4.5);
});
