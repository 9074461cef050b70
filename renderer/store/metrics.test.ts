import { describe, expect, it } from "vitest";
import { useMetrics } from "./metrics.js";
import { pipelineSnapshot } from "./testing/snapshot.js";

const snapshot = (fields: Parameters<typeof pipelineSnapshot>[0]) => pipelineSnapshot({ state: "running", ...fields });

describe("the run summary the status bar shows", () => {
  it("carries the consumer's readiness (null without a consumer) and the CPU share", () => {
    useMetrics.getState().ingest("r1", snapshot({ readiness: 0.973, cpu: 0.41 }), "out");
    expect(useMetrics.getState().summary).toMatchObject({ readiness: 0.973, cpu: 0.41 });
    useMetrics.getState().ingest("r1", snapshot({}), "out");
    expect(useMetrics.getState().summary).toMatchObject({ readiness: null, cpu: 0.2 });
  });
});
