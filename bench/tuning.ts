/**
 * Auto-tune against the file's settings and against the best setting an exhaustive search
 * over a small grid finds (concurrency 1, 2, 4, 8 per stage × 1 … cores threads), on the
 * examples. The target: tuned throughput at least 0.9 of the grid's best, found in under 30 s.
 * Every setting is measured the same way on one live pipeline per example (sources repeating,
 * knobs changed live), and the tuned and best settings are re-measured in alternating rounds.
 * On the examples whose sink has a consumer, tuningReadiness.ts judges the readiness objective.
 */
import { availableParallelism } from "node:os";
import { fileSettings, tunePipelineFile, type TuneSettings } from "../engine/analysis/index.js";
import { loadPipelineFile } from "../engine/spec/index.js";
import { withLivePipeline } from "./livePipeline.js";
import { EXAMPLES_DIR, describeSettings, gridSettings, type Plan } from "./tuningGrid.js";
import { READINESS_TARGET, runReadinessTuning } from "./tuningReadiness.js";
import { pairedRatios } from "./measure.js";
import { figure, measurement, type Figure, type Measurement, type SuiteResult } from "./report.js";
import type { SuiteContext } from "./suite.js";

const EXAMPLES = ["seed-download-preprocess", "pool-starved"];
export const QUALITY_TARGET = { kind: "atLeast", value: 0.9 } as const;
export const TIME_TARGET = { kind: "atMost", value: 1 } as const;
const TIME_LIMIT_MS = 30_000;

const FULL: Plan = { window: { settleMs: 300, measureMs: 1000 }, grid: [1, 2, 4, 8], confirmRounds: 3 };
const QUICK: Plan = { window: { settleMs: 200, measureMs: 500 }, grid: [1, 4], confirmRounds: 2 };

export async function runTuning(context: SuiteContext): Promise<SuiteResult> {
  const plan = context.quick ? QUICK : FULL;
  const budget = availableParallelism();
  const measurements: Measurement[] = [];
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const name of EXAMPLES) {
    const { spec } = await loadPipelineFile(`${EXAMPLES_DIR}${name}.pipeline.json`);
    const stages = spec.nodes.filter((node) => node.kind === "stage").map((node) => node.id);

    context.progress(`[tuning] ${name}: auto-tune (budget ${budget} threads)…`);
    const tuned = await tunePipelineFile(spec, {
      baseDir: EXAMPLES_DIR,
      budgetThreads: budget,
      maxConcurrency: 32,
      window: plan.window,
      timeLimitMs: 25_000,
    });

    const grid = gridSettings(stages, plan.grid, budget);
    context.progress(`[tuning] ${name}: exhaustive search over ${grid.length} settings…`);
    const result = await withLivePipeline(spec, EXAMPLES_DIR, budget, plan.window, async (measureSettings) => {
      const rateOf = async (settings: TuneSettings) => (await measureSettings(settings)).deliveredPerSecond;
      let best = { settings: grid[0], rate: -1 };
      for (const settings of grid) {
        const rate = await rateOf(settings);
        if (rate > best.rate) best = { settings, rate };
      }
      // The contenders again, alternating, so both see the same machine.
      const tunedRates: number[] = [];
      const bestRates: number[] = [];
      const fileRates: number[] = [];
      for (let round = 0; round < plan.confirmRounds; round++) {
        tunedRates.push(await rateOf(tuned.after.settings));
        bestRates.push(await rateOf(best.settings));
        fileRates.push(await rateOf(fileSettings(spec)));
      }
      return { best, tunedRates, bestRates, fileRates };
    });

    const tunedM = measurement(
      name,
      `auto-tune (${describeSettings(tuned.after.settings)})`,
      "items/s",
      result.tunedRates,
      `found in ${(tuned.elapsedMs / 1000).toFixed(1)} s, ${tuned.trials.length} measurements`,
    );
    const bestM = measurement(
      name,
      `grid best (${describeSettings(result.best.settings)})`,
      "items/s",
      result.bestRates,
      `best of ${grid.length} settings`,
    );
    const fileM = measurement(name, `file settings (${describeSettings(fileSettings(spec))})`, "items/s", result.fileRates);
    measurements.push(tunedM, bestM, fileM);
    figures.push(
      figure(
        {
          id: `tuning.${name}.vsGrid`,
          suite: "tuning",
          label: `${name}: auto-tune vs exhaustive grid best`,
          unit: "items/s",
          value: tunedM.median,
          peer: { name: bestM.contender, value: bestM.median },
          target: QUALITY_TARGET,
        },
        pairedRatios(result.tunedRates, result.bestRates),
      ),
      figure(
        {
          id: `tuning.${name}.vsFile`,
          suite: "tuning",
          label: `${name}: auto-tune vs the file's settings`,
          unit: "items/s",
          value: tunedM.median,
          peer: { name: fileM.contender, value: fileM.median },
          target: null,
        },
        pairedRatios(result.tunedRates, result.fileRates),
      ),
      figure({
        id: `tuning.${name}.time`,
        suite: "tuning",
        label: `${name}: time to tune vs 30 s`,
        unit: "ms",
        value: tuned.elapsedMs,
        peer: { name: "30 s", value: TIME_LIMIT_MS },
        target: TIME_TARGET,
      }),
    );
    notes.push(`${name}: tuning stopped because ${tuned.stoppedBecause}`);
  }
  const readiness = await runReadinessTuning(context, plan, budget);
  measurements.push(...readiness.measurements);
  figures.push(...readiness.figures);
  notes.push(...readiness.notes);
  return {
    suite: "tuning",
    title: "Auto-tune vs file settings vs exhaustive grid (throughput; readiness on the examples with a consumer)",
    params: {
      budgetThreads: budget,
      grid: plan.grid.join("/"),
      window: `${plan.window.settleMs}+${plan.window.measureMs} ms`,
      rounds: plan.confirmRounds,
      readinessTarget: READINESS_TARGET,
    },
    measurements,
    figures,
    notes,
  };
}
