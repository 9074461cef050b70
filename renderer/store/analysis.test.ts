import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PipelineFile, TuneResult } from "../api/types.js";
import { onTuneTrial, runAutoTune, runProfile, useAnalysis } from "./analysis.js";
import { useDocument } from "./document.js";
import { setHostApi } from "./hostConnection.js";
import { useRun } from "./run.js";
import { fakeApi } from "./testing/fakeApi.js";
import { useValidation } from "./validation.js";

/** The renderer's analysis store against a stand-in host: what a click on Start does to the stores. */

const seed = JSON.parse(readFileSync(new URL("../../examples/pool-starved.pipeline.json", import.meta.url), "utf8")) as PipelineFile;

function tuneResult(): TuneResult {
  const verdict = { stage: null, reason: "", stages: [] };
  return {
    before: {
      settings: { numThreads: 1, concurrency: { download: 4, preprocess: 3 } },
      deliveredPerSecond: 90,
      readiness: null,
      cpu: 0.2,
      verdict,
    },
    after: {
      settings: { numThreads: 2, concurrency: { download: 4, preprocess: 6 } },
      deliveredPerSecond: 180,
      readiness: null,
      cpu: 0.4,
      verdict,
    },
    speedup: 2,
    goal: {
      objective: "throughput",
      readinessTarget: null,
      cpuBudget: null,
      met: null,
      threads: 2,
      cpu: 0.4,
      readiness: null,
      summary: "Cost: 2 pool threads, CPU 40.0 % of the machine",
    },
    trials: [],
    stoppedBecause: "no change raised throughput by more than 5%",
    interruptedBy: null,
    limitedBy: null,
    elapsedMs: 5000,
  };
}

beforeEach(() => {
  useDocument.getState().load({ spec: seed, path: "/tmp/pool-starved.pipeline.json", problems: [] });
  useRun.setState({ status: "idle" });
  useValidation.setState({ report: { runnable: true, problems: [], userCode: [] } });
  useAnalysis.setState({
    panel: null,
    profile: { status: "idle", steps: [], result: null, error: null },
    tune: { status: "idle", trials: [], result: null, error: null, applied: false },
  });
});

describe("auto-tune in the app", () => {
  it("applies the settings found to the graph as one undo step", async () => {
    setHostApi(fakeApi({ autoTune: async () => tuneResult() }));
    await runAutoTune();
    const doc = useDocument.getState();
    expect(useAnalysis.getState().tune).toMatchObject({ status: "done", applied: true });
    expect(doc.build.numThreads).toBe(2);
    expect(doc.nodes.find((node) => node.id === "preprocess")?.data.concurrency).toBe(6);
    expect(doc.past).toHaveLength(1);
    doc.undo();
    expect(useDocument.getState().build.numThreads).toBe(1);
    expect(useDocument.getState().nodes.find((node) => node.id === "preprocess")?.data.concurrency).toBe(3);
  });

  it("a failed tune says why, leaves the graph alone and the view not waiting for a run", async () => {
    setHostApi(fakeApi({ autoTune: async () => Promise.reject(new Error("auto-tune cancelled")) }));
    await runAutoTune();
    expect(useAnalysis.getState().tune).toMatchObject({ status: "failed", error: "auto-tune cancelled", applied: false });
    expect(useDocument.getState().past).toHaveLength(0);
    expect(useRun.getState().status).toBe("idle");
  });

  it("trials arrive only while a tune runs, and one start at a time", async () => {
    let finish: (result: TuneResult) => void = () => undefined;
    const api = fakeApi({ autoTune: () => new Promise((resolve) => (finish = resolve)) });
    setHostApi(api);
    const tuning = runAutoTune();
    onTuneTrial({
      kind: "baseline",
      settings: tuneResult().before.settings,
      change: "the file's settings",
      deliveredPerSecond: 90,
      readiness: null,
      cpu: 0.2,
      kept: true,
    });
    await runAutoTune();
    await runProfile();
    expect(api.asked).toEqual(["autoTune"]);
    finish(tuneResult());
    await tuning;
    expect(useAnalysis.getState().tune.trials).toHaveLength(1);
    onTuneTrial({
      kind: "final",
      settings: tuneResult().after.settings,
      change: "",
      deliveredPerSecond: 1,
      readiness: null,
      cpu: 0,
      kept: true,
    });
    expect(useAnalysis.getState().tune.trials).toHaveLength(1);
  });
});

describe("auto-tune's goal", () => {
  const withConsumer = (): PipelineFile => ({
    ...seed,
    nodes: seed.nodes.map((node) => (node.kind === "sink" ? { ...node, consumer: { stepMs: 50, batch: 1 } } : node)),
  });

  it("auto means readiness with a consumer: the target and the CPU budget reach the host", async () => {
    useDocument.getState().load({ spec: withConsumer(), path: "/tmp/fed.pipeline.json", problems: [] });
    useAnalysis.getState().setTuneOptions({ objective: "auto", readiness: 0.95, cpuBudget: 0.4 });
    const api = fakeApi({ autoTune: async () => tuneResult() });
    setHostApi(api);
    await runAutoTune();
    expect(api.params).toEqual([expect.objectContaining({ objective: "readiness", readiness: 0.95, cpuBudget: 0.4 })]);
  });

  it("auto means throughput without a consumer, and no readiness target is sent", async () => {
    useAnalysis.getState().setTuneOptions({ objective: "auto", readiness: 0.95, cpuBudget: null });
    const api = fakeApi({ autoTune: async () => tuneResult() });
    setHostApi(api);
    await runAutoTune();
    expect(api.params).toEqual([expect.objectContaining({ objective: "throughput", cpuBudget: null })]);
    expect(api.params[0]).not.toHaveProperty("readiness");
  });
});

describe("user code", () => {
  const modules = ["/pipelines/double.mjs"];
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("profile and auto-tune ask first, then send the modules the user confirmed; a no sends nothing", async () => {
    useValidation.setState({ report: { runnable: true, problems: [], userCode: modules } });
    const confirm = vi.fn(() => true);
    vi.stubGlobal("window", { confirm });
    const api = fakeApi({ profile: async () => ({ stages: [], stepMs: 100, elapsedMs: 0 }), autoTune: async () => tuneResult() });
    setHostApi(api);
    await runProfile();
    await runAutoTune();
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(confirm.mock.calls[0]).toEqual([expect.stringContaining("/pipelines/double.mjs")]);
    expect(api.asked).toEqual(["profile", "autoTune"]);
    for (const params of api.params) expect(params).toMatchObject({ allowUserCode: modules });

    confirm.mockReturnValue(false);
    await runProfile();
    await runAutoTune();
    expect(api.asked).toEqual(["profile", "autoTune"]);
  });

  it("a pipeline without user code asks nothing and confirms no module", async () => {
    const api = fakeApi({ autoTune: async () => tuneResult() });
    setHostApi(api);
    await runAutoTune();
    expect(api.params).toEqual([expect.objectContaining({ allowUserCode: [] })]);
  });
});
