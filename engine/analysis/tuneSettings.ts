import type { PipelineFile } from "../spec/schema.js";
import type { PipelineSnapshot } from "../stats/snapshot.js";

/** The knobs auto-tune turns: pool threads, each stage's concurrency, remote stages' worker threads (by stage id). */
export interface TuneSettings {
  numThreads: number;
  concurrency: Record<string, number>;
  /**
   * Remote stages: the jobs each worker serving the stage runs at once (setWorkerThreads). Not
   * part of the file (each worker starts with its --threads): present once a run has shown them.
   */
  workerThreads?: Record<string, number>;
}

/** What the settings spend of a thread budget: the pool's threads and each remote stage's worker threads. */
export function threadsUsed(settings: TuneSettings): number {
  return settings.numThreads + Object.values(settings.workerThreads ?? {}).reduce((sum, threads) => sum + threads, 0);
}

/**
 * The settings with the worker threads the run's remote stages have now (the live knob's value,
 * else the most a serving worker runs): the search starts from what runs. Stages no worker
 * serves yet are left out (there is nothing to turn).
 */
export function withObservedWorkerThreads(settings: TuneSettings, snapshot: PipelineSnapshot): TuneSettings {
  const workerThreads: Record<string, number> = { ...settings.workerThreads };
  for (const stage of snapshot.stages) {
    const remote = stage.remote;
    if (!remote || stage.name in workerThreads) continue;
    const serving = remote.workers.filter((worker) => worker.connected && !worker.refused);
    const threads = remote.workerThreads ?? (serving.length > 0 ? Math.max(...serving.map((worker) => worker.threads)) : null);
    if (threads !== null) workerThreads[stage.name] = threads;
  }
  return Object.keys(workerThreads).length > 0 ? { ...settings, workerThreads } : settings;
}

/** The file's settings: its numThreads and each stage's concurrency. */
export function fileSettings(spec: PipelineFile): TuneSettings {
  const concurrency: Record<string, number> = {};
  for (const node of spec.nodes) if (node.kind === "stage") concurrency[node.id] = node.concurrency;
  return { numThreads: spec.build.numThreads, concurrency };
}

/** Settings brought within the search bounds (threads within the budget, concurrency within the bound). */
export function clampSettings(settings: TuneSettings, budgetThreads: number, maxConcurrency: number): TuneSettings {
  return {
    numThreads: Math.min(settings.numThreads, budgetThreads),
    concurrency: Object.fromEntries(
      Object.entries(settings.concurrency).map(([stage, concurrency]) => [stage, Math.min(concurrency, maxConcurrency)]),
    ),
    ...(settings.workerThreads ? { workerThreads: { ...settings.workerThreads } } : {}),
  };
}

/** The file with these settings in place of its own (a new object; the rest unchanged). Worker threads are not a file's. */
export function withSettings(spec: PipelineFile, settings: TuneSettings): PipelineFile {
  return {
    ...spec,
    nodes: spec.nodes.map((node) => (node.id in settings.concurrency ? { ...node, concurrency: settings.concurrency[node.id] } : node)),
    build: { ...spec.build, numThreads: settings.numThreads },
  };
}

/** What changed from `from` to `to`, in words: "download concurrency 4 → 8, numThreads 1 → 2". */
export function describeChanges(from: TuneSettings, to: TuneSettings): string {
  const changes = Object.keys(to.concurrency)
    .filter((stage) => from.concurrency[stage] !== to.concurrency[stage])
    .map((stage) => `${stage} concurrency ${from.concurrency[stage]} → ${to.concurrency[stage]}`);
  for (const [stage, threads] of Object.entries(to.workerThreads ?? {})) {
    const was = from.workerThreads?.[stage];
    if (was !== threads) changes.push(`${stage} worker threads ${was ?? "(the workers' own)"} → ${threads}`);
  }
  if (from.numThreads !== to.numThreads) changes.push(`numThreads ${from.numThreads} → ${to.numThreads}`);
  return changes.length > 0 ? changes.join(", ") : "no change";
}

export function settingsKey(settings: TuneSettings): string {
  const sorted = (values: Record<string, number>) => Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([settings.numThreads, sorted(settings.concurrency), sorted(settings.workerThreads ?? {})]);
}
