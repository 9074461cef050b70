import { spawnSync } from "node:child_process";
import { expect, test } from "./fixtures.js";

// Outside CI, without redis-server, this spec skips and says how to install it; in CI (CI set) it never skips.
const redisServerMissing = !process.env.CI && spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status !== 0;
test.skip(
  redisServerMissing,
  "redis-server is not installed: on Debian or Ubuntu `sudo apt-get install redis-server`, on macOS `brew install redis`",
);

test("a remote stage on local workers: the Workers panel, worker-named slots, joins on the chart, worker threads live", async ({
  studio,
  page,
}, testInfo) => {
  await studio.open();
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByTestId("example-remote-cpu").click();
  await expect(studio.node("decode")).toBeVisible();
  // Long enough to watch: the source repeats until Stop.
  await studio.selectNode("frames");
  await page.getByTestId("source-repeat-input").check();
  await studio.clearSelection();
  // The app's `run --local-workers 2`: the host starts a private Redis and two workers for the run.
  await studio.setField("local-workers-input", 2);
  await studio.runButton.click();
  await expect(studio.runState).toHaveText("running", { timeout: 30_000 });

  // A lit remote slot names the worker running its call.
  await expect(page.locator('[data-testid="slots-decode"] .slot[data-worker]').first()).toHaveText(/^\d+ · local-[12]$/, {
    timeout: 20_000,
  });
  // Each worker's join is marked on the throughput chart, with its name.
  const joins = page.locator('[data-testid="chart-throughput"] [data-testid="chart-marker"][data-kind="joined"]');
  await expect(joins).toHaveCount(2, { timeout: 20_000 });
  await expect(joins.first()).toContainText(/\+ local-[12]/);
  await expect(joins.first()).toHaveAttribute("title", /s: local-[12] joined \(decode\): joined on .+ with \d+ threads?/);

  await page.getByTestId("tab-workers").click();
  await expect(page.getByTestId("tab-workers")).toHaveText("Workers · 2 serving");
  const redis = page.getByTestId("redis-status");
  await expect(redis).toHaveAttribute("data-connection", "connected");
  await expect(redis).toContainText(/Redis unix:\/\/\S+redis\.sock · connected/);
  for (const name of ["local-1", "local-2"]) {
    await expect(page.getByTestId(`worker-row-${name}`)).toHaveAttribute("data-state", "serving");
    await expect
      .poll(async () => Number(await page.getByTestId(`worker-done-${name}`).textContent()), { timeout: 15_000 })
      .toBeGreaterThan(0);
  }
  await expect(page.getByTestId("worker-events")).toContainText("local-1 joined");
  await expect(page.getByTestId("worker-events")).toContainText("local-2 joined");
  await page.screenshot({ path: testInfo.outputPath("workers-panel.png") });

  // Worker threads from the inspector reach the running workers.
  await studio.selectNode("decode");
  await studio.setField("worker-threads-input", 3);
  await expect(page.getByTestId("worker-threads-local-1")).toHaveText("3", { timeout: 15_000 });
  await expect(page.getByTestId("worker-threads-local-2")).toHaveText("3");
  await expect(page.getByTestId("knob-note")).toHaveCount(0);

  await studio.stopButton.click();
  await expect(studio.runState).toHaveText("stopped", { timeout: 20_000 });
  await expect(redis).toHaveAttribute("data-connection", "closed");
});
