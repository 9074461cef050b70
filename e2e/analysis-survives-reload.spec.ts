import { expect, test } from "./fixtures.js";

/** A profile or auto-tune belongs to the host: a page that connects mid-way shows what it measured so far and what follows. */

test("reload during a profile: the steps so far, then the later ones and the result", async ({ studio, page }) => {
  await studio.open();
  await page.getByTestId("open-profile").click();
  await page.getByTestId("profile-max-concurrency").selectOption("16");
  await page.getByTestId("profile-step").selectOption("1000");
  await page.getByTestId("profile-start").click();
  const downloadPoints = page.getByTestId("profile-chart-download").locator("circle.point");
  await expect(downloadPoints).toHaveCount(2, { timeout: 20_000 });

  await page.reload();
  await expect(page.getByTestId("connection")).toHaveText("connected");
  // Still profiling (2 stages × 5 levels of 1 s): the two levels measured before the reload are there.
  await expect(page.getByTestId("host-activity")).toHaveText("profiling");
  await expect(page.getByTestId("profile-panel")).toBeVisible();
  await expect.poll(() => downloadPoints.count()).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId("profile-max-concurrency")).toHaveValue("16");
  await expect(studio.node("preprocess")).toBeVisible();
  await expect(studio.runButton).toBeDisabled();

  // The later levels arrive, then the result with its verdict per stage.
  await expect(page.getByTestId("profile-done")).toBeVisible({ timeout: 40_000 });
  await expect(downloadPoints).toHaveCount(5);
  await expect(page.getByTestId("profile-chart-preprocess").locator("circle.point")).toHaveCount(5);
  await expect(page.getByTestId("profile-summary-preprocess")).toHaveText(/stops helping past \d+|still rising/);
  await expect(studio.runButton).toBeEnabled();
});

test("a second window opened during auto-tune shows the trials so far, the later ones, and the settings found", async ({
  studio,
  page,
  context,
}) => {
  await studio.open();
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByTestId("example-pool-starved").click();
  await expect(studio.node("preprocess")).toBeVisible();
  await page.getByTestId("open-tune").click();
  await page.getByTestId("tune-budget").fill("2");
  await page.getByTestId("tune-start").click();
  await expect(page.getByTestId("tune-trials")).toContainText("the file’s settings", { timeout: 20_000 });

  const second = await context.newPage();
  await second.goto(page.url());
  await expect(second.getByTestId("connection")).toHaveText("connected");
  await expect(second.getByTestId("host-activity")).toHaveText("auto-tuning");
  await expect(second.getByTestId("tune-panel")).toBeVisible();
  await expect(second.getByTestId("tune-trials")).toContainText("the file’s settings");
  await expect(second.getByTestId("node-preprocess")).toBeVisible();

  await expect(page.getByTestId("tune-result")).toBeVisible({ timeout: 40_000 });
  await expect(second.getByTestId("tune-result")).toBeVisible();
  // Every trial, those before it connected and those after, in the same order as on the page that started it.
  expect(await second.locator("[data-testid=tune-trials] li").allTextContents()).toEqual(
    await page.locator("[data-testid=tune-trials] li").allTextContents(),
  );
  await expect(second.getByTestId("tune-after")).toHaveText((await page.getByTestId("tune-after").textContent()) ?? "");
  // The settings found go into its graph too (the graph tuned), as one undo step: the same
  // numThreads as on the page that started it (what auto-tune finds depends on the machine's load).
  await expect(second.getByTestId("tune-applied")).toBeVisible();
  await page.locator(".react-flow__pane").click({ position: { x: 30, y: 30 } });
  const found = await page.getByTestId("num-threads-input").inputValue();
  expect(["1", "2"]).toContain(found);
  await second.locator(".react-flow__pane").click({ position: { x: 30, y: 30 } });
  await expect(second.getByTestId("num-threads-input")).toHaveValue(found);
  await second.close();
});
