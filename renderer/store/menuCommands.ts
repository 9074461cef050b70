import type { MenuCommand } from "../api/types.js";
import { useAnalysis } from "./analysis.js";
import { showDialog } from "./dialog.js";
import { useDocument } from "./document.js";
import { exportCode, newPipeline, openExample, openFile, save, showOpenDialog } from "./fileCommands.js";
import { startRun, stopRun } from "./runCommands.js";
import { showRuns } from "./runsDialog.js";

/** Electron's native menu: each command does what its toolbar button or shortcut does. */
export async function runMenuCommand(command: MenuCommand): Promise<void> {
  if (typeof command === "object") {
    if ("openFile" in command) return openFile(command.openFile);
    // The native Save dialog has asked before replacing a file.
    if ("saveAs" in command) return void (await save(command.saveAs, true));
    return openExample(command.openExample);
  }
  switch (command) {
    case "new":
      return newPipeline();
    case "open":
      return showOpenDialog();
    case "save":
      return void (await save());
    case "saveAs":
      return showDialog({ kind: "saveAs" });
    case "exportTs":
      return exportCode("ts");
    case "exportPython":
      return exportCode("python");
    case "undo":
      return useDocument.getState().undo();
    case "redo":
      return useDocument.getState().redo();
    case "run":
      return startRun();
    case "stop":
      return stopRun("abort");
    case "profile":
      return useAnalysis.getState().setPanel("profile");
    case "autoTune":
      return useAnalysis.getState().setPanel("tune");
    case "runs":
      return showRuns();
    case "shortcuts":
      return showDialog({ kind: "shortcuts" });
  }
}
