import { expect, test } from "./fixtures.js";

test("draw a route with two paths that meet again, run it and watch the items split and meet", async ({ studio, page }, testInfo) => {
  await studio.open();
  await studio.newPipeline();
  // New keeps the zoom the seed example was fitted at (near 1: a small graph is fitted readable);
  // one step out, six nodes side by side fit the canvas's width without overlapping.
  await page.locator(".react-flow__controls-zoomout").click();

  // Within the canvas's width beside the palette and the inspector (about 900 px).
  await studio.dragOp("range", 60, 220);
  await studio.dragOp("routeBy", 250, 220);
  await studio.dragOp("sleep", 450, 110);
  await studio.dragOp("cpu", 450, 340);
  await studio.dragOp("jsonStringify", 650, 220);
  await studio.dragOp("sink", 830, 220);
  // The route offers two paths and no more until both are drawn.
  await expect(page.locator('[data-testid^="handle-out-routeBy-"]')).toHaveCount(2);

  await studio.connect("range", "routeBy");
  await studio.connect("routeBy", "sleep", 0);
  await studio.connect("routeBy", "cpu", 1);
  // Both paths drawn: a spare handle offers a third.
  await expect(page.locator('[data-testid^="handle-out-routeBy-"]')).toHaveCount(3);
  await studio.connect("sleep", "jsonStringify");
  await studio.connect("cpu", "jsonStringify");
  await studio.connect("jsonStringify", "sink");
  await studio.validationSettled();
  await expect(page.locator(".problem-marker")).toHaveCount(0);

  // The inspector lists the route's paths.
  await studio.selectNode("routeBy");
  await expect(page.getByTestId("route-paths")).toContainText("path 0 → sleep");
  await expect(page.getByTestId("route-paths")).toContainText("path 1 → cpu");
  // Every wire along a path wears the path's colour, up to where the paths meet; none past it.
  const wire = (id: string) => page.locator(`[data-testid="rf__edge-${id}"] path.queue-edge`);
  await expect(wire("sleep->jsonStringify")).toHaveClass(/queue-edge--path-0/);
  await expect(wire("cpu->jsonStringify")).toHaveClass(/queue-edge--path-1/);
  await expect(wire("jsonStringify->sink")).not.toHaveClass(/queue-edge--path-/);
  // A third path from the inspector: empty, straight to where the paths meet; removed again.
  await page.getByTestId("add-path").click();
  await expect(page.getByTestId("route-paths")).toContainText("path 2 → jsonStringify");
  await expect(wire("routeBy->jsonStringify#2")).toHaveClass(/queue-edge--path-2/);
  await page.getByTestId("remove-path-2").click();
  await expect(page.getByTestId("route-paths")).not.toContainText("path 2");
  await studio.clearSelection();

  await expect(studio.runButton).toBeEnabled();
  await studio.runButton.click();
  await expect(studio.delivered).toHaveText("100", { timeout: 30_000 });
  await expect(studio.runState).toHaveText("completed");
  // routeBy's default spreads integers by value mod 2: half down each path, and all of them met again.
  await expect(page.getByTestId("routed-routeBy-0")).toHaveAttribute("data-count", "50");
  await expect(page.getByTestId("routed-routeBy-1")).toHaveAttribute("data-count", "50");
  await expect(page.getByTestId("path-share-routeBy-0")).toHaveAttribute("data-share", "0.5");
  await expect(page.getByTestId("path-share-routeBy-1")).toContainText("50 %");
  await page.screenshot({ path: testInfo.outputPath("routed-pipeline.png") });
});
