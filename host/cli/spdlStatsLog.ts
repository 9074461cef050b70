import { spdlStatsLines, type PipelineSnapshot } from "../../engine/index.js";
import type { OutputStream } from "./output.js";

export interface SpdlStatsLog {
  /** Prints the last, shorter interval (as SPDL logs a stage's figures when it ends) and stops. */
  stop(): void;
}

/** `run --stats-interval S`: every S seconds, SPDL-shaped stats lines on stderr. */
export function startSpdlStatsLog(options: { stream: OutputStream; intervalMs: number; snapshot: () => PipelineSnapshot }): SpdlStatsLog {
  let previous: PipelineSnapshot | undefined;
  const print = (): void => {
    const current = options.snapshot();
    for (const line of spdlStatsLines(previous, current)) options.stream.write(`${line}\n`);
    previous = current;
  };
  const timer = setInterval(print, options.intervalMs);
  timer.unref();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      print();
    },
  };
}
