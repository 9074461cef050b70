/**
 * Auto-tune for readiness against an exhaustive grid, on the examples whose sink has a consumer:
 * the tuned setting must keep the consumer fed (readiness ≥ 99 %) with at most 1.2× the pool
 * threads of the cheapest grid setting that does (fewest threads, then least CPU). The grid is
 * walked by thread count, fewest first, and stops after the first count where some setting
 * reaches the target; the tuned and the cheapest settings are then re-measured in alternating
 * rounds for their readiness and CPU.
 */
import { readdir } from "node:fs/promises";
import { tunePipelineFile, type TuneSettings } from "../engine/analysis/index.js";
import type { Measurement as Window } from "../engine/analysis/measure.js";
import { loadPipelineFile, type PipelineFile } from "../engine/spec/index.js";
import { median, pairedRatios } from "./measure.js";
import { withLivePipeline } from "./livePipeline.js";
import { figure, measurement, type Figure, type Measurement } from "./report.js";
import type { SuiteContext } from "./suite.js";
import { EXAMPLES_DIR, describeSettings, gridSettings, type Plan } from "./tuningGrid.js";

export const READINESS_TARGET = 0.99;
export const THREADS_TARGET = { kind: "atMost", value: 1.2 } as const;
export const READINESS_REACHED_TARGET = { kind: "atLeast", value: 1 } as const;

/** One grid setting's figures. */
export interface GridPoint {
  settings: TuneSettings;
  readiness: number;
  cpu: number;
}

/** The cheapest point that reaches the target: fewest threads, then least CPU, then fewest slots; null if none does. */
export function cheapestReaching(points: readonly GridPoint[], target: number): GridPoint | null {
  const slots = (point: GridPoint) => Object.values(point.settings.concurrency).reduce((sum, value) => sum + value, 0);
  const reaching = points.filter((point) => point.readiness >= target);
  reaching.sort((a, b) => a.settings.numThreads - b.settings.numThreads || a.cpu - b.cpu || slots(a) - slots(b));
  return reaching[0] ?? null;
}

/** The examples whose sink stands for a consumer, by name. */
async function consumerExamples(): Promise<{ name: string; spec: PipelineFile }[]> {
  const names = (await readdir(EXAMPLES_DIR)).filter((file) => file.endsWith(".pipeline.json")).sort();
  const examples = await Promise.all(
    names.map(async (file) => ({
      name: file.replace(/\.pipeline\.json$/, ""),
      spec: (await loadPipelineFile(`${EXAMPLES_DIR}${file}`)).spec,
    })),
  );
  return examples.filter(({ spec }) => spec.nodes.some((node) => node.kind === "sink" && node.consumer !== null));
}

export async function runReadinessTuning(
  context: SuiteContext,
  plan: Plan,
  budget: number,
): Promise<{ measurements: Measurement[]; figures: Figure[]; notes: string[] }> {
  const measurements: Measurement[] = [];
  const figures: Figure[] = [];
  const notes: string[] = [];
  const percent = `${READINESS_TARGET * 100} %`;
  for (const { name, spec } of await consumerExamples()) {
    const stages = spec.nodes.filter((node) => node.kind === "stage").map((node) => node.id);
    context.progress(`[tuning] ${name}: auto-tune for readiness ≥ ${percent} (budget ${budget} threads)…`);
    const tuned = await tunePipelineFile(spec, {
      baseDir: EXAMPLES_DIR,
      budgetThreads: budget,
      maxConcurrency: 32,
      objective: "readiness",
      readiness: READINESS_TARGET,
      window: plan.window,
      timeLimitMs: 25_000,
    });

    const grid = gridSettings(stages, plan.grid, budget);
    context.progress(`[tuning] ${name}: the grid's cheapest setting that keeps readiness ≥ ${percent}…`);
    const result = await withLivePipeline(spec, EXAMPLES_DIR, budget, plan.window, async (measureSettings) => {
      const points: GridPoint[] = [];
      for (const settings of grid) {
        // Walked by thread count: once a count reaches the target, more threads cannot be cheaper.
        const found = cheapestReaching(points, READINESS_TARGET);
        if (found && settings.numThreads > found.settings.numThreads) break;
        const window = await measureSettings(settings);
        points.push({ settings, readiness: window.readiness ?? 0, cpu: window.cpu });
      }
      const cheapest = cheapestReaching(points, READINESS_TARGET);
      const tunedWindows: Window[] = [];
      const cheapestWindows: Window[] = [];
      for (let round = 0; round < plan.confirmRounds; round++) {
        tunedWindows.push(await measureSettings(tuned.after.settings));
        if (cheapest) cheapestWindows.push(await measureSettings(cheapest.settings));
      }
      return { measured: points.length, cheapest, tunedWindows, cheapestWindows };
    });

    const readinessOf = (windows: Window[]) => windows.map((window) => window.readiness ?? 0);
    const cpuOf = (windows: Window[]) => windows.map((window) => window.cpu);
    const tunedLabel = `auto-tune for readiness (${describeSettings(tuned.after.settings)})`;
    measurements.push(
      measurement(
        name,
        tunedLabel,
        "fraction",
        readinessOf(result.tunedWindows),
        `readiness; CPU ${formatCpu(median(cpuOf(result.tunedWindows)))}; ${tuned.goal.summary}; found in ${(tuned.elapsedMs / 1000).toFixed(1)} s`,
      ),
    );
    figures.push(
      figure(
        {
          id: `tuning.${name}.readinessReached`,
          suite: "tuning",
          label: `${name}: readiness of the tuned setting vs the ${percent} target`,
          unit: "fraction",
          value: median(readinessOf(result.tunedWindows)),
          peer: { name: "target", value: READINESS_TARGET },
          target: READINESS_REACHED_TARGET,
        },
        readinessOf(result.tunedWindows).map((readiness) => readiness / READINESS_TARGET),
      ),
    );
    notes.push(`${name}: readiness tuning stopped because ${tuned.stoppedBecause}`);
    const cheapest = result.cheapest;
    if (!cheapest) {
      notes.push(`${name}: none of the ${result.measured} grid settings measured kept readiness ≥ ${percent} on this machine`);
      continue;
    }
    const cheapestLabel = `grid cheapest (${describeSettings(cheapest.settings)})`;
    measurements.push(
      measurement(
        name,
        cheapestLabel,
        "fraction",
        readinessOf(result.cheapestWindows),
        `readiness; CPU ${formatCpu(median(cpuOf(result.cheapestWindows)))}; cheapest of ${result.measured} grid settings measured`,
      ),
    );
    figures.push(
      figure({
        id: `tuning.${name}.readinessThreads`,
        suite: "tuning",
        label: `${name}: pool threads for readiness ≥ ${percent}, auto-tune vs the grid's cheapest`,
        unit: "threads",
        value: tuned.after.settings.numThreads,
        peer: { name: cheapestLabel, value: cheapest.settings.numThreads },
        target: THREADS_TARGET,
      }),
      figure(
        {
          id: `tuning.${name}.readinessCpu`,
          suite: "tuning",
          label: `${name}: CPU share of the tuned setting vs the grid's cheapest`,
          unit: "fraction",
          value: median(cpuOf(result.tunedWindows)),
          peer: { name: cheapestLabel, value: median(cpuOf(result.cheapestWindows)) },
          target: null,
        },
        pairedRatios(cpuOf(result.tunedWindows), cpuOf(result.cheapestWindows)),
      ),
    );
  }
  return { measurements, figures, notes };
}

function formatCpu(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}
