/**
 * Fidelity: with real (timer) latencies, does the engine deliver what its concurrency settings
 * allow? Stage 1 sleeps 10 ms at concurrency 4, stage 2 sleeps 20 ms at concurrency 2: nominally
 * 100 items/s. Timers overshoot, so the ideal is taken from the latencies each run measured.
 */
import { performance } from "node:perf_hooks";
import { pMapChain, readableMapChain, runEngine, rxMergeMapChain, type Chain, type ChainStage, type Sink } from "./chains.js";
import { assertCount, interleave, median, steadyRate, type Variant } from "./measure.js";
import { figure, formatValue, measurement, type Figure, type Measurement, type SuiteResult } from "./report.js";
import { range } from "./source.js";
import type { SuiteContext } from "./suite.js";

const STAGES = [
  { sleepMs: 10, concurrency: 4 },
  { sleepMs: 20, concurrency: 2 },
] as const;
export const FIDELITY_TARGET = { kind: "atLeast", value: 0.98 } as const;
const ENGINE = "engine";

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sum and count of one stage's call latencies, as the peers have no stats of their own. */
class LatencyTally {
  count = 0;
  sumMs = 0;
  get meanMs(): number {
    return this.count === 0 ? Number.NaN : this.sumMs / this.count;
  }
}

function timedSleep(ms: number, tally: LatencyTally): (item: number) => Promise<number> {
  return async (item) => {
    const startedAt = performance.now();
    await sleep(ms);
    tally.count++;
    tally.sumMs += performance.now() - startedAt;
    return item;
  };
}

/** The throughput the settings allow with these latencies: the slowest stage's concurrency ÷ latency. */
export function idealRate(stages: readonly { concurrency: number; meanLatencyMs: number }[]): number {
  return Math.min(...stages.map((stage) => stage.concurrency / (stage.meanLatencyMs / 1000)));
}

interface FidelityRun {
  rate: number;
  ideal: number;
  meanLatencyMs: number[];
}

async function runContender(
  name: string,
  items: number,
  drive: (source: Iterable<number>, stages: ChainStage<number>[], sink: Sink<number>) => Promise<number[] | void>,
): Promise<FidelityRun> {
  const tallies = STAGES.map(() => new LatencyTally());
  const stages = STAGES.map((stage, index) => ({ fn: timedSleep(stage.sleepMs, tallies[index]), concurrency: stage.concurrency }));
  const deliveredAt: number[] = [];
  const engineLatencies = await drive(range(items), stages, () => void deliveredAt.push(performance.now()));
  assertCount(name, deliveredAt.length, items);
  // The engine's own stats are the measure for the engine; the peers are timed by the op wrapper.
  const meanLatencyMs = engineLatencies ?? tallies.map((tally) => tally.meanMs);
  const ideal = idealRate(STAGES.map((stage, index) => ({ concurrency: stage.concurrency, meanLatencyMs: meanLatencyMs[index] })));
  return { rate: steadyRate(deliveredAt), ideal, meanLatencyMs };
}

const PEERS: { name: string; chain: Chain<number> }[] = [
  { name: "pMapIterable (preserveOrder:false)", chain: pMapChain<number>(false) },
  { name: "RxJS mergeMap", chain: rxMergeMapChain },
  { name: "Readable.map (input order)", chain: readableMapChain },
];

function variants(items: number): Variant<FidelityRun>[] {
  return [
    {
      name: ENGINE,
      run: () =>
        runContender(ENGINE, items, async (source, stages, sink) => {
          const snapshot = await runEngine(source, stages, sink, "completion");
          return snapshot.stages.filter((stage) => stage.kind === "pipe").map((stage) => stage.latencyMs.meanMs);
        }),
    },
    ...PEERS.map(({ name, chain }) => ({
      name,
      run: () => runContender(name, items, (source, stages, sink) => chain(source, stages, sink)),
    })),
  ];
}

export async function runFidelity(context: SuiteContext): Promise<SuiteResult> {
  const items = context.quick ? 100 : 300;
  const rounds = context.quick ? 2 : 5;
  const setting = STAGES.map((stage) => `sleep ${stage.sleepMs} ms ×${stage.concurrency}`).join(" → ");
  const results = await interleave(variants(items), rounds, {
    afterRun: ({ round, name, result }) =>
      context.progress(
        `[fidelity] round ${round}/${rounds}: ${name} ${formatValue(result.rate, "items/s")} of ideal ${formatValue(result.ideal, "items/s")} (${(result.rate / result.ideal).toFixed(3)})`,
      ),
  });
  const measurements: Measurement[] = [];
  const figures: Figure[] = [];
  for (const [name, runs] of results) {
    const latencies = STAGES.map((_, index) => median(runs.map((run) => run.meanLatencyMs[index])).toFixed(2)).join(" / ");
    const ideal = median(runs.map((run) => run.ideal));
    measurements.push(
      measurement(
        setting,
        name,
        "items/s",
        runs.map((run) => run.rate),
        `ideal ${formatValue(ideal, "items/s")} from mean latencies ${latencies} ms`,
      ),
    );
    figures.push(
      figure(
        {
          id: name === ENGINE ? "fidelity.engine" : `fidelity.peer.${name.split(" ")[0]}`,
          suite: "fidelity",
          label: `fidelity: ${name === ENGINE ? "engine" : name} vs its ideal`,
          unit: "items/s",
          value: median(runs.map((run) => run.rate)),
          peer: { name: "ideal (measured latencies)", value: ideal },
          target: name === ENGINE ? FIDELITY_TARGET : null,
        },
        runs.map((run) => run.rate / run.ideal),
      ),
    );
  }
  return {
    suite: "fidelity",
    title: "Fidelity: steady-state items/s against the ideal from measured latencies",
    params: { items, rounds, nominalIdeal: "100 items/s" },
    measurements,
    figures,
    notes: [
      "steady state: least-squares slope of delivery times, first 10% of items left out (pipeline fill)",
      "engine latencies from pipeline.stats().stages[i].latencyMs.meanMs; peers' from a timer around the same sleep",
    ],
  };
}
