import { formatElapsed, formatRate } from "../../../engine/format.js";
import type { ProfileStep, StageProfile } from "../../api/types.js";
import { ProfileChart } from "../../charts/ProfileChart.js";
import { runProfile, useAnalysis } from "../../store/analysis.js";
import { useDocument } from "../../store/document.js";
import { CONCURRENCY_BOUNDS, NumberChoice, StartOrCancel, useAnalysisBlocker } from "./controls.js";

const STEP_CHOICES_MS = [500, 1000, 2000];

/** 1, 2, 4, … up to the bound (and the bound): the levels the host will measure. */
function plannedLevels(maxConcurrency: number): number[] {
  const levels: number[] = [];
  for (let level = 1; level <= maxConcurrency; level *= 2) levels.push(level);
  return levels.at(-1) === maxConcurrency ? levels : [...levels, maxConcurrency];
}

/** The concurrency sweep: its options, progress, a chart per stage and each stage's verdict. */
export function ProfileSection() {
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
        <NumberChoice
          label="Concurrency up to"
          value={options.maxConcurrency}
          choices={CONCURRENCY_BOUNDS}
          disabled={running}
          onChange={(maxConcurrency) => useAnalysis.getState().setProfileOptions({ maxConcurrency })}
          testId="profile-max-concurrency"
        />
        <NumberChoice
          label="Time per level"
          value={options.stepMs}
          choices={STEP_CHOICES_MS}
          show={(ms) => `${ms / 1000} s`}
          disabled={running}
          onChange={(stepMs) => useAnalysis.getState().setProfileOptions({ stepMs })}
          testId="profile-step"
        />
      </div>
      <div className="analysis-actions">
        <StartOrCancel
          running={running}
          start="Start profile"
          cancel="Cancel"
          onStart={runProfile}
          blocker={blocker}
          testId="profile-start"
        />
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
          data-testid={`profile-set-${profile.stage}`}
          data-concurrency={suggestion}
        >
          Set concurrency {current} → {suggestion}
        </button>
      )}
    </div>
  );
}
