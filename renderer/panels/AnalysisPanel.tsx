import type { ProfileStep, StageProfile, TuneResult, TuneSettings } from "../api/types.js";
import { SIZE_BOUNDS } from "../../engine/bounds.js";
import { formatElapsed, formatRate } from "../../engine/format.js";
import { cancelAnalysis, runAutoTune, runProfile, useAnalysis } from "../store/analysis.js";
import { useDocument } from "../store/document.js";
import { useMetrics } from "../store/metrics.js";
import { isRunning, useRun } from "../store/run.js";
import { useRunBlocker } from "./useRunBlocker.js";
import { ProfileChart } from "../charts/ProfileChart.js";

const CONCURRENCY_BOUNDS = [4, 8, 16, 32, 64];
const STEP_CHOICES_MS = [500, 1000, 2000];
const TIME_LIMITS_S = [10, 25, 60];

/** 1, 2, 4, … up to the bound (and the bound): the levels the host will measure. */
function plannedLevels(maxConcurrency: number): number[] {
  const levels: number[] = [];
  for (let level = 1; level <= maxConcurrency; level *= 2) levels.push(level);
  return levels.at(-1) === maxConcurrency ? levels : [...levels, maxConcurrency];
}

/** Why Profile / Auto-tune cannot start now, or null. Auto-tune may take over a run in progress. */
function useAnalysisBlocker(kind: "profile" | "tune"): string | null {
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

export function AnalysisPanel() {
  const panel = useAnalysis((s) => s.panel);
  if (!panel) return null;
  return (
    <section className="panel analysis-panel" data-testid={`${panel}-panel`}>
      <div className="analysis-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={panel === "profile"} onClick={() => useAnalysis.getState().setPanel("profile")}>
          Profile
        </button>
        <button type="button" role="tab" aria-selected={panel === "tune"} onClick={() => useAnalysis.getState().setPanel("tune")}>
          Auto-tune
        </button>
        <button
          type="button"
          className="link close"
          aria-label="Close the analysis panel"
          onClick={() => useAnalysis.getState().setPanel(null)}
        >
          ✕
        </button>
      </div>
      {panel === "profile" ? <ProfileSection /> : <TuneSection />}
    </section>
  );
}

function ProfileSection() {
  const options = useAnalysis((s) => s.profileOptions);
  const profile = useAnalysis((s) => s.profile);
  const stageCount = useDocument((s) => s.nodes.filter((node) => node.type === "stage").length);
  const blocker = useAnalysisBlocker("profile");
  const levels = plannedLevels(options.maxConcurrency);
  const running = profile.status === "running";
  const estimate = Math.ceil((stageCount * levels.length * options.stepMs) / 1000);
  const last = profile.steps.at(-1);
  return (
    <div className="analysis-body">
      <p className="muted small">
        Runs each stage alone on a replayed sample of its real inputs at concurrency 1, 2, 4, … and measures its throughput.
      </p>
      <div className="analysis-options">
        <label>
          Concurrency up to
          <select
            value={options.maxConcurrency}
            disabled={running}
            onChange={(e) => useAnalysis.getState().setProfileOptions({ maxConcurrency: Number(e.target.value) })}
            data-testid="profile-max-concurrency"
          >
            {CONCURRENCY_BOUNDS.map((bound) => (
              <option key={bound} value={bound}>
                {bound}
              </option>
            ))}
          </select>
        </label>
        <label>
          Time per level
          <select
            value={options.stepMs}
            disabled={running}
            onChange={(e) => useAnalysis.getState().setProfileOptions({ stepMs: Number(e.target.value) })}
            data-testid="profile-step"
          >
            {STEP_CHOICES_MS.map((ms) => (
              <option key={ms} value={ms}>
                {ms / 1000} s
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="analysis-actions">
        {running ? (
          <button type="button" onClick={() => void cancelAnalysis()}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={() => void runProfile()}
            disabled={blocker !== null}
            title={blocker ?? undefined}
            data-testid="profile-start"
          >
            Start profile
          </button>
        )}
        <span className="muted small">
          ≈ {estimate} s for {stageCount} stage{stageCount === 1 ? "" : "s"}
        </span>
      </div>
      {running && (
        <div className="analysis-progress" role="status">
          {last ? `${last.stage}: ${formatRate(last.itemsPerSecond)} items/s at concurrency ${last.concurrency}…` : "Sampling the inputs…"}
        </div>
      )}
      {profile.error && (
        <div className="bad" role="alert">
          {profile.error}
        </div>
      )}
      {profile.result && (
        <p className="muted small" data-testid="profile-done">
          Profiled in {formatElapsed(profile.result.elapsedMs)}.
        </p>
      )}
      {profile.result && profile.result.stages.length === 0 && (
        <p className="small">No stages to profile: the pipeline has no stage with a concurrency.</p>
      )}
      <ProfileCharts
        steps={profile.steps}
        result={profile.result?.stages ?? null}
        levels={profile.result ? plannedLevels(profile.result.maxConcurrency) : levels}
      />
    </div>
  );
}

/** A chart per stage: filled in level by level while the sweep runs, then with each stage's verdict. */
function ProfileCharts({ steps, result, levels }: { steps: ProfileStep[]; result: StageProfile[] | null; levels: number[] }) {
  const stages = result ?? groupSteps(steps);
  return (
    <>
      {stages.map((stage) => (
        <div className="profile-stage" key={stage.stage}>
          <div className="profile-stage-head">
            <b>{stage.stage}</b>
            {"executor" in stage && <span className="exec">{stage.executor === "pool" ? "pool" : "loop"}</span>}
          </div>
          <ProfileChart
            stage={stage.stage}
            points={stage.levels}
            levels={levels}
            saturatesAt={"saturatesAt" in stage ? stage.saturatesAt : null}
          />
          {"summary" in stage && <StageVerdict profile={stage} />}
        </div>
      ))}
    </>
  );
}

function groupSteps(steps: ProfileStep[]): { stage: string; levels: ProfileStep[] }[] {
  const byStage = new Map<string, ProfileStep[]>();
  for (const step of steps) byStage.set(step.stage, [...(byStage.get(step.stage) ?? []), step]);
  return [...byStage].map(([stage, levels]) => ({ stage, levels }));
}

function StageVerdict({ profile }: { profile: StageProfile }) {
  const current = useDocument((s) => s.nodes.find((node) => node.id === profile.stage)?.data.concurrency);
  const suggestion = profile.saturatesAt;
  return (
    <div className="profile-summary">
      <span data-testid={`profile-summary-${profile.stage}`}>{profile.summary}</span>
      {suggestion !== null && current !== undefined && current !== suggestion && (
        <button
          type="button"
          className="link"
          onClick={() => useDocument.getState().updateNode(profile.stage, { concurrency: suggestion })}
        >
          Set concurrency {current} → {suggestion}
        </button>
      )}
    </div>
  );
}

function TuneSection() {
  const options = useAnalysis((s) => s.tuneOptions);
  const tune = useAnalysis((s) => s.tune);
  const blocker = useAnalysisBlocker("tune");
  const liveRun = useRun((s) => isRunning(s.status));
  const running = tune.status === "running";
  return (
    <div className="analysis-body">
      <p className="muted small">
        {liveRun && !running
          ? "Tunes the run in progress from its settings now: turns concurrency and threads live, keeping each change that raises throughput."
          : "Runs the pipeline (sources repeating) and turns concurrency and threads live, keeping each change that raises throughput."}
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
        <label>
          Concurrency up to
          <select
            value={options.maxConcurrency}
            disabled={running}
            onChange={(e) => useAnalysis.getState().setTuneOptions({ maxConcurrency: Number(e.target.value) })}
          >
            {CONCURRENCY_BOUNDS.map((bound) => (
              <option key={bound} value={bound}>
                {bound}
              </option>
            ))}
          </select>
        </label>
        <label>
          Time limit
          <select
            value={options.timeLimitS}
            disabled={running}
            onChange={(e) => useAnalysis.getState().setTuneOptions({ timeLimitS: Number(e.target.value) })}
          >
            {TIME_LIMITS_S.map((seconds) => (
              <option key={seconds} value={seconds}>
                {seconds} s
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="analysis-actions">
        {running ? (
          <button type="button" onClick={() => void cancelAnalysis()}>
            Stop tuning
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={() => void runAutoTune()}
            disabled={blocker !== null}
            title={blocker ?? undefined}
            data-testid="tune-start"
          >
            Start auto-tune
          </button>
        )}
      </div>
      {tune.trials.length > 0 && (
        <ol className="tune-trials" data-testid="tune-trials">
          {tune.trials.map((trial, index) => (
            <li key={index} className={trial.kept ? "kept" : ""}>
              <span>
                {trial.kind === "baseline" ? trial.change.replace("'", "’") : trial.kind === "final" ? "final check" : trial.change}
              </span>
              <span className="num">{formatRate(trial.deliveredPerSecond)}/s</span>
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
        </div>
        <div className="arrow">→</div>
        <div>
          <div className="muted small">after</div>
          <b data-testid="tune-after">{formatRate(result.after.deliveredPerSecond)}</b> items/s
        </div>
        <div className={`speedup ${result.speedup !== null && result.speedup > 1 ? "good" : ""}`} data-testid="tune-speedup">
          {result.speedup === null ? "n/a" : `${result.speedup}×`}
        </div>
      </div>
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

function settingRows(before: TuneSettings, after: TuneSettings): { name: string; before: number; after: number }[] {
  return [
    { name: "numThreads", before: before.numThreads, after: after.numThreads },
    ...Object.keys(after.concurrency).map((stage) => ({
      name: `${stage} concurrency`,
      before: before.concurrency[stage],
      after: after.concurrency[stage],
    })),
  ];
}
