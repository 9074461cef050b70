import { expect, test } from "./fixtures.js";

/** The graph that runs is the graph shown: structural edits wait for the run to end; the knobs apply live. */
test("during a run, Ctrl+A then Delete is refused with its reason; the palette and fields say they are locked; a knob still applies", async ({
  studio,
  page,
}) => {
  await studio.open();
  await studio.startLongRun();

  const nodes = page.locator(".react-flow__node");
  await expect(nodes).toHaveCount(4);
  await page.locator(".react-flow__pane").click({ position: { x: 30, y: 30 } });
  await page.keyboard.press("Control+a");
  await page.keyboard.press("Delete");
  await expect(page.getByTestId("notice")).toContainText("Stop the run to change the graph");
  await expect(nodes).toHaveCount(4);
  await expect(page.locator(".react-flow__edge")).toHaveCount(3);

  await expect(page.getByTestId("edit-lock")).toHaveText(/Stop the run to change the graph/);
  await expect(page.getByTestId("palette-lock")).toBeVisible();
  await expect(page.getByTestId("palette-sleep")).toHaveAttribute("aria-disabled", "true");

  await studio.clearSelection();
  await expect(page.getByTestId("inspector-lock")).toBeVisible();
  await studio.selectNode("download");
  await expect(page.getByTestId("inspector-lock")).toBeVisible();
  await expect(page.getByTestId("node-name-input")).toBeDisabled();
  await expect(page.getByTestId("op-select")).toBeDisabled();
  await expect(page.getByTestId("param-ms")).toBeDisabled();
  await expect(page.getByTestId("concurrency-input")).toBeEnabled();
  await studio.setField("concurrency-input", 2);
  await expect(page.locator('[data-testid="slots-download"] .slot')).toHaveCount(2);

  await studio.stopButton.click();
  await expect(studio.runState).toHaveText("stopped");
  await expect(page.getByTestId("edit-lock")).toHaveCount(0);
  await expect(page.getByTestId("node-name-input")).toBeEnabled();
});
