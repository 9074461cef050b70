import type { Pipeline } from "../pipeline.js";
import type { RemoteOptions } from "../remote/remoteExecutor.js";
import { compilePipeline } from "../spec/compile.js";
import type { PipelineFile } from "../spec/schema.js";
import type { PipelineSnapshot } from "../stats/snapshot.js";
import { autoTune, tuneBounds, type TuneOptions, type TuneResult } from "./tune.js";
import { fileSettings, withSettings } from "./tuneSettings.js";

export interface TuneFileOptions extends TuneOptions {
  baseDir: string;
  /** Snapshots while tuning (the CLI's progress line). */
  onStats?: (snapshot: PipelineSnapshot) => void;
  /** The remote stages' Redis, over the file's build.remote. */
  remote?: RemoteOptions;
  statsIntervalMs?: number;
}

export interface TunedPipelineFile extends TuneResult {
  /** The file with the settings found (the caller decides whether to save it). */
  tuned: PipelineFile;
}

/**
 * Auto-tunes a pipeline file: runs it with its sources repeating (a short source would end
 * before the search does), tunes the running pipeline live, then stops it.
 */
export async function tunePipelineFile(spec: PipelineFile, options: TuneFileOptions): Promise<TunedPipelineFile> {
  const { budget } = tuneBounds(options);
  const { builder, buildOptions } = compilePipeline(spec, { baseDir: options.baseDir, repeatSources: true });
  const initial = fileSettings(spec);
  const pipeline = builder.build({
    ...buildOptions,
    ...(options.remote ? { remote: options.remote } : {}),
    numThreads: initial.numThreads,
    maxThreads: Math.max(budget, initial.numThreads),
    onStats: options.onStats,
    statsIntervalMs: options.statsIntervalMs,
  }) as Pipeline<unknown>;
  const consuming = drain(pipeline);
  try {
    const result = await autoTune(pipeline, initial, options);
    return { ...result, tuned: withSettings(spec, result.after.settings) };
  } finally {
    await pipeline.stop();
    await consuming;
  }
}

/** Reads and discards every item; a pipeline error surfaces through the tuner's state check. */
async function drain(pipeline: Pipeline<unknown>): Promise<void> {
  try {
    for await (const _item of pipeline) {
      // throughput is what is measured, not the items
    }
  } catch {
    // The tuner reports a failed pipeline by its state.
  }
}
