import { create } from "zustand";
import type { OpenedPipeline, SpecProblem, ValidationReport } from "../api/types.js";
import { toSpec } from "../graph/model.js";
import { useDocument } from "./document.js";
import { errorText, requireApi } from "./hostConnection.js";
import { showError } from "./notice.js";

interface ValidationState {
  /** The host's word on the pipeline as drawn (null until the first answer). */
  report: ValidationReport | null;
  /** An edit's validation is on its way. */
  validating: boolean;
  /**
   * The problems of a file opened to be fixed (its format refused: drawn with defaults in place
   * of what was refused), shown at their nodes until the first edit.
   */
  fileProblems: SpecProblem[];
}

export const useValidation = create<ValidationState>()(() => ({ report: null, validating: false, fileProblems: [] }));

/** The messages of the problems that belong to a node, joined (a string keeps the selector stable). */
export function useNodeProblems(id: string): string {
  return useValidation((s) => {
    const messages = [...s.fileProblems, ...(s.report?.problems ?? [])].filter((p) => p.nodeId === id).map((p) => p.message);
    return [...new Set(messages)].join("\n");
  });
}

/** A file opened with problems: each at its node, and all of them listed in the notice. */
export function showFileProblems(opened: OpenedPipeline): void {
  useValidation.setState({ fileProblems: opened.repaired ? opened.problems : [] });
  if (!opened.repaired) return;
  const list = opened.problems.map((p) => `${p.path}: ${p.message}`).join("\n");
  showError(
    `${opened.path ?? opened.uploaded?.name ?? "The file"} has ${opened.problems.length} problem${opened.problems.length === 1 ? "" : "s"}; refused values are drawn with their defaults until you fix and save it:\n${list}`,
  );
}

const DEBOUNCE_MS = 150;

let timer: ReturnType<typeof setTimeout> | undefined;
let seq = 0;

function scheduleValidation(): void {
  clearTimeout(timer);
  // A reply to an earlier edit still on its way must neither show stale problems nor end "validating".
  const mine = ++seq;
  useValidation.setState({ validating: true });
  timer = setTimeout(() => {
    const spec = toSpec(useDocument.getState());
    requireApi()
      .request("validate", { spec })
      .then((report) => {
        if (mine === seq) useValidation.setState({ report, validating: false });
      })
      .catch((error: unknown) => {
        if (mine === seq)
          useValidation.setState({
            report: { runnable: false, problems: [{ path: "$", message: errorText(error) }], userCode: [] },
            validating: false,
          });
      });
  }, DEBOUNCE_MS);
}

/** Asks the host to validate the document after every change to it (debounced); returns the stop. */
export function validateOnEdit(): () => void {
  let lastRevision = useDocument.getState().revision;
  let lastLoad = useDocument.getState().loadId;
  const off = useDocument.subscribe((state) => {
    if (state.revision !== lastRevision) {
      lastRevision = state.revision;
      // The opened file's problems stand until the first edit; a new file brings its own.
      if (state.loadId === lastLoad) useValidation.setState({ fileProblems: [] });
      lastLoad = state.loadId;
      scheduleValidation();
    }
  });
  return () => {
    off();
    clearTimeout(timer);
  };
}

/**
 * A pipeline that runs user code says so, and asks, before it runs (a run, a profile, an
 * auto-tune). Returns the modules the user confirmed, for the request's allowUserCode (the host
 * runs no others), or null when the user said no.
 */
export function confirmUserCode(question: string): string[] | null {
  const userCode = useValidation.getState().report?.userCode ?? [];
  if (userCode.length === 0) return [];
  return window.confirm(`This pipeline runs user code on this machine:\n${userCode.join("\n")}\n\n${question}`) ? [...userCode] : null;
}
