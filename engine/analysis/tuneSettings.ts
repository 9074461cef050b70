import type { PipelineFile } from "../spec/schema.js";

/** The knobs auto-tune turns: pool threads and each stage's concurrency (by stage id). */
export interface TuneSettings {
  numThreads: number;
  concurrency: Record<string, number>;
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
  };
}

/** The file with these settings in place of its own (a new object; the rest unchanged). */
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
  if (from.numThreads !== to.numThreads) changes.push(`numThreads ${from.numThreads} → ${to.numThreads}`);
  return changes.length > 0 ? changes.join(", ") : "no change";
}

export function settingsKey(settings: TuneSettings): string {
  return JSON.stringify([settings.numThreads, Object.entries(settings.concurrency).sort(([a], [b]) => a.localeCompare(b))]);
}
