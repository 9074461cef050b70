import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));

it("the seed example runs download(4) → preprocess(2) → sink(3) on 3 threads", async () => {
  const { stdout } = await run(process.execPath, ["dist/examples/seed-download-preprocess.js", "30"], { cwd: root });
  expect(stdout).toMatch(/^completed: 30 items delivered/m);
  expect(stdout).toMatch(/^download\s+4\s+30\s+30\s+0/m);
  expect(stdout).toMatch(/^preprocess \(pool\)\s+2\s+30\s+30\s+0/m);
  expect(stdout).toContain("pool: 3 threads, 30 calls, 0 worker deaths");
});
