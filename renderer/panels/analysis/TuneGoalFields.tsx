import { useState } from "react";
import { parseShare } from "../../../engine/analysis/tuneGoal.js";
import { tuneObjective, useAnalysis, type TuneOptions } from "../../store/analysis.js";
import { useDocument } from "../../store/document.js";

/** The drawn sink stands for a consumer: readiness can be judged. */
export const useSinkHasConsumer = (): boolean =>
  useDocument((s) => s.nodes.some((node) => node.type === "sink" && node.data.consumer != null));

/** Why the goal as set cannot be tuned for (readiness without a consumer), or null. */
export function useGoalBlocker(): string | null {
  const choice = useAnalysis((s) => s.tuneOptions.objective);
  const withConsumer = useSinkHasConsumer();
  return tuneObjective(choice, withConsumer) === "readiness" && !withConsumer
    ? "readiness needs a consumer at the sink: select the sink and set its consumer step"
    : null;
}

/** A share as the fields show it: 0.99 → "99%". */
const asPercent = (share: number): string => `${Math.round(share * 1000) / 10}%`;

/**
 * What auto-tune aims for: the objective (auto, throughput, readiness), the readiness target and
 * a CPU budget. A value out of range is said beside its field and blocks Start (`onProblem`).
 */
export function TuneGoalFields({ disabled, onProblem }: { disabled: boolean; onProblem: (problem: string | null) => void }) {
  const options = useAnalysis((s) => s.tuneOptions);
  const withConsumer = useSinkHasConsumer();
  const goalBlocker = useGoalBlocker();
  const objective = tuneObjective(options.objective, withConsumer);
  const [readinessText, setReadinessText] = useState(() => asPercent(options.readiness));
  const [cpuText, setCpuText] = useState(() => (options.cpuBudget === null ? "" : asPercent(options.cpuBudget)));
  const [readinessProblem, setReadinessProblem] = useState<string | null>(null);
  const [cpuProblem, setCpuProblem] = useState<string | null>(null);

  const set = (patch: Partial<TuneOptions>) => useAnalysis.getState().setTuneOptions(patch);
  const report = (readiness: string | null, cpu: string | null) => onProblem(readiness ?? cpu);

  return (
    <>
      <label>
        Goal
        <select
          value={options.objective}
          disabled={disabled}
          onChange={(e) => {
            const choice = e.target.value as TuneOptions["objective"];
            set({ objective: choice });
            // A hidden target holds nothing back: it is sent only with the readiness objective.
            if (tuneObjective(choice, withConsumer) !== "readiness") {
              setReadinessText(asPercent(useAnalysis.getState().tuneOptions.readiness));
              setReadinessProblem(null);
              report(null, cpuProblem);
            }
          }}
          data-testid="tune-objective"
        >
          <option value="auto">auto ({withConsumer ? "readiness: the sink has a consumer" : "throughput: no consumer"})</option>
          <option value="throughput">throughput (most items/s)</option>
          <option value="readiness">readiness (consumer kept fed, least cost)</option>
        </select>
      </label>
      {objective === "readiness" && (
        <label>
          Readiness target
          <input
            type="text"
            inputMode="decimal"
            value={readinessText}
            disabled={disabled}
            aria-invalid={readinessProblem !== null}
            onChange={(e) => {
              setReadinessText(e.target.value);
              let problem: string | null = null;
              try {
                set({ readiness: parseShare(e.target.value) });
              } catch (error) {
                problem = `Readiness target ${(error as Error).message}`;
              }
              setReadinessProblem(problem);
              report(problem, cpuProblem);
            }}
            data-testid="tune-readiness"
          />
        </label>
      )}
      <label>
        CPU budget
        <input
          type="text"
          inputMode="decimal"
          placeholder="none"
          value={cpuText}
          disabled={disabled}
          aria-invalid={cpuProblem !== null}
          onChange={(e) => {
            setCpuText(e.target.value);
            let problem: string | null = null;
            if (e.target.value.trim() === "") set({ cpuBudget: null });
            else
              try {
                set({ cpuBudget: parseShare(e.target.value) });
              } catch (error) {
                problem = `CPU budget ${(error as Error).message}`;
              }
            setCpuProblem(problem);
            report(readinessProblem, problem);
          }}
          data-testid="tune-cpu-budget"
        />
      </label>
      {(readinessProblem ?? cpuProblem) && (
        <div className="bad small" role="alert" data-testid="tune-goal-problem">
          {readinessProblem ?? cpuProblem}
        </div>
      )}
      {goalBlocker && (
        <div className="bad small" role="alert" data-testid="tune-goal-problem">
          {goalBlocker.charAt(0).toUpperCase() + goalBlocker.slice(1)}.
        </div>
      )}
    </>
  );
}
