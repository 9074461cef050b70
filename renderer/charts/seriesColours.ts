/**
 * One colour per stage, the same on every chart and on the stage's node swatch: stages take
 * Tableau 10's colours in the order the document lists them (so a colour survives a rerun).
 * A queue's line takes the colour of the stage it feeds: the queue is that stage's input.
 */
const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
/** The sink's own colour on the canvas (its node's top border). */
export const SINK_COLOUR = "#8a63d2";

export const POOL_COLOURS = { busyThreads: "#3b6fd8", waitingTasks: "#d99a1e", numThreads: "#9aa5b8" } as const;

/** The consumer chart: readiness green (fed), the CPU share a neutral slate. */
export const CONSUMER_COLOURS = { readiness: "#2f9e44", cpu: "#6b5b95" } as const;

/** `stageIds` in document order, sink excluded. An unknown id (renamed since the run) gets a colour by hash, still stable. */
export function stageColour(id: string, stageIds: readonly string[]): string {
  return stageColourAt(stageIds.indexOf(id), id);
}

/** The colour of the stage at `index` in document order (sink excluded); -1 (not among them): by `id`'s hash. */
export function stageColourAt(index: number, id: string): string {
  if (index >= 0) return PALETTE[index % PALETTE.length];
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length];
}
