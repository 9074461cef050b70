import { describe, expect, it } from "vitest";
import type { PipelineSnapshot } from "../api/types.js";
import { useMetrics } from "./metrics.js";

const snapshot = (fields: Partial<PipelineSnapshot>) =>
  ({
    state: "running",
    paused: false,
    draining: false,
    elapsedMs: 1000,
    itemsDelivered: 3,
    deliveredPerSecond: 3,
    failures: 0,
    stages: [],
    queues: [],
    pool: null,
    process: { eventLoopUtilization: 0.1 },
    readiness: null,
    cpu: 0.2,
    ...fields,
  }) as unknown as PipelineSnapshot;

describe("the run summary the status bar shows", () => {
  it("carries the consumer's readiness (null without a consumer) and the CPU share", () => {
    useMetrics.getState().ingest("r1", snapshot({ readiness: 0.973, cpu: 0.41 }), "out");
    expect(useMetrics.getState().summary).toMatchObject({ readiness: 0.973, cpu: 0.41 });
    useMetrics.getState().ingest("r1", snapshot({}), "out");
    expect(useMetrics.getState().summary).toMatchObject({ readiness: null, cpu: 0.2 });
  });
});
