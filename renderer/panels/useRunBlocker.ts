import { useDocument } from "../store/document.js";
import { useConnection } from "../store/hostConnection.js";
import { useValidation } from "../store/validation.js";

/** Why Run is disabled, or null. */
export function useRunBlocker(): string | null {
  const validation = useValidation((s) => s.report);
  const validating = useValidation((s) => s.validating);
  const connection = useConnection((s) => s.state);
  const nodes = useDocument((s) => s.nodes.length);
  if (connection !== "open") return "not connected to the host";
  if (nodes === 0) return "the canvas is empty: drag a source, stages and a sink from the palette";
  if (!validation) return validating ? "checking…" : null;
  if (!validation.runnable) {
    const first = validation.problems[0];
    return first
      ? `${first.nodeId ? `${first.nodeId}: ` : first.path !== "$" ? `${first.path}: ` : ""}${first.message}`
      : "the pipeline cannot run";
  }
  return null;
}
