/** The pipeline every stress run runs: three items through a no-time pool op on 8 threads, so a run is mostly pool start-up and teardown. */
import type { PipelineFileInput } from "../../host/protocol.js";

export const TINY_ITEMS = 3;

export const TINY_PIPELINE: PipelineFileInput = {
  format: "pipeline-studio/1",
  name: "stress: three tiny items on 8 threads",
  nodes: [
    { id: "numbers", kind: "source", op: "range", params: { count: TINY_ITEMS } },
    { id: "work", kind: "stage", op: "cpu", params: { ms: 0 }, concurrency: 2 },
    { id: "sink", kind: "sink" },
  ],
  edges: [
    { from: "numbers", to: "work" },
    { from: "work", to: "sink" },
  ],
  build: { numThreads: 8 },
};
