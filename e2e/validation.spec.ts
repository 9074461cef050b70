import { expect, test } from "./fixtures.js";

test("an invalid graph disables Run and says why; fixing it enables Run again", async ({ studio, page }) => {
  await studio.open();
  // Below the seed graph, near the bottom of the canvas (whatever room the charts panel leaves).
  const pane = (await page.locator(".react-flow__pane").boundingBox())!;
  await studio.dragOp("sleep", 420, pane.height - 60);
  await expect(studio.node("sleep")).toBeVisible();

  await expect(studio.runButton).toBeDisabled();
  await expect(page.getByTestId("run-blocker")).toContainText("Can’t run: sleep");
  await expect(page.getByTestId("problem-sleep")).toBeVisible();
  await expect(studio.node("sleep").locator(".problem-text")).not.toBeEmpty();
  await page.getByTestId("problem-sleep").hover();
  await page.screenshot({ path: "test-results/screenshots/invalid-graph.png" });

  // A second problem: cut the chain between download and preprocess.
  await studio.selectNode("preprocess");
  await page.keyboard.press("Delete");
  await expect(studio.node("preprocess")).toHaveCount(0);
  await expect(page.getByTestId("problem-download").or(page.getByTestId("problem-sink")).first()).toBeVisible();

  // Undo both edits: valid again.
  await page.keyboard.press("Control+z");
  await expect(studio.node("preprocess")).toBeVisible();
  await page.keyboard.press("Control+z");
  await expect(studio.node("sleep")).toHaveCount(0);
  await expect(page.getByTestId("run-blocker")).toHaveCount(0);
  await expect(studio.runButton).toBeEnabled();
});
