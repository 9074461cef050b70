import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ENGINE = fileURLToPath(new URL("../../dist/engine/index.js", import.meta.url));

describe("remote stages cost nothing to pipelines without one", () => {
  it("importing the engine loads neither BullMQ nor ioredis (a few hundred ms of start-up)", () => {
    const script = `
      await import(${JSON.stringify(ENGINE)});
      const { createRequire } = await import("node:module");
      const cache = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(cache.filter((path) => /node_modules[\\\\/](bullmq|ioredis)[\\\\/]/.test(path)).length));`;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toBe(0);
  });
});
