import { describe, expect, it } from "vitest";
import { checkRequest } from "./requests.js";

describe("knob requests from the app", () => {
  it.each([
    ["setConcurrency", { stage: "work", concurrency: 1025 }, "bad request 'setConcurrency': params.concurrency: must be ≤ 1024, got 1025"],
    ["setNumThreads", { numThreads: 129 }, "bad request 'setNumThreads': params.numThreads: must be ≤ 128, got 129"],
    ["setWorkerThreads", { stage: "decode", threads: 129 }, "bad request 'setWorkerThreads': params.threads: must be ≤ 128, got 129"],
    ["setWorkerThreads", { stage: "decode", threads: 0 }, "bad request 'setWorkerThreads': params.threads: must be ≥ 1, got 0"],
    ["startRun", { spec: {}, localWorkers: 65 }, "bad request 'startRun': params.localWorkers: must be ≤ 64, got 65"],
    [
      "autoTune",
      { spec: {}, budgetThreads: 1024, maxConcurrency: 8, timeLimitS: 10 },
      "bad request 'autoTune': params.budgetThreads: must be ≤ 128, got 1024",
    ],
  ] as const)("%s past its bound is refused before it reaches the run", (name, params, message) => {
    expect(() => checkRequest(name, params)).toThrow(message);
  });

  it("takes the largest values the bounds allow", () => {
    expect(checkRequest("setConcurrency", { stage: "work", concurrency: 1024 }).params).toEqual({ stage: "work", concurrency: 1024 });
    expect(checkRequest("setNumThreads", { numThreads: 128 }).params).toEqual({ numThreads: 128 });
    expect(checkRequest("setWorkerThreads", { stage: "decode", threads: 128 }).params).toEqual({ stage: "decode", threads: 128 });
    expect(checkRequest("startRun", { spec: {}, localWorkers: 64 }).params).toMatchObject({ localWorkers: 64 });
    expect(checkRequest("startRun", { spec: {} }).params).toMatchObject({ localWorkers: 0, allowUserCode: [] });
  });
});

describe("an upload from the browser", () => {
  it("takes the base64 of a file up to the 16 MiB limit and refuses a longer one before it is decoded", () => {
    const limit = Math.ceil((16 * 1024 * 1024) / 3) * 4;
    expect(checkRequest("openUpload", { name: "big.pipeline.json", base64: "A".repeat(limit) }).params).toMatchObject({
      name: "big.pipeline.json",
    });
    expect(() => checkRequest("openUpload", { name: "bigger.pipeline.json", base64: "A".repeat(limit + 8) })).toThrow(
      "bad request 'openUpload': params.base64",
    );
    expect(() => checkRequest("openUpload", { name: "", base64: "" })).toThrow("bad request 'openUpload': params.name");
  });
});
