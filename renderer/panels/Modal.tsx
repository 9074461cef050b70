import { useEffect, type ReactNode } from "react";
import { closeDialog } from "../store/dialog.js";

/** A dialog over the app: Escape, a click on the backdrop or × closes it. */
export function Modal({ title, children, testId, wide = false }: { title: string; children: ReactNode; testId: string; wide?: boolean }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && closeDialog();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && closeDialog()}>
      <div className={wide ? "modal modal--wide" : "modal"} role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <header>
          <h2>{title}</h2>
          <button type="button" className="link" onClick={closeDialog} aria-label="Close">
            ×
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}
