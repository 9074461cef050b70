import { create } from "zustand";
import type { RunComparison, RunList } from "../api/types.js";
import { showDialog } from "./dialog.js";
import { guarded, requireApi } from "./hostConnection.js";

/** The Runs dialog: the open pipeline's recent runs, the two picked, their comparison. */
interface RunsState {
  list: RunList | null;
  /** Run ids ticked, in the order ticked; at most two. */
  picked: string[];
  comparison: RunComparison | null;
}

export const useRuns = create<RunsState>()(() => ({ list: null, picked: [], comparison: null }));

export async function showRuns(): Promise<void> {
  useRuns.setState({ picked: [], comparison: null });
  showDialog({ kind: "runs" });
  await loadRuns();
}

export async function loadRuns(): Promise<void> {
  const list = await guarded(() => requireApi().request("listRuns", {}));
  if (!list) return;
  // A run that is gone (pruned, or another pipeline opened) cannot stay picked.
  const picked = useRuns.getState().picked.filter((id) => list.runs.some((run) => run.id === id));
  useRuns.setState({ list, picked, ...(picked.length < 2 ? { comparison: null } : {}) });
}

/** Ticks or unticks a run; with two ticked, compares them, the older as the baseline (a). */
export async function togglePicked(id: string): Promise<void> {
  const { picked } = useRuns.getState();
  const next = picked.includes(id) ? picked.filter((other) => other !== id) : [...picked, id].slice(-2);
  useRuns.setState({ picked: next, comparison: null });
  if (next.length < 2) return;
  const runs = useRuns.getState().list?.runs ?? [];
  const [a, b] = [...next].sort((x, y) =>
    (runs.find((run) => run.id === x)?.startedAt ?? "").localeCompare(runs.find((run) => run.id === y)?.startedAt ?? ""),
  );
  const comparison = await guarded(() => requireApi().request("compareRuns", { a, b }));
  // A slower reply for a pair picked earlier must not overwrite the current pair's comparison.
  const now = useRuns.getState().picked;
  if (comparison && now.length === 2 && now.includes(a) && now.includes(b)) useRuns.setState({ comparison });
}
