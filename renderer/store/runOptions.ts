import { create } from "zustand";
import { useDocument } from "./document.js";

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

/** What a run, profile or auto-tune request carries: the local workers for a graph with a remote stage, else nothing. */
export function localWorkersOption(): { localWorkers?: number } {
  const count = useRunOptions.getState().localWorkers;
  const remote = useDocument.getState().nodes.some((node) => node.data.runOn === "remote");
  return count > 0 && remote ? { localWorkers: count } : {};
}
