import { fileURLToPath } from "node:url";
import type { MeasureWindow, TuneSettings } from "../engine/analysis/index.js";

/** What the tuning benchmark's searches share: the examples' folder, the plan, the grid. */

export const EXAMPLES_DIR = fileURLToPath(
  new URL(import.meta.url.includes("/dist/") ? "../../examples/" : "../examples/", import.meta.url),
);

export interface Plan {
  window: MeasureWindow;
  grid: number[];
  confirmRounds: number;
}

/** Every combination of the grid's concurrency per stage and 1 … budget threads. */
export function gridSettings(stages: readonly string[], levels: readonly number[], budget: number): TuneSettings[] {
  let combos: Record<string, number>[] = [{}];
  for (const stage of stages) combos = combos.flatMap((combo) => levels.map((level) => ({ ...combo, [stage]: level })));
  return Array.from({ length: budget }, (_, index) => index + 1).flatMap((numThreads) =>
    combos.map((concurrency) => ({ numThreads, concurrency })),
  );
}

export const describeSettings = (settings: TuneSettings): string =>
  [`threads ${settings.numThreads}`, ...Object.entries(settings.concurrency).map(([stage, concurrency]) => `${stage} ${concurrency}`)].join(
    ", ",
  );
