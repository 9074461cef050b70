import type { PipelineSnapshot } from "../../api/types.js";

/** A run's snapshot for store tests: a small finished-looking run, with the given fields. */
export function pipelineSnapshot(fields: Partial<PipelineSnapshot> = {}): PipelineSnapshot {
  return {
    state: "completed",
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
  } as unknown as PipelineSnapshot;
}
