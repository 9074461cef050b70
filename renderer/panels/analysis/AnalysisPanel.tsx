import { useAnalysis } from "../../store/analysis.js";
import { ProfileSection } from "./ProfileSection.js";
import { TuneSection } from "./TuneSection.js";

/** Profile and Auto-tune, one tab each, above the inspector while open. */
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
