/** The pipeline the memory suite measures, shared by the child that runs it and the table that describes it. */
import { PipelineBuilder, type Pipeline } from "../engine/index.js";
import { range } from "./source.js";

/** One child's figures, printed by memoryChild.ts as one JSON line. */
export interface MemoryRun {
  items: number;
  delivered: number;
  elapsedMs: number;
  /** process.resourceUsage().maxRSS, in bytes. */
  maxRssBytes: number;
  /** RSS before the pipeline was built: the runtime's own share. */
  baselineRssBytes: number;
  /** Highest heapUsed seen by a 50 ms sampler and at the end. */
  peakHeapUsedBytes: number;
  /**
   * heapUsed after a full GC once the last item is out, with the pipeline still referenced: what
   * the run retained. Peaks follow V8's collection schedule (later under CPU pressure); this does not.
   */
  retainedHeapBytes: number;
  /** Most items sitting in the pipeline's queues at one sample. */
  peakQueuedItems: number;
  /** Mean latency per pipe stage, ms. */
  meanLatencyMs: number[];
  /** Samples taken while running: the proof that timers fired during the run. */
  samples: number;
}

// Cheap but not free, so 3M items finish in seconds: microtask turns, ten for the slow stage.
const FAST_TURNS = 1;
const SLOW_TURNS = 10;
const CONCURRENCY = 2;

export const MEMORY_WORKLOAD = `3 async stages of ${FAST_TURNS}, ${SLOW_TURNS}, ${FAST_TURNS} microtask turns per item, concurrency ${CONCURRENCY} each`;

async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await null;
}

const fastBefore = async (x: number): Promise<number> => {
  await turns(FAST_TURNS);
  return x;
};
const slow = async (x: number): Promise<number> => {
  await turns(SLOW_TURNS);
  return x;
};
const fastAfter = async (x: number): Promise<number> => {
  await turns(FAST_TURNS);
  return x;
};

export function buildMemoryPipeline(items: number): Pipeline<number> {
  return new PipelineBuilder()
    .addSource(range(items))
    .pipe(fastBefore, { concurrency: CONCURRENCY })
    .pipe(slow, { concurrency: CONCURRENCY })
    .pipe(fastAfter, { concurrency: CONCURRENCY })
    .addSink(2)
    .build();
}
