import { beforeEach, describe, expect, it } from "vitest";
import type { RunEnded } from "../api/types.js";
import { useAnalysis } from "./analysis.js";
import { closeDialog, showDialog } from "./dialog.js";
import { setHostApi } from "./hostConnection.js";
import { routeHostEvent } from "./hostEvents.js";
import { dismissNotice, useNotice } from "./notice.js";
import { useRun } from "./run.js";
import { fakeApi } from "./testing/fakeApi.js";
import { pipelineSnapshot } from "./testing/snapshot.js";

/** The router: what each host event does to the stores. */

const snapshot = pipelineSnapshot();

const ended = (runId: string, reportNotice: string | null = null): RunEnded => ({
  runId,
  outcome: "completed",
  error: null,
  snapshot,
  reportNotice,
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  useRun.setState({ status: "running", id: "r1", ended: null, failures: [] });
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

  it("a menu command does what its button does", () => {
    useAnalysis.setState({ panel: null });
    routeHostEvent({ type: "menuCommand", command: "autoTune" });
    expect(useAnalysis.getState().panel).toBe("tune");
  });
});
