import { describe, expect, it } from "vitest";
import { pipelineFileSchema, type PipelineFile } from "../../engine/spec/index.js";
import { UsageError } from "./exitCodes.js";
import { applyOverrides, collectAssignment, parseAssignment } from "./overrides.js";

const spec: PipelineFile = pipelineFileSchema.parse({
  format: "pipeline-studio/1",
  nodes: [
    { id: "numbers", kind: "source", op: "range" },
    { id: "fetch.v2", kind: "stage", op: "sleep", concurrency: 2, timeoutMs: 500 },
    { id: "batch", kind: "aggregate", params: { size: 4 } },
    { id: "out", kind: "sink" },
  ],
  edges: [
    { from: "numbers", to: "fetch.v2" },
    { from: "fetch.v2", to: "batch" },
    { from: "batch", to: "out" },
  ],
});

const set = (...texts: string[]) => texts.reduce((all, text) => collectAssignment(text, all), [] as ReturnType<typeof collectAssignment>);

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("parseAssignment", () => {
  it("splits at the first = and the last dot before it, so node ids may contain dots", () => {
    expect(parseAssignment("fetch.v2.concurrency=8")).toEqual({
      target: "fetch.v2",
      field: "concurrency",
      value: "8",
      text: "fetch.v2.concurrency=8",
    });
    expect(parseAssignment("build.numThreads = 3")).toMatchObject({ target: "build", field: "numThreads", value: "3" });
  });

  it("rejects text that is not <node>.<field>=<value>", () => {
    for (const text of ["concurrency=4", "fetch.concurrency", ".concurrency=4", "fetch.=4", "=4"]) {
      expect(usageError(() => parseAssignment(text))).toBe(
        `--set ${text}: expected <node>.<field>=<value>, e.g. download.concurrency=4 or build.numThreads=8`,
      );
    }
    expect(usageError(() => parseAssignment("fetch.concurrency= "))).toBe('--set fetch.concurrency= : the value after "=" is missing');
  });
});

describe("applyOverrides", () => {
  it("sets node knobs and build settings, and lists what it applied in order", () => {
    const { spec: result, applied } = applyOverrides(spec, {
      threads: 6,
      assignments: set(
        "fetch.v2.concurrency=8",
        "fetch.v2.outputOrder=input",
        "fetch.v2.timeoutMs=none",
        "fetch.v2.retries=2",
        "fetch.v2.maxFailures=0.05",
        "batch.queueSize=7",
        "out.queueSize=9",
        "build.maxFailures=10",
      ),
    });
    const fetch = result.nodes[1];
    expect([fetch.concurrency, fetch.outputOrder, fetch.timeoutMs, fetch.retries, fetch.maxFailures]).toEqual([8, "input", null, 2, 0.05]);
    expect(result.nodes[2].queueSize).toBe(7);
    expect(result.nodes[3].queueSize).toBe(9);
    expect(result.build).toEqual({ numThreads: 6, maxFailures: 10, remote: null });
    expect(applied).toEqual([
      "build.numThreads=6",
      "fetch.v2.concurrency=8",
      "fetch.v2.outputOrder=input",
      "fetch.v2.timeoutMs=none",
      "fetch.v2.retries=2",
      "fetch.v2.maxFailures=0.05",
      "batch.queueSize=7",
      "out.queueSize=9",
      "build.maxFailures=10",
    ]);
  });

  it("leaves the loaded spec alone", () => {
    applyOverrides(spec, { threads: 2, assignments: set("fetch.v2.concurrency=5") });
    expect(spec.nodes[1].concurrency).toBe(2);
    expect(spec.build.numThreads).toBe(4);
  });

  it("applies --threads first, so a later --set build.numThreads wins", () => {
    expect(applyOverrides(spec, { threads: 2, assignments: set("build.numThreads=5") }).spec.build.numThreads).toBe(5);
  });

  it("names the node ids and fields there are when a --set misses", () => {
    expect(usageError(() => applyOverrides(spec, { assignments: set("fetch.concurrency=2") }))).toBe(
      '--set fetch.concurrency=2: no node has id "fetch" (nodes: numbers, fetch.v2, batch, out; or build.numThreads/maxFailures)',
    );
    expect(usageError(() => applyOverrides(spec, { assignments: set("fetch.v2.params=2") }))).toBe(
      '--set fetch.v2.params=2: unknown field "params" (fields --set can change: concurrency, queueSize, outputOrder, timeoutMs, retries, maxFailures)',
    );
    expect(usageError(() => applyOverrides(spec, { assignments: set("build.queueSize=2") }))).toBe(
      '--set build.queueSize=2: unknown build setting "queueSize" (build settings: numThreads, maxFailures)',
    );
  });

  it("refuses knobs a node of that kind does not have", () => {
    expect(usageError(() => applyOverrides(spec, { assignments: set("numbers.queueSize=2") }))).toBe(
      '--set numbers.queueSize=2: "numbers" is a source, which has no queueSize',
    );
    expect(usageError(() => applyOverrides(spec, { assignments: set("batch.concurrency=2") }))).toBe(
      '--set batch.concurrency=2: "batch" is an aggregate, which has no concurrency (it has: queueSize)',
    );
  });

  it("holds values to the file format's rules and says which --set broke them", () => {
    expect(usageError(() => applyOverrides(spec, { assignments: set("fetch.v2.concurrency=1.5") }))).toBe(
      "--set fetch.v2.concurrency=1.5: must be an integer ≥ 1, got 1.5",
    );
    expect(usageError(() => applyOverrides(spec, { assignments: set("fetch.v2.maxFailures=1.5") }))).toBe(
      "--set fetch.v2.maxFailures=1.5: must be an integer ≥ 0 or a fraction between 0 and 1, got 1.5",
    );
    expect(usageError(() => applyOverrides(spec, { assignments: set("fetch.v2.retries=-1", "build.numThreads=0") }))).toBe(
      "--set fetch.v2.retries=-1: must be an integer ≥ 0, got -1\n--set build.numThreads=0: must be an integer ≥ 1, got 0",
    );
    expect(usageError(() => applyOverrides(spec, { assignments: set("fetch.v2.concurrency=5000") }))).toBe(
      "--set fetch.v2.concurrency=5000: must be at most 1024, got 5000",
    );
    expect(usageError(() => applyOverrides(spec, { threads: 1024, assignments: [] }))).toBe(
      "--threads 1024: must be at most 128, got 1024",
    );
    expect(usageError(() => applyOverrides(spec, { assignments: set("fetch.v2.concurrency=many") }))).toBe(
      '--set fetch.v2.concurrency=many: "many" is not a number',
    );
    expect(usageError(() => applyOverrides(spec, { assignments: set("fetch.v2.timeoutMs=soon") }))).toBe(
      '--set fetch.v2.timeoutMs=soon: "soon" is not a number (or "none" to remove the limit)',
    );
  });
});
