import { expect, test } from "./fixtures.js";
import { COMPACT_BELOW_ZOOM } from "../renderer/canvas/fitView.js";

test.use({ viewport: { width: 1280, height: 720 } });

/** The canvas's zoom, read back from React Flow's viewport transform. */
async function zoom(page: import("@playwright/test").Page): Promise<number> {
  return page.locator(".react-flow__viewport").evaluate((viewport) => new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a);
}

test("a small graph (route-by-kind, 7 nodes) opens at a readable zoom, nodes in full, no minimap over them", async ({ studio, page }) => {
  await studio.open();
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByTestId("example-route-by-kind").click();
  await expect(page.locator(".react-flow__node")).toHaveCount(7);
  await expect.poll(() => zoom(page)).toBeGreaterThanOrEqual(COMPACT_BELOW_ZOOM);
  await expect(page.locator(".studio-node--compact")).toHaveCount(0);
  await expect(page.locator(".react-flow__minimap")).toHaveCount(0);
  // The fit button keeps it readable too.
  await page.locator(".react-flow__controls-fitview").click();
  await expect.poll(() => zoom(page)).toBeGreaterThanOrEqual(COMPACT_BELOW_ZOOM);
  await expect(page.locator(".studio-node--compact")).toHaveCount(0);
});
