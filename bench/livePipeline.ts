import type { Pipeline } from "../engine/index.js";
import type { MeasureWindow, TuneSettings } from "../engine/analysis/index.js";
import { drainAtConsumerPace } from "../engine/analysis/consumerPace.js";
import { measure, type Measurement } from "../engine/analysis/measure.js";
import { compilePipeline, type PipelineFile } from "../engine/spec/index.js";

/**
 * One running pipeline (sources repeating, read at its sink's consumer's pace when it has one)
 * whose settings change live between measurements: every setting a benchmark compares is
 * measured the same way, on the same pipeline.
 */
export async function withLivePipeline<T>(
  spec: PipelineFile,
  baseDir: string,
  budget: number,
  window: MeasureWindow,
  use: (measureSettings: (settings: TuneSettings) => Promise<Measurement>) => Promise<T>,
): Promise<T> {
  const { builder, buildOptions } = compilePipeline(spec, { baseDir, repeatSources: true });
  const pipeline = builder.build({
    ...buildOptions,
    numThreads: Math.min(budget, buildOptions.numThreads ?? 1),
    maxThreads: Math.max(budget, buildOptions.numThreads ?? 1),
  }) as Pipeline<unknown>;
  const stopped = new AbortController();
  const consuming = drainAtConsumerPace(pipeline, buildOptions.consumer, stopped.signal);
  const measureSettings = async (settings: TuneSettings): Promise<Measurement> => {
    pipeline.setNumThreads(settings.numThreads);
    for (const [stage, concurrency] of Object.entries(settings.concurrency)) pipeline.setConcurrency(stage, concurrency);
    return measure(pipeline, window);
  };
  try {
    return await use(measureSettings);
  } finally {
    stopped.abort();
    await pipeline.stop();
    await consuming;
  }
}
