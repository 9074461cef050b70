/**
 * The worker pool: a ~1 ms synchronous CPU op on 1 and 2 threads (does it scale, and what does the
 * engine add over raw piscina with the same threads and tasks in flight?), and a no-op pool op
 * (the engine sends waiting calls several to a message; raw piscina pays a round trip each).
 */
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { Piscina } from "piscina";
import { PipelineBuilder, poolTask } from "../engine/index.js";
import { assertCount, interleave, median, pairedRatios, steadyRate, timed, type Variant } from "./measure.js";
import { calibrateSpin } from "./ops/calibrate.js";
import type { SpinParams } from "./ops/cpu.js";
import { figure, formatValue, measurement, type Figure, type SuiteResult } from "./report.js";
import { range } from "./source.js";
import type { SuiteContext } from "./suite.js";

const CPU_OPS = new URL("./ops/cpu.js", import.meta.url);
const RAW_SPIN_WORKER = new URL("./ops/piscinaSpin.js", import.meta.url);
const RAW_NOOP_WORKER = new URL("./ops/piscinaNoop.js", import.meta.url);

/** Calls in flight per thread in the CPU runs: one running, one ready, so no thread idles on a round trip. */
const CPU_IN_FLIGHT_PER_THREAD = 2;
const TINY_THREADS = 2;
const TINY_IN_FLIGHT = 16;

export const SCALING_TARGET = { kind: "atLeast", value: 1.8 } as const;
export const VS_RAW_TARGET = { kind: "atLeast", value: 0.95 } as const;
export const TINY_TARGET = { kind: "atLeast", value: 3 } as const;

interface PoolRun {
  /** Steady-state items/s (pool start-up and worker warm-up left out). */
  rate: number;
  /** CPU time of all this process's threads ÷ wall time: about the busy thread count, unless another process holds a core. */
  cpuShare: number;
}

async function runEngine(
  items: number,
  numThreads: number,
  concurrency: number,
  exportName: "spin" | "noop",
  params?: SpinParams,
): Promise<PoolRun> {
  const pipeline = new PipelineBuilder()
    .addSource(range(items))
    .pipe(poolTask<number, number>(CPU_OPS, exportName, params), { concurrency })
    .addSink(2)
    .build({ numThreads });
  const deliveredAt: number[] = [];
  const { cpuShare } = await timed(async () => {
    for await (const _ of pipeline) deliveredAt.push(performance.now());
  });
  assertCount(`engine ${exportName}`, deliveredAt.length, items);
  return { rate: steadyRate(deliveredAt), cpuShare };
}

/** Raw piscina: one run() per item, keeping `inFlight` tasks outstanding, as a hand-written loop would. */
async function runRaw(items: number, numThreads: number, inFlight: number, worker: URL, workerData?: SpinParams): Promise<PoolRun> {
  const pool = new Piscina<number, number>({ filename: fileURLToPath(worker), minThreads: numThreads, maxThreads: numThreads, workerData });
  const deliveredAt: number[] = [];
  let cpuShare: number;
  try {
    ({ cpuShare } = await timed(() => driveRaw(pool, items, inFlight, deliveredAt)));
  } finally {
    await pool.destroy();
  }
  assertCount("raw piscina", deliveredAt.length, items);
  return { rate: steadyRate(deliveredAt), cpuShare };
}

function driveRaw(pool: Piscina<number, number>, items: number, inFlight: number, deliveredAt: number[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    const launch = (): void => {
      const item = next++;
      pool.run(item).then(() => {
        deliveredAt.push(performance.now());
        if (deliveredAt.length === items) resolve();
        else if (next < items) launch();
      }, reject);
    };
    for (let i = 0; i < Math.min(inFlight, items); i++) launch();
  });
}

function cpuDetail(runs: readonly PoolRun[]): string {
  const shares = runs.map((run) => run.cpuShare);
  return `cpu/wall ${median(shares).toFixed(2)} (${Math.min(...shares).toFixed(2)}–${Math.max(...shares).toFixed(2)})`;
}

export async function runPool(context: SuiteContext): Promise<SuiteResult> {
  const cpuItems = context.quick ? 500 : 1500;
  const tinyItems = context.quick ? 20_000 : 100_000;
  const rounds = context.quick ? 2 : 5;
  const spinParams: SpinParams = { ms: 1, iterationsPerMs: calibrateSpin() };
  const progress = (group: string) => (info: { round: number; rounds: number; name: string; result: PoolRun }) =>
    context.progress(
      `[pool] ${group} round ${info.round}/${info.rounds}: ${info.name} ${formatValue(info.result.rate, "items/s")} (cpu/wall ${info.result.cpuShare.toFixed(2)})`,
    );

  const cpuInFlight = new Map<string, number>();
  const cpuVariants: Variant<PoolRun>[] = [1, 2].flatMap((threads) => {
    const inFlight = threads * CPU_IN_FLIGHT_PER_THREAD;
    const variants = [
      { name: `engine numThreads ${threads}`, run: () => runEngine(cpuItems, threads, inFlight, "spin", spinParams) },
      { name: `raw piscina ${threads} threads`, run: () => runRaw(cpuItems, threads, inFlight, RAW_SPIN_WORKER, spinParams) },
    ];
    for (const variant of variants) cpuInFlight.set(variant.name, inFlight);
    return variants;
  });
  const cpu = await interleave(cpuVariants, rounds, { afterRun: progress("cpu 1 ms") });

  const tinyVariants: Variant<PoolRun>[] = [
    { name: `engine numThreads ${TINY_THREADS}`, run: () => runEngine(tinyItems, TINY_THREADS, TINY_IN_FLIGHT, "noop") },
    { name: `raw piscina ${TINY_THREADS} threads`, run: () => runRaw(tinyItems, TINY_THREADS, TINY_IN_FLIGHT, RAW_NOOP_WORKER) },
  ];
  const tiny = await interleave(tinyVariants, rounds, { afterRun: progress("no-op") });

  const cpuSetting = "spin ~1 ms";
  const tinySetting = "no-op op";
  const measurements = [
    ...[...cpu].map(([name, runs]) =>
      measurement(
        cpuSetting,
        name,
        "items/s",
        runs.map((run) => run.rate),
        `${cpuInFlight.get(name)} in flight, ${cpuDetail(runs)}`,
      ),
    ),
    ...[...tiny].map(([name, runs]) =>
      measurement(
        tinySetting,
        name,
        "items/s",
        runs.map((run) => run.rate),
        `${TINY_IN_FLIGHT} in flight, ${cpuDetail(runs)}`,
      ),
    ),
  ];
  const find = (setting: string, contender: string) => measurements.find((m) => m.setting === setting && m.contender === contender)!;
  const engine1 = find(cpuSetting, "engine numThreads 1");
  const engine2 = find(cpuSetting, "engine numThreads 2");
  const raw1 = find(cpuSetting, "raw piscina 1 threads");
  const raw2 = find(cpuSetting, "raw piscina 2 threads");
  const tinyEngine = find(tinySetting, `engine numThreads ${TINY_THREADS}`);
  const tinyRaw = find(tinySetting, `raw piscina ${TINY_THREADS} threads`);
  const figures: Figure[] = [
    figure(
      {
        id: "pool.cpu.scaling",
        suite: "pool",
        label: "pool cpu 1 ms: numThreads 2 vs 1",
        unit: "items/s",
        value: engine2.median,
        peer: { name: "engine numThreads 1", value: engine1.median },
        target: SCALING_TARGET,
      },
      pairedRatios(engine2.samples, engine1.samples),
    ),
    figure(
      {
        id: "pool.cpu.vsRaw1",
        suite: "pool",
        label: "pool cpu 1 ms, 1 thread: engine vs raw piscina",
        unit: "items/s",
        value: engine1.median,
        peer: { name: raw1.contender, value: raw1.median },
        target: VS_RAW_TARGET,
      },
      pairedRatios(engine1.samples, raw1.samples),
    ),
    figure(
      {
        id: "pool.cpu.vsRaw2",
        suite: "pool",
        label: "pool cpu 1 ms, 2 threads: engine vs raw piscina",
        unit: "items/s",
        value: engine2.median,
        peer: { name: raw2.contender, value: raw2.median },
        target: VS_RAW_TARGET,
      },
      pairedRatios(engine2.samples, raw2.samples),
    ),
    figure(
      {
        id: "pool.cpu.rawScaling",
        suite: "pool",
        label: "pool cpu 1 ms: raw piscina 2 vs 1 threads",
        unit: "items/s",
        value: raw2.median,
        peer: { name: raw1.contender, value: raw1.median },
        target: null,
      },
      pairedRatios(raw2.samples, raw1.samples),
    ),
    figure(
      {
        id: "pool.tiny.vsRaw",
        suite: "pool",
        label: `pool no-op op, ${TINY_THREADS} threads: engine vs raw piscina`,
        unit: "items/s",
        value: tinyEngine.median,
        peer: { name: tinyRaw.contender, value: tinyRaw.median },
        target: TINY_TARGET,
      },
      pairedRatios(tinyEngine.samples, tinyRaw.samples),
    ),
  ];
  return {
    suite: "pool",
    title: "Worker pool: steady-state items/s",
    params: { cpuItems, tinyItems, rounds, spinIterationsPerMs: Math.round(spinParams.iterationsPerMs) },
    measurements,
    figures,
    notes: [
      "the spin does a fixed number of iterations calibrated to ~1 ms on the main thread, so a thread short of a core takes longer",
      "engine and raw piscina keep the same calls in flight; raw piscina sends one run() per item",
      "steady state: least-squares slope of delivery times, first 10% of items left out (worker start-up)",
      "cpu/wall counts every thread of this process: ~1 per spinning worker; a 2-thread run well under 2 lost a core to another process, and its rate drops with it",
    ],
  };
}
