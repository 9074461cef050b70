import { useEffect } from "react";
import { isRunning, peekEdge, useSession } from "../store/session.js";

/** The last items that passed the queue clicked on, refreshed each second while the run goes on. */
export function PeekPanel() {
  const peek = useSession((s) => s.peek);
  const running = useSession((s) => isRunning(s.runStatus));
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
        <button type="button" className="link" onClick={() => useSession.setState({ peek: null })} aria-label="Close peek">
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
