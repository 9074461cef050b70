import { expect, studioUrl, test } from "./fixtures.js";

test("a page opened without the token shows only how to get the right URL", async ({ page }) => {
  const url = new URL(await studioUrl());
  url.search = "";
  await page.goto(url.toString());
  await expect(page.getByTestId("needs-token")).toContainText("Open the URL that the terminal printed (it carries the access token)");
  await expect(page.locator(".react-flow")).toHaveCount(0);
  await expect(page.getByTestId("node-download")).toHaveCount(0);
});

test("a wrong token is refused by the host and the page says disconnected", async ({ page }) => {
  const url = new URL(await studioUrl());
  url.searchParams.set("token", "wrong-token");
  await page.goto(url.toString());
  await expect(page.getByTestId("connection")).toHaveText("disconnected");
  await expect(page.getByTestId("disconnected")).toBeVisible();
  await expect(page.getByTestId("node-download")).toHaveCount(0);
});

test("the host refuses a WebSocket from a foreign Origin", async ({ page }) => {
  const url = new URL(await studioUrl());
  const token = url.searchParams.get("token")!;
  // A page on another origin (about:blank's opener is not the app) tries the API with the right token.
  await page.goto("about:blank");
  const outcome = await page.evaluate(
    (wsUrl) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(wsUrl);
        socket.onopen = () => resolve("open");
        socket.onerror = () => resolve("refused");
        socket.onclose = () => resolve("refused");
      }),
    `ws://${url.host}/api?token=${encodeURIComponent(token)}`,
  );
  expect(outcome).toBe("refused");
});
