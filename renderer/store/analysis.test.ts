import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PipelineFile, ProfileResult, ProfileStep, TuneResult } from "../api/types.js";
import { onAnalysisEnded, onProfileStep, onTuneTrial, runAutoTune, runProfile, showHostAnalysis, useAnalysis } from "./analysis.js";
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
    adopted: null,
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

const step = (stage: string, concurrency: number): ProfileStep => ({ stage, concurrency, itemsPerSecond: 50 * concurrency }) as ProfileStep;
const baseline = () => ({
  kind: "baseline" as const,
  settings: tuneResult().before.settings,
  change: "the file's settings",
  deliveredPerSecond: 90,
  readiness: null,
  cpu: 0.2,
  kept: true,
});

describe("a profile or auto-tune another page started (or one under way before a reload)", () => {
  it("a profile shows its options and steps so far, then each step, then the host's result", () => {
    showHostAnalysis({
      kind: "profile",
      spec: seed,
      path: null,
      options: { maxConcurrency: 4, stepMs: 500 },
      steps: [step("download", 1)],
    });
    expect(useAnalysis.getState()).toMatchObject({
      panel: "profile",
      adopted: "profile",
      profileOptions: { maxConcurrency: 4, stepMs: 500 },
      profile: { status: "running", steps: [{ stage: "download", concurrency: 1 }] },
    });
    onProfileStep(step("download", 2));
    expect(useAnalysis.getState().profile.steps).toHaveLength(2);
    const result = { stages: [], stepMs: 500, maxConcurrency: 4, maxThreads: 2, elapsedMs: 4000 } as ProfileResult;
    onAnalysisEnded({ kind: "profile", result, error: null });
    expect(useAnalysis.getState()).toMatchObject({ adopted: null, profile: { status: "done", result, steps: [{}, {}] } });
  });

  it("a tune shows its trials so far and later ones; its settings go into this graph, the graph tuned, as one undo step", () => {
    showHostAnalysis({ kind: "tune", trials: [baseline()] });
    expect(useAnalysis.getState()).toMatchObject({
      panel: "tune",
      adopted: "tune",
      tune: { status: "running", trials: [{ kind: "baseline" }] },
    });
    onTuneTrial({ ...baseline(), kind: "trial", change: "numThreads 1 → 2" });
    expect(useAnalysis.getState().tune.trials).toHaveLength(2);
    onAnalysisEnded({ kind: "tune", result: tuneResult(), error: null });
    expect(useAnalysis.getState().tune).toMatchObject({ status: "done", applied: true });
    expect(useDocument.getState().build.numThreads).toBe(2);
    expect(useDocument.getState().past).toHaveLength(1);
  });

  it("a tune of another graph (stages this one lacks) is shown but not applied; a cancelled one says why", () => {
    showHostAnalysis({ kind: "tune", trials: [] });
    const other = tuneResult();
    other.after.settings.concurrency = { decode: 8 };
    onAnalysisEnded({ kind: "tune", result: other, error: null });
    expect(useAnalysis.getState().tune).toMatchObject({ status: "done", applied: false });
    expect(useDocument.getState().past).toHaveLength(0);
    showHostAnalysis({ kind: "tune", trials: [] });
    onAnalysisEnded({ kind: "tune", result: null, error: "auto-tune cancelled" });
    expect(useAnalysis.getState().tune).toMatchObject({ status: "failed", error: "auto-tune cancelled" });
  });

  it("this page's own analysis is neither taken over by the host's activity nor ended by the event (its answer ends it)", async () => {
    let finish: (result: TuneResult) => void = () => undefined;
    setHostApi(fakeApi({ autoTune: () => new Promise((resolve) => (finish = resolve)) }));
    const tuning = runAutoTune();
    showHostAnalysis({ kind: "tune", trials: [baseline(), baseline()] });
    expect(useAnalysis.getState()).toMatchObject({ adopted: null, tune: { status: "running", trials: [] } });
    onAnalysisEnded({ kind: "tune", result: null, error: "auto-tune cancelled" });
    expect(useAnalysis.getState().tune.status).toBe("running");
    finish(tuneResult());
    await tuning;
    expect(useAnalysis.getState().tune).toMatchObject({ status: "done", applied: true });
  });

  it("an adopted analysis whose end was missed ends when the host says nothing is in progress", () => {
    showHostAnalysis({ kind: "tune", trials: [] });
    showHostAnalysis(null);
    expect(useAnalysis.getState()).toMatchObject({ adopted: null, tune: { status: "done" } });
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
