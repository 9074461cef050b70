import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import type { PipelineFile, PipelineSnapshot } from "../api/types.js";
import { useDocument } from "./document.js";
import { setHostApi } from "./hostConnection.js";
import { useMetrics } from "./metrics.js";
import { useNotice } from "./notice.js";
import { useRun } from "./run.js";
import { liveNumThreads, liveWorkerThreads, startRun } from "./runCommands.js";
import { setLocalWorkers } from "./runOptions.js";
import { fakeApi } from "./testing/fakeApi.js";
import { snapshotStub } from "./testing/snapshot.js";

/** A knob the run refuses is not shown as applied. */
const seed = JSON.parse(
  readFileSync(new URL("../../examples/seed-download-preprocess.pipeline.json", import.meta.url), "utf8"),
) as PipelineFile;

const running = snapshotStub({
  state: "running",
  pool: { numThreads: 3, maxThreads: 4, busyThreads: 3, waitingTasks: 0 } as PipelineSnapshot["pool"],
});

beforeEach(() => {
  useDocument.getState().load({ spec: seed, path: null, problems: [] });
  useRun.setState({ status: "running", id: "r1", knobNote: null });
  useMetrics.getState().ingest("r1", running, "sink");
  useNotice.setState({ notice: null });
});

describe("live knobs", () => {
  it("numThreads refused: the field shows what the run has, the reason stands beside it, no banner", async () => {
    setHostApi(
      fakeApi({ setNumThreads: async () => Promise.reject(new Error("numThreads must be at most 4 (the pool's maxThreads), got 6")) }),
    );
    useDocument.getState().setBuild({ numThreads: 6 });
    await liveNumThreads(6);
    expect(useDocument.getState().build.numThreads).toBe(3);
    expect(useRun.getState().knobNote).toEqual({
      knob: "numThreads",
      text: "Not applied: numThreads must be at most 4 (the pool's maxThreads), got 6; the run keeps 3",
    });
    expect(useNotice.getState().notice).toBeNull();
  });

  it("accepted, an earlier refusal's note goes", async () => {
    useRun.setState({ knobNote: { knob: "numThreads", text: "Not applied: …" } });
    setHostApi(fakeApi({ setNumThreads: async () => ({}) }));
    await liveNumThreads(4);
    expect(useRun.getState().knobNote).toBeNull();
  });
});

describe("remote stages from the app", () => {
  it("worker threads: the request names the stage and the threads; refused, the reason stands beside the field", async () => {
    useRun.setState({ stages: ["urls", "download", "preprocess", "sink"] });
    const api = fakeApi({ setWorkerThreads: async () => Promise.reject(new Error("setWorkerThreads: 'preprocess' does not run remote")) });
    setHostApi(api);
    await liveWorkerThreads("preprocess", 4);
    expect(api.asked).toEqual(["setWorkerThreads"]);
    expect(api.params).toEqual([{ stage: "preprocess", threads: 4 }]);
    expect(useRun.getState().knobNote).toEqual({
      knob: "preprocess.workerThreads",
      text: "Not applied: setWorkerThreads: 'preprocess' does not run remote",
    });
  });

  it("local workers go with a run of a graph that has a remote stage, and only then", async () => {
    setLocalWorkers(2);
    const api = fakeApi({ startRun: async () => ({ runId: "r2" }) });
    setHostApi(api);

    useRun.setState({ status: "idle", id: null });
    await startRun();
    expect(api.params[0]).not.toHaveProperty("localWorkers");

    useRun.setState({ status: "idle", id: null });
    useDocument.getState().updateNode("preprocess", { runOn: "remote" });
    expect(useDocument.getState().nodes.find((node) => node.id === "preprocess")!.data.runOn).toBe("remote");
    await startRun();
    expect(api.params[1]).toMatchObject({ localWorkers: 2 });

    setLocalWorkers(0);
    useRun.setState({ status: "idle", id: null });
    await startRun();
    expect(api.params[2]).not.toHaveProperty("localWorkers");
  });
});
