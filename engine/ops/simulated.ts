import { setTimeout as delay } from "node:timers/promises";
import { z } from "zod";
import { integerAtLeast, numberAtLeast } from "../spec/fields.js";
import type { StageOpDefinition } from "./catalog.js";
import { seededRandom } from "./random.js";

interface SleepParams {
  ms: number;
  jitterMs: number;
  distribution: "uniform" | "exponential";
  seed: number;
}

export const sleep: StageOpDefinition<SleepParams> = {
  name: "sleep",
  kind: "stage",
  category: "simulated",
  execution: "loop",
  description: "Waits ms (± jitter), then passes the item on: a stand-in for async I/O",
  params: z.strictObject({
    ms: numberAtLeast(0).default(10),
    jitterMs: numberAtLeast(0).default(0),
    distribution: z.enum(["uniform", "exponential"]).default("uniform"),
    seed: integerAtLeast(0).default(1),
  }),
  createOp({ ms, jitterMs, distribution, seed }) {
    const random = seededRandom(seed);
    const latency = (): number => {
      if (distribution === "exponential") return -Math.log(1 - random()) * ms;
      return Math.max(0, ms + (random() * 2 - 1) * jitterMs);
    };
    return async function sleep(item: unknown, { signal }) {
      await delay(latency(), undefined, { signal });
      return item;
    };
  },
};
