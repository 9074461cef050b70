import { expect, test } from "./fixtures.js";

/** A page holding another graph than the run's says whose run it is, keeps its figures off its own nodes, and opens the run's graph on request. */
test("another file open while the host runs: the run's file is named, its figures stay off this graph, 'Open the run's graph' shows them", async ({
  studio,
  page,
  context,
}) => {
  await studio.open();
  await studio.startLongRun();

  const second = await context.newPage();
  second.on("dialog", (dialog) => void dialog.accept());
  await second.goto(page.url());
  await expect(second.getByTestId("connection")).toHaveText("connected");
  await expect(second.getByTestId("run-state")).toHaveText("running");
  await expect(second.getByTestId("run-elsewhere")).toHaveCount(0);

  // Another file, whose only id in common with the run's graph is "sink".
  await second.getByRole("button", { name: "Open", exact: true }).click();
  await second.getByTestId("example-input-order").click();
  await expect(second.getByTestId("node-fetch")).toBeVisible();
  await expect(second.getByTestId("run-elsewhere")).toContainText("The host is running");
  await expect(second.getByTestId("run-elsewhere-file")).toHaveText("seed-download-preprocess.pipeline.json");
  await expect(second.getByTestId("run-state")).toHaveText("running");
  // The run's totals in the status bar; nothing of it on this graph's nodes.
  await expect.poll(async () => Number(await second.getByTestId("items-delivered").textContent())).toBeGreaterThan(0);
  await expect(second.getByTestId("node-sink")).not.toContainText("delivered");
  await expect(second.getByTestId("stats-fetch")).toHaveCount(0);
  await expect(second.getByTestId("stats-ids")).toHaveCount(0);
  // This page edits its own document: no lock.
  await expect(second.getByTestId("edit-lock")).toHaveCount(0);

  await second.getByTestId("open-run-graph").click();
  await expect(second.getByTestId("run-elsewhere")).toHaveCount(0);
  await expect(second.getByTestId("node-download")).toBeVisible();
  await expect(second.getByTestId("stats-download")).toBeVisible();
  await expect(second.getByTestId("node-sink")).toContainText("delivered");
  await expect(second.getByTestId("edit-lock")).toBeVisible();
  // The charts hold the run's history from its start.
  const plot = second.getByTestId("chart-throughput").locator(".uplot");
  await expect(plot).toHaveAttribute("data-first-seconds", /\d/);
  expect(Number(await plot.getAttribute("data-first-seconds"))).toBeLessThan(1);

  await second.getByRole("button", { name: "■ Stop" }).click();
  await expect(studio.runState).toHaveText("stopped");
  await second.close();
});
