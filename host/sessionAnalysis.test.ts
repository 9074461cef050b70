import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RequestParams, StudioEvent } from "./protocol.js";
import type { StudioSession } from "./session.js";
import { closeTestSession, openTestSession } from "./testing/testSession.js";

/** Profile and auto-tune through the session, as the app drives them. */

let home: string;
let session: StudioSession;
beforeEach(async () => ({ home, session } = await openTestSession("studio-analysis-")));
afterEach(() => closeTestSession(session, home));

function record(): StudioEvent[] {
  const events: StudioEvent[] = [];
  session.onEvent((event) => events.push(event));
  return events;
}

describe("StudioSession analysis", () => {
  it("profiles the open pipeline, one profileStep event per level", async () => {
    const { spec } = await session.handle("openExample", { name: "seed-download-preprocess" });
    const events = record();
    const profile = await session.handle("profile", { spec, maxConcurrency: 2, stepMs: 200, allowUserCode: [] });
    expect(profile.stages.map((stage) => stage.stage)).toEqual(["download", "preprocess"]);
    const steps = events.flatMap((event) => (event.type === "profileStep" ? [`${event.step.stage}@${event.step.concurrency}`] : []));
    expect(steps).toEqual(["download@1", "download@2", "preprocess@1", "preprocess@2"]);
  });

  it('profiles only the stages asked for (the canvas\'s "profile this stage"); an unknown stage is refused by name', async () => {
    const { spec } = await session.handle("openExample", { name: "seed-download-preprocess" });
    const events = record();
    const profile = await session.handle("profile", { spec, maxConcurrency: 2, stepMs: 100, allowUserCode: [], stages: ["preprocess"] });
    expect(profile.stages.map((stage) => stage.stage)).toEqual(["preprocess"]);
    const steps = events.flatMap((event) => (event.type === "profileStep" ? [`${event.step.stage}@${event.step.concurrency}`] : []));
    expect(steps).toEqual(["preprocess@1", "preprocess@2"]);
    await expect(
      session.handle("profile", { spec, maxConcurrency: 1, stepMs: 100, allowUserCode: [], stages: ["nowhere"] }),
    ).rejects.toThrow(/no stage named 'nowhere'/);
  });

  it("auto-tunes on a live run: stats and trials flow, the run ends, the result says what changed", async () => {
    const { spec } = await session.handle("openExample", { name: "pool-starved" });
    const events = record();
    const result = await session.handle("autoTune", { spec, budgetThreads: 2, maxConcurrency: 4, timeLimitS: 20, allowUserCode: [] });
    expect(result.before.settings.numThreads).toBe(1);
    expect(result.after.settings.numThreads).toBe(2);
    expect(result.after.deliveredPerSecond).toBeGreaterThan(result.before.deliveredPerSecond);
    const runIds = new Set(events.flatMap((event) => (event.type === "runStats" ? [event.runId] : [])));
    expect(runIds.size).toBe(1);
    const trials = events.filter((event) => event.type === "tuneTrial");
    expect(trials.map((event) => event.type === "tuneTrial" && event.trial.kind)).toEqual([
      "baseline",
      ...trials.slice(1, -1).map(() => "trial"),
      "final",
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.some((event) => event.type === "runEnded")).toBe(true);
    // The session is free again.
    await expect(session.handle("profile", { spec, maxConcurrency: 1, stepMs: 100, allowUserCode: [] })).resolves.toBeDefined();
  });

  it("refuses a goal the pipeline cannot have, or a value out of range, before any run starts", async () => {
    const events = record();
    const starved = (await session.handle("openExample", { name: "pool-starved" })).spec;
    const fed = (await session.handle("openExample", { name: "training-loop" })).spec;
    // As a page could send them: the transports check types, the search checks ranges.
    const ask = (spec: RequestParams<"autoTune">["spec"], goal: Record<string, unknown>) =>
      session.handle("autoTune", {
        spec,
        budgetThreads: 2,
        maxConcurrency: 4,
        timeLimitS: 10,
        allowUserCode: [],
        ...goal,
      } as RequestParams<"autoTune">);
    await expect(ask(starved, { objective: "readiness" })).rejects.toThrow(
      "auto-tune: the readiness objective needs a consumer at the sink",
    );
    await expect(ask(fed, { readiness: 1.5 })).rejects.toThrow(
      "auto-tune: readiness must be above 0 and at most 1 (0.99 is 99 %), got 1.5",
    );
    await expect(ask(fed, { cpuBudget: 0 })).rejects.toThrow("auto-tune: cpuBudget must be above 0 and at most 1");
    await expect(ask(fed, { objective: "speed" })).rejects.toThrow(/objective/);
    expect(events.some((event) => event.type === "runStats" || event.type === "tuneTrial")).toBe(false);
  });

  it("auto-tunes the run in progress from its settings and leaves it running", async () => {
    const { spec } = await session.handle("openExample", { name: "pool-starved" });
    const events = record();
    const { runId } = await session.handle("startRun", {
      spec: { ...spec, nodes: spec.nodes.map((node) => (node.id === "urls" ? { ...node, params: { count: 100_000 } } : node)) },
      allowUserCode: [],
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = await session.handle("autoTune", { spec, budgetThreads: 2, maxConcurrency: 4, timeLimitS: 20, allowUserCode: [] });
    expect(result.trials[0]).toMatchObject({ kind: "baseline", change: "the run's settings" });
    expect(result.after.settings.numThreads).toBe(2);
    expect(events.some((event) => event.type === "runEnded")).toBe(false);
    expect(events.filter((event) => event.type === "tuneTrial").every((event) => event.type === "tuneTrial" && event.runId === runId)).toBe(
      true,
    );
    // The knobs stay where the search left them.
    expect(
      await new Promise<number>((resolve) =>
        session.onEvent((event) => event.type === "runStats" && resolve(event.snapshot.pool?.numThreads ?? 0)),
      ),
    ).toBe(2);
    await session.handle("stopRun", { mode: "abort" });
  });

  it("while auto-tune turns a run's knobs, a hand on them or a pause is refused; close() cancels an analysis", async () => {
    const { spec } = await session.handle("openExample", { name: "seed-download-preprocess" });
    const tuning = session.handle("autoTune", { spec, budgetThreads: 2, maxConcurrency: 8, timeLimitS: 60, allowUserCode: [] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(session.handle("setConcurrency", { stage: "download", concurrency: 1 })).rejects.toThrow(
      "auto-tune is turning the knobs of this run: stop tuning first",
    );
    await expect(session.handle("pauseRun", {})).rejects.toThrow("auto-tune is turning the knobs");
    const closing = session.close();
    await expect(tuning).rejects.toThrow("auto-tune cancelled");
    await closing;
    const profiling = session.handle("profile", { spec, maxConcurrency: 32, stepMs: 1000, allowUserCode: [] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await session.close();
    await expect(profiling).rejects.toThrow("profile cancelled");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("a page that connects mid-profile is told the pipeline, the options and the steps so far; every page hears how it ended", async () => {
    const { spec, path } = await session.handle("openExample", { name: "seed-download-preprocess" });
    const events = record();
    const profiling = session.handle("profile", { spec, maxConcurrency: 2, stepMs: 200, allowUserCode: [] });
    await new Promise<void>((resolve) => session.onEvent((event) => event.type === "profileStep" && resolve()));
    const stepsSoFar = events.filter((event) => event.type === "profileStep").length;
    const { activity } = await session.handle("getActivity", {});
    expect(activity).toMatchObject({
      kind: "profile",
      run: null,
      analysis: { kind: "profile", path, options: { maxConcurrency: 2, stepMs: 200 } },
    });
    if (activity.analysis?.kind !== "profile") throw new Error("no profile in progress");
    expect(activity.analysis.spec.nodes.map((node) => node.id)).toEqual(spec.nodes.map((node) => node.id));
    expect(activity.analysis.steps).toHaveLength(stepsSoFar);
    const result = await profiling;
    const types = events.map((event) => event.type);
    expect(events.find((event) => event.type === "analysisEnded")).toEqual({
      type: "analysisEnded",
      ended: { kind: "profile", result, error: null },
    });
    // Told before the activity that follows, so a page closes what it showed before it unlocks.
    expect(types.lastIndexOf("activity")).toBeGreaterThan(types.indexOf("analysisEnded"));
    expect((await session.handle("getActivity", {})).activity).toMatchObject({ kind: null, analysis: null });
  });

  it("a page that connects mid-tune is told the trials so far and the run; a cancelled tune ends with its reason for every page", async () => {
    const { spec } = await session.handle("openExample", { name: "pool-starved" });
    const events = record();
    const tuning = session.handle("autoTune", { spec, budgetThreads: 2, maxConcurrency: 8, timeLimitS: 60, allowUserCode: [] });
    await new Promise<void>((resolve) => session.onEvent((event) => event.type === "tuneTrial" && resolve()));
    const trialsSoFar = events.filter((event) => event.type === "tuneTrial").length;
    const { activity } = await session.handle("getActivity", {});
    expect(activity.kind).toBe("tune");
    expect(activity.run?.runId).toMatch(/^run-/);
    if (activity.analysis?.kind !== "tune") throw new Error("no auto-tune in progress");
    expect(activity.analysis.trials[0]).toMatchObject({ kind: "baseline" });
    expect(activity.analysis.trials).toHaveLength(trialsSoFar);
    await session.handle("cancelAnalysis", {});
    await expect(tuning).rejects.toThrow("auto-tune cancelled");
    expect(events.find((event) => event.type === "analysisEnded")).toEqual({
      type: "analysisEnded",
      ended: { kind: "tune", result: null, error: "auto-tune cancelled" },
    });
  });

  it("one thing at a time, and cancelAnalysis (or Stop) ends an auto-tune", async () => {
    const { spec } = await session.handle("openExample", { name: "seed-download-preprocess" });
    const tuning = session.handle("autoTune", { spec, budgetThreads: 2, maxConcurrency: 8, timeLimitS: 60, allowUserCode: [] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(session.handle("startRun", { spec, allowUserCode: [] })).rejects.toThrow(
      "a profile or auto-tune is in progress: cancel it first",
    );
    await expect(session.handle("profile", { spec, maxConcurrency: 2, stepMs: 100, allowUserCode: [] })).rejects.toThrow(
      "a profile or auto-tune is in progress",
    );
    await session.handle("stopRun", { mode: "abort" });
    await expect(tuning).rejects.toThrow("auto-tune cancelled");
    const profiling = session.handle("profile", { spec, maxConcurrency: 32, stepMs: 1000, allowUserCode: [] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await session.handle("cancelAnalysis", {});
    await expect(profiling).rejects.toThrow("profile cancelled");
    const { runId } = await session.handle("startRun", { spec, allowUserCode: [] });
    expect(runId).toMatch(/^run-/);
  });
});
