import { isRunning, useRun } from "../store/run.js";
import { openRunGraph } from "../store/runEvents.js";
import { fileName } from "./fileName.js";

/**
 * Under the toolbar while the run on show belongs to another graph than the one open on this
 * page: which file it runs, why its figures are not on these nodes, and a way to its graph.
 */
export function RunElsewhereBar() {
  const runGraph = useRun((s) => s.runGraph);
  const running = useRun((s) => isRunning(s.status));
  if (!runGraph) return null;
  const title = runGraph.spec.name ? ` (“${runGraph.spec.name}”)` : "";
  return (
    <div className="notice notice--elsewhere" role="status" data-testid="run-elsewhere">
      <span>
        {running ? "The host is running " : "The last run ran "}
        <b data-testid="run-elsewhere-file" title={runGraph.path ?? "not saved"}>
          {fileName(runGraph.path)}
        </b>
        {title}, another graph than the one open here: its figures are not drawn on these nodes (the status bar shows its totals).
      </span>
      <button type="button" onClick={() => void openRunGraph()} data-testid="open-run-graph">
        Open the run’s graph
      </button>
    </div>
  );
}
