import { create } from "zustand";

/**
 * Options of the next run that are not part of the pipeline file (never saved with it): the
 * app's `run --local-workers N`, a private Redis and N worker processes the host starts for the
 * run's remote stages and stops after it (0: the pipeline's own Redis).
 */
interface RunOptionsState {
  localWorkers: number;
}

export const useRunOptions = create<RunOptionsState>()(() => ({ localWorkers: 0 }));

export function setLocalWorkers(count: number): void {
  useRunOptions.setState({ localWorkers: count });
}
