import { create } from "zustand";
import type { ValidationReport } from "../api/types.js";
import { toSpec } from "../graph/model.js";
import { useDocument } from "./document.js";
import { errorText, requireApi } from "./hostConnection.js";

interface ValidationState {
  /** The host's word on the pipeline as drawn (null until the first answer). */
  report: ValidationReport | null;
  /** An edit's validation is on its way. */
  validating: boolean;
}

export const useValidation = create<ValidationState>()(() => ({ report: null, validating: false }));

/** The messages of the problems that belong to a node, joined (a string keeps the selector stable). */
export function useNodeProblems(id: string): string {
  return useValidation((s) =>
    (s.report?.problems ?? [])
      .filter((p) => p.nodeId === id)
      .map((p) => p.message)
      .join("\n"),
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
  const off = useDocument.subscribe((state) => {
    if (state.revision !== lastRevision) {
      lastRevision = state.revision;
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
