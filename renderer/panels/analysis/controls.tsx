import { cancelAnalysis, useAnalysis } from "../../store/analysis.js";
import { useMetrics } from "../../store/metrics.js";
import { isRunning, useRun } from "../../store/run.js";
import { useRunBlocker } from "../useRunBlocker.js";

/** What the Profile and Auto-tune sections share: the bounds offered, why Start is disabled, a select of numbers, Start / Cancel. */

export const CONCURRENCY_BOUNDS = [4, 8, 16, 32, 64];

/** Why Profile / Auto-tune cannot start now, or null. Auto-tune may take over a run in progress. */
export function useAnalysisBlocker(kind: "profile" | "tune"): string | null {
  const runBlocker = useRunBlocker();
  const runStatus = useRun((s) => s.status);
  const paused = useMetrics((s) => s.summary?.paused ?? false);
  const draining = useMetrics((s) => s.summary?.draining ?? false);
  const busy = useAnalysis((s) => s.profile.status === "running" || s.tune.status === "running");
  if (busy) return "an analysis is in progress";
  if (isRunning(runStatus)) {
    if (kind === "profile") return "a run is in progress: stop it first";
    if (paused) return "the run is paused: resume it first";
    if (draining) return "the run is draining";
    return null;
  }
  return runBlocker;
}

/** A labelled select of numbers, each shown as `show` writes it. */
export function NumberChoice(props: {
  label: string;
  value: number;
  choices: number[];
  show?: (value: number) => string;
  disabled: boolean;
  onChange: (value: number) => void;
  testId?: string;
}) {
  const { label, value, choices, show = String, disabled, onChange, testId } = props;
  return (
    <label>
      {label}
      <select value={value} disabled={disabled} onChange={(e) => onChange(Number(e.target.value))} data-testid={testId}>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {show(choice)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Start (disabled with the reason while something blocks it), or Cancel while the analysis runs. */
export function StartOrCancel(props: {
  running: boolean;
  start: string;
  cancel: string;
  onStart: () => Promise<void>;
  blocker: string | null;
  testId: string;
}) {
  const { running, start, cancel, onStart, blocker, testId } = props;
  if (running) {
    return (
      <button type="button" onClick={() => void cancelAnalysis()}>
        {cancel}
      </button>
    );
  }
  return (
    <button
      type="button"
      className="primary"
      onClick={() => void onStart()}
      disabled={blocker !== null}
      title={blocker ?? undefined}
      data-testid={testId}
    >
      {start}
    </button>
  );
}
