import { performance } from "node:perf_hooks";
import { spinIterations } from "./cpu.js";

/**
 * Kernel iterations per millisecond on this machine, measured after the JIT has compiled the
 * loop. The fastest of several samples: a sample during which another process held the core
 * would count too few iterations per ms and make every "1 ms" call shorter.
 */
export function calibrateSpin(sampleMs = 20, samples = 7): number {
  for (let i = 0; i < 20; i++) spinIterations(100_000, i);
  let iterations = 100_000;
  let perMs = 0;
  for (let sample = 0; sample < samples;) {
    const startedAt = performance.now();
    spinIterations(iterations, sample);
    const elapsedMs = performance.now() - startedAt;
    if (elapsedMs < sampleMs) {
      iterations *= 2;
      continue;
    }
    perMs = Math.max(perMs, iterations / elapsedMs);
    sample++;
  }
  return perMs;
}
