/**
 * No-op overhead: what the engine costs per item when the ops cost nothing, against peers that
 * promise the same ordering, and against the floor (a bare loop that only awaits the functions).
 */
import { engineChain, pMapChain, readableMapChain, rxConcatMapChain, rxMergeMapChain, type Chain, type ChainStage } from "./chains.js";
import { assertCount, interleave, median, pairedRatios, rate, timed, type Variant } from "./measure.js";
import { figure, formatValue, measurement, type Figure, type Measurement, type SuiteResult } from "./report.js";
import { range } from "./source.js";
import type { SuiteContext } from "./suite.js";

// Three distinct functions, as three separately written stages would be.
const stage1 = async (x: number): Promise<number> => x;
const stage2 = async (x: number): Promise<number> => x;
const stage3 = async (x: number): Promise<number> => x;
export const NOOP_STAGES = [stage1, stage2, stage3] as const;

type Order = "completion" | "input";

interface Setting {
  concurrency: number;
  order: Order;
}

const SETTINGS: readonly Setting[] = [
  { concurrency: 1, order: "completion" },
  { concurrency: 1, order: "input" },
  { concurrency: 8, order: "completion" },
  { concurrency: 8, order: "input" },
];

const ENGINE = "engine";
const FLOOR = "floor (for await)";
export const NOOP_TARGET = { kind: "atLeast", value: 1.5 } as const;

/** The peers that promise the same ordering at this setting. */
function peersFor(setting: Setting): { name: string; chain: Chain<number> }[] {
  if (setting.order === "completion") {
    return [
      { name: "pMapIterable (preserveOrder:false)", chain: pMapChain<number>(false) },
      { name: "RxJS mergeMap", chain: rxMergeMapChain },
    ];
  }
  const peers = [
    { name: "Readable.map", chain: readableMapChain },
    { name: "pMapIterable (preserveOrder:true)", chain: pMapChain<number>(true) },
  ];
  if (setting.concurrency === 1) peers.push({ name: "RxJS concatMap", chain: rxConcatMapChain });
  return peers;
}

/** The floor: no queues, no concurrency, just the three awaits per item. */
async function floor(count: number): Promise<number> {
  let delivered = 0;
  for await (const x of range(count)) {
    await stage3(await stage2(await stage1(x)));
    delivered++;
  }
  return delivered;
}

interface NoopRun {
  rate: number;
  cpuShare: number;
}

async function runChain(name: string, chain: Chain<number>, stages: readonly ChainStage<number>[], count: number): Promise<NoopRun> {
  let delivered = 0;
  const { elapsedMs, cpuShare } = await timed(() => chain(range(count), stages, () => void delivered++));
  assertCount(name, delivered, count);
  return { rate: rate(count, elapsedMs), cpuShare };
}

async function runFloor(count: number): Promise<NoopRun> {
  const { result, elapsedMs, cpuShare } = await timed(() => floor(count));
  assertCount(FLOOR, result, count);
  return { rate: rate(count, elapsedMs), cpuShare };
}

function variantsFor(setting: Setting, count: number): Variant<NoopRun>[] {
  const stages: ChainStage<number>[] = NOOP_STAGES.map((fn) => ({ fn, concurrency: setting.concurrency }));
  return [
    { name: ENGINE, run: () => runChain(ENGINE, engineChain<number>(setting.order), stages, count) },
    ...peersFor(setting).map(({ name, chain }) => ({ name, run: () => runChain(name, chain, stages, count) })),
    { name: FLOOR, run: () => runFloor(count) },
  ];
}

export async function runNoop(context: SuiteContext): Promise<SuiteResult> {
  const items = context.quick ? 100_000 : 1_000_000;
  const rounds = context.quick ? 2 : 5;
  const warmupItems = context.quick ? 50_000 : items / 10;
  const measurements: Measurement[] = [];
  const figures: Figure[] = [];

  // Every contender runs once on a smaller input first, so no one is measured while V8 still compiles it.
  for (const setting of SETTINGS) {
    for (const variant of variantsFor(setting, warmupItems)) await variant.run();
  }

  for (const setting of SETTINGS) {
    const label = `c=${setting.concurrency} ${setting.order} order`;
    const results = await interleave(variantsFor(setting, items), rounds, {
      afterRun: ({ round, name, result }) =>
        context.progress(
          `[noop] ${label} round ${round}/${rounds}: ${name} ${formatValue(result.rate, "items/s")} (cpu/wall ${result.cpuShare.toFixed(2)})`,
        ),
    });
    const settingMeasurements = [...results].map(([name, runs]) =>
      measurement(
        label,
        name,
        "items/s",
        runs.map((run) => run.rate),
        `cpu/wall ${median(runs.map((run) => run.cpuShare)).toFixed(2)}`,
      ),
    );
    measurements.push(...settingMeasurements);
    const engine = settingMeasurements.find((m) => m.contender === ENGINE)!;
    const floorRun = settingMeasurements.find((m) => m.contender === FLOOR)!;
    // The fastest peer by median; the ratio is then taken round by round against that peer.
    const fastestPeer = settingMeasurements
      .filter((m) => m.contender !== ENGINE && m.contender !== FLOOR)
      .reduce((best, m) => (m.median > best.median ? m : best));
    const id = `noop.c${setting.concurrency}.${setting.order}`;
    figures.push(
      figure(
        {
          id: `${id}.vsPeer`,
          suite: "noop",
          label: `no-op ${label}: engine vs fastest peer`,
          unit: "items/s",
          value: engine.median,
          peer: { name: fastestPeer.contender, value: fastestPeer.median },
          target: NOOP_TARGET,
        },
        pairedRatios(engine.samples, fastestPeer.samples),
      ),
      figure(
        {
          id: `${id}.vsFloor`,
          suite: "noop",
          label: `no-op ${label}: engine fraction of floor`,
          unit: "items/s",
          value: engine.median,
          peer: { name: FLOOR, value: floorRun.median },
          target: null,
        },
        pairedRatios(engine.samples, floorRun.samples),
      ),
    );
  }

  return {
    suite: "noop",
    title: "No-op overhead: 3 async no-op stages, items/s (whole run)",
    params: { items, rounds, warmupItems },
    measurements,
    figures,
    notes: [
      "every contender reads the same sync generator 0..N-1 and each run asserts it delivered exactly N items",
      "RxJS has no ordered concurrent map, so it is left out at c=8 input order",
      "RxJS reads the generator through an async iterator: from(syncIterable) pushes everything into mergeMap's buffer at once, which is quadratic (1M items: 96 s)",
      "cpu/wall: this process's CPU time over wall time; above 1 is V8's GC helper threads, well under 1 means another process took the core",
    ],
  };
}
