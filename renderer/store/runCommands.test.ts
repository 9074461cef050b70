import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import type { PipelineFile, PipelineSnapshot } from "../api/types.js";
import { useDocument } from "./document.js";
import { setHostApi } from "./hostConnection.js";
import { useMetrics } from "./metrics.js";
import { useNotice } from "./notice.js";
import { useRun } from "./run.js";
import { liveNumThreads } from "./runCommands.js";
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
