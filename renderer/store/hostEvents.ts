import type { RunEnded, StudioEvent } from "../api/types.js";
import { onAnalysisEnded, onProfileStep, onTuneTrial } from "./analysis.js";
import { useDialog } from "./dialog.js";
import { runMenuCommand } from "./menuCommands.js";
import { showError } from "./notice.js";
import { loadFailures } from "./runCommands.js";
import { onActivity, onRunEnded, onRunStats } from "./runEvents.js";
import { loadRuns } from "./runsDialog.js";

/**
 * Routes the host's events to the stores. No store imports this module (startSession subscribes
 * it), so a store that reacts to another store's event needs no import of that store's module.
 */
export function routeHostEvent(event: StudioEvent): void {
  switch (event.type) {
    case "runStats":
      onRunStats(event);
      break;
    case "runEnded":
      if (onRunEnded(event)) afterRunEnded(event.ended);
      break;
    case "activity":
      onActivity(event.activity);
      break;
    case "profileStep":
      onProfileStep(event.step);
      break;
    case "tuneTrial":
      onTuneTrial(event.trial);
      break;
    case "analysisEnded":
      onAnalysisEnded(event.ended);
      break;
    case "menuCommand":
      void runMenuCommand(event.command);
      break;
  }
}

/** Says so if the run's report could not be saved, shows the run in an open Runs dialog, reads its failures. */
function afterRunEnded(ended: RunEnded): void {
  if (ended.reportNotice) showError(ended.reportNotice);
  if (useDialog.getState().dialog?.kind === "runs") void loadRuns();
  void loadFailures();
}
