#!/usr/bin/env node
// Runs the Playwright end-to-end tests in a real Chromium: Debian's /usr/bin/chromium, or
// Playwright's own where one was downloaded. When none is there and this runs as root on
// Debian, installs Debian's chromium (nothing here can download a browser build). Never skips:
// without a browser the tests fail with a message saying how to get one.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

function findChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  return undefined;
}

function installDebianChromium() {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !existsSync("/usr/bin/apt-get")) return false;
  console.error("e2e: no Chromium found; installing Debian's chromium (apt-get install -y chromium)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update"], { stdio: ["ignore", "inherit", "inherit"], env });
  if (update.status !== 0) return false;
  const install = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
    stdio: ["ignore", "inherit", "inherit"],
    env,
  });
  return install.status === 0 && existsSync(DEBIAN_CHROMIUM);
}

let chromium = findChromium() ?? (await ownChromium());
if (!chromium && installDebianChromium()) chromium = DEBIAN_CHROMIUM;
if (!chromium) {
  console.error("e2e: no Chromium to run the browser tests in. Install one (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.");
  process.exit(1);
}
const result = spawnSync(process.execPath, ["node_modules/@playwright/test/cli.js", "test", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
process.exit(result.status ?? 1);

async function ownChromium() {
  try {
    const { chromium: browser } = await import("playwright-core");
    const path = browser.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}
