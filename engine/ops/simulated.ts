import { z } from "zod";
import { MAX_TIMER_MS } from "../bounds.js";
import { delayMs, fraction, integerAtLeast } from "../spec/fields.js";
import { poolTask } from "../opTypes.js";
import { builtModuleUrl } from "../pool/builtModule.js";
import { sleepUnlessAborted } from "./abortableSleep.js";
import type { StageOpDefinition } from "./catalog.js";
import type { CpuParams } from "./poolTasks.js";
import { seededRandom, shuffleInPlace } from "./random.js";

const POOL_TASKS = builtModuleUrl("./poolTasks.js", import.meta.url);

interface SleepParams {
  ms: number;
  jitterMs: number;
  distribution: "uniform" | "exponential";
  seed: number;
}

export const sleep: StageOpDefinition<SleepParams> = {
  name: "sleep",
  synonyms: ["wait", "delay", "latency", "io", "async"],
  kind: "stage",
  category: "simulated",
  execution: "loop",
  description: "Waits ms (± jitter), then passes the item on: a stand-in for async I/O",
  params: z.strictObject({
    ms: delayMs().default(10),
    jitterMs: delayMs().default(0),
    distribution: z.enum(["uniform", "exponential"]).default("uniform"),
    seed: integerAtLeast(0).default(1),
  }),
  createOp({ ms, jitterMs, distribution, seed }) {
    const random = seededRandom(seed);
    // ms plus jitter, or an exponential tail, may pass what a timer can wait: it would fire at once.
    const latency = (): number => {
      if (distribution === "exponential") return Math.min(MAX_TIMER_MS, -Math.log(1 - random()) * ms);
      return Math.min(MAX_TIMER_MS, Math.max(0, ms + (random() * 2 - 1) * jitterMs));
    };
    return async function sleep(item: unknown, { signal }) {
      await sleepUnlessAborted(latency(), signal);
      return item;
    };
  },
};

export const cpu: StageOpDefinition<CpuParams> = {
  name: "cpu",
  synonyms: ["compute", "busy", "work", "transform", "process"],
  kind: "stage",
  category: "simulated",
  execution: "pool",
  description: "Keeps a thread busy for ms, then passes the item on: a stand-in for synchronous CPU work",
  params: z.strictObject({
    ms: delayMs().default(5),
  }),
  createOp(params) {
    return poolTask<unknown, unknown>(POOL_TASKS, "cpu", params);
  },
};

/** A failure the `fail` op raises on purpose. */
export class SimulatedFailure extends Error {
  override name = "SimulatedFailure";
}

interface FailParams {
  fraction: number;
  seed: number;
  message: string;
}

export const fail: StageOpDefinition<FailParams> = {
  name: "fail",
  synonyms: ["error", "exception", "chaos", "fault"],
  kind: "stage",
  category: "simulated",
  execution: "loop",
  description: "Fails that fraction of calls (an exact share of every 100, picked by seed); passes other items on",
  params: z.strictObject({
    fraction: fraction().default(0.1),
    seed: integerAtLeast(0).default(1),
    message: z.string({ error: "must be a text" }).min(1, { error: "must not be empty" }).default("simulated failure"),
  }),
  createOp({ fraction: failFraction, seed, message }) {
    const shouldFail = failurePlan(failFraction, seed);
    return async function fail(item: unknown) {
      if (shouldFail()) throw new SimulatedFailure(message);
      return item;
    };
  },
};

const PLAN_BLOCK = 100;

/**
 * Decides, call by call, which calls fail. A coin flip per call would only approach the fraction;
 * a demo of maxFailures needs the count to be right, so each block of 100 calls fails exactly its
 * share (the fractional part carries over to the next block) and the seed picks which ones.
 */
export function failurePlan(failFraction: number, seed: number): () => boolean {
  const random = seededRandom(seed);
  let block: boolean[] = [];
  let position = PLAN_BLOCK;
  let owed = 0;
  return () => {
    if (position === PLAN_BLOCK) {
      owed += PLAN_BLOCK * failFraction;
      // Rounded first: 0.29 × 100 is 28.999999999999996 in floating point.
      const count = Math.floor(Math.round(owed * 1e9) / 1e9);
      owed -= count;
      block = shuffleInPlace(
        Array.from({ length: PLAN_BLOCK }, (_, index) => index < count),
        random,
      );
      position = 0;
    }
    return block[position++];
  };
}
