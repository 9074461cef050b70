import { useState } from "react";
import { formatShare } from "../../../engine/analysis/tuneGoal.js";
import { SIZE_BOUNDS } from "../../../engine/bounds.js";
import { formatElapsed, formatRate } from "../../../engine/format.js";
import type { TunePoint, TuneResult, TuneSettings } from "../../api/types.js";
import { runAutoTune, useAnalysis } from "../../store/analysis.js";
import { isRunning, useRun } from "../../store/run.js";
import { CONCURRENCY_BOUNDS, NumberChoice, StartOrCancel, useAnalysisBlocker } from "./controls.js";
import { TuneGoalFields, useGoalBlocker } from "./TuneGoalFields.js";

const TIME_LIMITS_S = [10, 25, 60];

/** Auto-tune: its options, the trials as they come, then before → after and the settings found. */
export function TuneSection() {
  const options = useAnalysis((s) => s.tuneOptions);
  const tune = useAnalysis((s) => s.tune);
  const [fieldProblem, setFieldProblem] = useState<string | null>(null);
  const goalBlocker = useGoalBlocker();
  const blocker = useAnalysisBlocker("tune") ?? fieldProblem ?? goalBlocker;
  const liveRun = useRun((s) => isRunning(s.status));
  const running = tune.status === "running";
  return (
    <div className="analysis-body">
      <p className="muted small">
        {liveRun && !running
          ? "Tunes the run in progress from its settings now: turns concurrency and threads live, keeping each change that serves the goal."
          : "Runs the pipeline (sources repeating) and turns concurrency and threads live, keeping each change that serves the goal."}{" "}
        Throughput: the most items/s. Readiness: the consumer kept fed (waiting less than the target allows) with the fewest threads.
      </p>
      <div className="analysis-options">
        <label>
          Thread budget
          <input
            type="number"
            min={SIZE_BOUNDS.numThreads.min}
            max={SIZE_BOUNDS.numThreads.max}
            value={options.budgetThreads}
            disabled={running}
            onChange={(e) => {
              const value = Number(e.target.value);
              if (Number.isInteger(value) && value >= SIZE_BOUNDS.numThreads.min && value <= SIZE_BOUNDS.numThreads.max)
                useAnalysis.getState().setTuneOptions({ budgetThreads: value });
            }}
            data-testid="tune-budget"
          />
        </label>
        <NumberChoice
          label="Concurrency up to"
          value={options.maxConcurrency}
          choices={CONCURRENCY_BOUNDS}
          disabled={running}
          onChange={(maxConcurrency) => useAnalysis.getState().setTuneOptions({ maxConcurrency })}
        />
        <NumberChoice
          label="Time limit"
          value={options.timeLimitS}
          choices={TIME_LIMITS_S}
          show={(seconds) => `${seconds} s`}
          disabled={running}
          onChange={(timeLimitS) => useAnalysis.getState().setTuneOptions({ timeLimitS })}
        />
        <TuneGoalFields disabled={running} onProblem={setFieldProblem} />
      </div>
      <div className="analysis-actions">
        <StartOrCancel
          running={running}
          start="Start auto-tune"
          cancel="Stop tuning"
          onStart={runAutoTune}
          blocker={blocker}
          testId="tune-start"
        />
      </div>
      {tune.trials.length > 0 && (
        <ol className="tune-trials" data-testid="tune-trials">
          {tune.trials.map((trial, index) => (
            <li key={index} className={trial.kept ? "kept" : ""}>
              <span>
                {trial.kind === "baseline" ? trial.change.replace("'", "’") : trial.kind === "final" ? "final check" : trial.change}
              </span>
              <span className="num">{formatRate(trial.deliveredPerSecond)}/s</span>
              <span className="num" title="the consumer's readiness · the process's CPU share of the machine">
                {trial.readiness === null ? "" : `ready ${formatShare(trial.readiness)} · `}CPU {formatShare(trial.cpu)}
              </span>
              <span aria-label={trial.kept ? "kept" : "not kept"}>{trial.kind === "trial" ? (trial.kept ? "✓" : "✗") : ""}</span>
            </li>
          ))}
        </ol>
      )}
      {tune.error && (
        <div className="bad" role="alert">
          {tune.error}
        </div>
      )}
      {tune.result && <TuneComparison result={tune.result} applied={tune.applied} />}
    </div>
  );
}

function TuneComparison({ result, applied }: { result: TuneResult; applied: boolean }) {
  const rows = settingRows(result.before.settings, result.after.settings);
  const verdict = result.after.verdict;
  return (
    <div className="tune-result" data-testid="tune-result">
      <div className="before-after">
        <div>
          <div className="muted small">before</div>
          <b data-testid="tune-before">{formatRate(result.before.deliveredPerSecond)}</b> items/s
          <PointFigures point={result.before} />
        </div>
        <div className="arrow">→</div>
        <div>
          <div className="muted small">after</div>
          <b data-testid="tune-after">{formatRate(result.after.deliveredPerSecond)}</b> items/s
          <PointFigures point={result.after} />
        </div>
        <div className={`speedup ${result.speedup !== null && result.speedup > 1 ? "good" : ""}`} data-testid="tune-speedup">
          {result.speedup === null ? "n/a" : `${result.speedup}×`}
        </div>
      </div>
      <p
        className={`small tune-goal ${result.goal.met === true ? "good" : result.goal.met === false ? "bad" : ""}`}
        data-testid="tune-goal"
        data-met={String(result.goal.met)}
        data-objective={result.goal.objective}
      >
        {result.goal.summary}
      </p>
      <table className="tune-settings">
        <thead>
          <tr>
            <th>setting</th>
            <th>before</th>
            <th>after</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name} className={row.before !== row.after ? "changed" : ""}>
              <td>{row.name}</td>
              <td className="num">{row.before}</td>
              <td className="num">{row.after}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Stopped: {result.stoppedBecause} ({formatElapsed(result.elapsedMs)}).
      </p>
      {result.limitedBy && (
        <p className="small" data-testid="tune-limited-by">
          Note: {result.limitedBy}
        </p>
      )}
      <p className="small" data-testid="tune-verdict">
        {verdict.stage === null ? "Bottleneck: none" : `Bottleneck: ${verdict.stage} — ${verdict.reason}`}
      </p>
      {applied && (
        <p className="small good" data-testid="tune-applied">
          Applied to the graph as one step: Undo puts the old settings back.
        </p>
      )}
    </div>
  );
}

/** Readiness (with a consumer) and CPU under a before / after figure. */
function PointFigures({ point }: { point: TunePoint }) {
  return (
    <div className="muted small">
      {point.readiness === null ? "" : `readiness ${formatShare(point.readiness)} · `}CPU {formatShare(point.cpu)}
    </div>
  );
}

function settingRows(before: TuneSettings, after: TuneSettings): { name: string; before: number; after: number }[] {
  return [
    { name: "numThreads", before: before.numThreads, after: after.numThreads },
    ...Object.keys(after.concurrency).map((stage) => ({
      name: `${stage} concurrency`,
      before: before.concurrency[stage],
      after: after.concurrency[stage],
    })),
    // Remote stages' worker threads are the run's, not the file's: shown, applied live, not saved.
    ...Object.entries(after.workerThreads ?? {}).map(([stage, threads]) => ({
      name: `${stage} worker threads (not saved)`,
      before: before.workerThreads?.[stage] ?? threads,
      after: threads,
    })),
  ];
}
