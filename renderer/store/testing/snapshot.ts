import type { PipelineSnapshot } from "../../api/types.js";

/** The whole-run figures of a snapshot the store tests need (no stages or queues), with what a test changes. */
export function snapshotStub(patch: Partial<PipelineSnapshot> = {}): PipelineSnapshot {
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
    ...patch,
  } as unknown as PipelineSnapshot;
}
