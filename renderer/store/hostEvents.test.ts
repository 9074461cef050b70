import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import type { PipelineFile, RunEnded } from "../api/types.js";
import { useAnalysis } from "./analysis.js";
import { closeDialog, showDialog, useDialog } from "./dialog.js";
import { useDocument } from "./document.js";
import { editLockReason } from "./editLock.js";
import { setHostApi } from "./hostConnection.js";
import { routeHostEvent } from "./hostEvents.js";
import { useLiveSeries } from "./liveSeries.js";
import { useMetrics } from "./metrics.js";
import { dismissNotice, showError, useNotice } from "./notice.js";
import { useRun } from "./run.js";
import { setPaused } from "./runCommands.js";
import { fakeApi } from "./testing/fakeApi.js";
import { snapshotStub } from "./testing/snapshot.js";

/** The router: what each host event does to the stores. */

const snapshot = snapshotStub();
const example = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../examples/${name}.pipeline.json`, import.meta.url), "utf8")) as PipelineFile;
const seed = example("seed-download-preprocess");

const ended = (runId: string, reportNotice: string | null = null): RunEnded => ({
  runId,
  outcome: "completed",
  error: null,
  snapshot,
  reportNotice,
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  useRun.setState({ status: "running", id: "r1", ended: null, failures: [], runGraph: null });
  closeDialog();
  dismissNotice();
});

describe("host events", () => {
  it("a run's end: the run shows it ended, a report that could not be saved says so, an open Runs dialog reloads, failures are read", async () => {
    const api = fakeApi({ listRuns: async () => ({ folder: null, runs: [], notices: [] }), getFailures: async () => [] });
    setHostApi(api);
    showDialog({ kind: "runs" });
    routeHostEvent({ type: "runEnded", ended: ended("r1", "the report stays in memory: disk full") });
    await settle();
    expect(useRun.getState()).toMatchObject({ status: "ended", id: "r1", ended: { runId: "r1" } });
    expect(useNotice.getState().notice).toEqual({ kind: "error", text: "the report stays in memory: disk full" });
    expect(api.asked).toEqual(["listRuns", "getFailures"]);
  });

  it("a run's end shows the verdict over the whole run in place of the last second's", () => {
    setHostApi(fakeApi({ getFailures: async () => [] }));
    useRun.setState({ bottleneck: { stage: "download", reason: "last second", stages: [] } });
    const whole = { stage: null, reason: "", stages: [] };
    routeHostEvent({ type: "runEnded", ended: { ...ended("r1"), bottleneck: whole } });
    expect(useRun.getState().bottleneck).toEqual(whole);
  });

  it("with the Runs dialog closed, a run's end reads only the failures", async () => {
    const api = fakeApi({ getFailures: async () => [] });
    setHostApi(api);
    routeHostEvent({ type: "runEnded", ended: ended("r1") });
    await settle();
    expect(useNotice.getState().notice).toBeNull();
    expect(api.asked).toEqual(["getFailures"]);
  });

  it("another run's end changes nothing", async () => {
    const api = fakeApi({});
    setHostApi(api);
    routeHostEvent({ type: "runEnded", ended: ended("r2") });
    await settle();
    expect(useRun.getState()).toMatchObject({ status: "running", id: "r1", ended: null });
    expect(api.asked).toEqual([]);
  });

  it("the host's activity: a run another page started is shown; a run this page is starting takes the host's id", () => {
    useRun.setState({ status: "idle", id: null });
    useDocument.getState().load({ spec: seed, path: null, problems: [] });
    const run = { runId: "r7", spec: seed, path: null, snapshot: null, bottleneck: null };
    routeHostEvent({ type: "activity", activity: { kind: "run", run } });
    expect(useRun.getState()).toMatchObject({
      status: "running",
      id: "r7",
      stages: ["urls", "download", "preprocess", "sink"],
      hostActivity: "run",
      runGraph: null,
    });
    useRun.setState({ status: "starting", id: null });
    routeHostEvent({ type: "activity", activity: { kind: "tune", run: { ...run, runId: "r8" } } });
    expect(useRun.getState()).toMatchObject({ status: "running", id: "r8", hostActivity: "tune" });
    routeHostEvent({ type: "activity", activity: { kind: null, run: null } });
    expect(useRun.getState().hostActivity).toBeNull();
  });

  it("a run of another graph than the page's: named, its totals shown, its stage figures and verdict kept off this graph's nodes", () => {
    useRun.setState({ status: "idle", id: null });
    useDocument.getState().load({ spec: example("input-order"), path: "/data/input-order.pipeline.json", problems: [] });
    const run = { runId: "r9", spec: seed, path: "/data/seed.pipeline.json", snapshot: null, bottleneck: null };
    routeHostEvent({ type: "activity", activity: { kind: "run", run } });
    expect(useRun.getState()).toMatchObject({ status: "running", id: "r9", stages: [], runGraph: { path: "/data/seed.pipeline.json" } });
    // Its own document stays editable.
    expect(editLockReason()).toBeNull();
    const stage = { name: "sink", kind: "pipe", concurrency: 1, throughput: 9, recentLatencyMs: { p50Ms: 1, p90Ms: 2 } };
    const verdict = { stage: "sink", reason: "named in the other graph", stages: [] };
    routeHostEvent({
      type: "runStats",
      runId: "r9",
      snapshot: snapshotStub({ state: "running", itemsDelivered: 42, stages: [stage] as never }),
      bottleneck: verdict,
    });
    expect(useMetrics.getState().summary?.itemsDelivered).toBe(42);
    expect(useMetrics.getState().stages).toEqual({});
    expect(useRun.getState().bottleneck).toBeNull();
    expect(useLiveSeries.getState().runId).not.toBe("r9");
  });

  it("an error about the host's activity (a refused Run) goes once the activity changes; other errors stay", () => {
    showError("a run is in progress: stop it first", "hostActivity");
    routeHostEvent({ type: "activity", activity: { kind: null, run: null } });
    expect(useNotice.getState().notice).toBeNull();
    showError("disk full");
    routeHostEvent({ type: "activity", activity: { kind: null, run: null } });
    expect(useNotice.getState().notice?.text).toBe("disk full");
  });

  it("a knob's refusal (auto-tune measuring, or the run's own) goes once the activity changes or the run ends", () => {
    useRun.setState({ knobNote: { knob: "numThreads", text: "Not applied: auto-tune is turning the knobs of this run" } });
    routeHostEvent({ type: "activity", activity: { kind: null, run: null } });
    expect(useRun.getState().knobNote).toBeNull();
    useRun.setState({ status: "running", id: "r1", knobNote: { knob: "download.concurrency", text: "Not applied: …" } });
    setHostApi(fakeApi({ getFailures: async () => [] }));
    routeHostEvent({ type: "runEnded", ended: ended("r1") });
    expect(useRun.getState().knobNote).toBeNull();
  });

  it("a refused Stop or Pause (no run, auto-tune measuring) goes once the activity changes", async () => {
    setHostApi(
      fakeApi({ pauseRun: async () => Promise.reject(new Error("auto-tune is turning the knobs of this run: stop tuning first")) }),
    );
    await setPaused(true);
    expect(useNotice.getState().notice).toMatchObject({ kind: "error", until: "hostActivity" });
    routeHostEvent({ type: "activity", activity: { kind: "run", run: null } });
    expect(useNotice.getState().notice).toBeNull();
  });

  it("a menu command does what its button does", () => {
    useAnalysis.setState({ panel: null });
    routeHostEvent({ type: "menuCommand", command: "autoTune" });
    expect(useAnalysis.getState().panel).toBe("tune");
  });

  it("Help → Keyboard Shortcuts shows the shortcut list", () => {
    closeDialog();
    routeHostEvent({ type: "menuCommand", command: "shortcuts" });
    expect(useDialog.getState().dialog).toEqual({ kind: "shortcuts" });
  });
});
