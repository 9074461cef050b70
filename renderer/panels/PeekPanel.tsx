import { useEffect } from "react";
import { isRunning, useRun } from "../store/run.js";
import { peekEdge } from "../store/runCommands.js";

/** The last items that passed the queue clicked on, refreshed each second while the run goes on. */
export function PeekPanel() {
  const peek = useRun((s) => s.peek);
  const running = useRun((s) => isRunning(s.status));
  const { edgeId, from, to } = peek ?? {};
  // While the run goes on, the preview follows it.
  useEffect(() => {
    if (edgeId === undefined || from === undefined || to === undefined || !running) return;
    const timer = setInterval(() => void peekEdge(edgeId, from, to), 1000);
    return () => clearInterval(timer);
  }, [edgeId, from, to, running]);
  if (!peek) return null;
  return (
    <section className="panel" data-testid="peek-panel">
      <h3>
        Peek {peek.from} → {peek.to}
        <button type="button" className="link" onClick={() => useRun.setState({ peek: null })} aria-label="Close peek">
          ×
        </button>
      </h3>
      {peek.items.length === 0 ? (
        <div className="muted">Nothing passed yet.</div>
      ) : (
        <ol className="peek-items">
          {peek.items.map((item, i) => (
            <li key={i}>
              <code>{item}</code>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
