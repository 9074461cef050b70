import { useConnection } from "../store/hostConnection.js";
import { isRunning, useRun } from "../store/run.js";
import { NoticeBar } from "./NoticeBar.js";
import { RunElsewhereBar } from "./RunElsewhereBar.js";
import { useRunBlocker } from "./useRunBlocker.js";

function Disconnected() {
  const connection = useConnection((s) => s.state);
  if (connection !== "closed") return null;
  return (
    <div className="disconnected" role="alert" data-testid="disconnected">
      Disconnected from the host. Restart <code>npm start</code> and open the URL it prints.
    </div>
  );
}

function RunBlocker() {
  const blocker = useRunBlocker();
  const running = useRun((s) => isRunning(s.status));
  if (!blocker || running) return null;
  return (
    <div className="run-blocker" data-testid="run-blocker" role="status">
      Can’t run: {blocker}
    </div>
  );
}

/**
 * The messages over the top of the canvas: lost connection, the notice, a run of another graph,
 * why Run is disabled. They lie over the canvas rather than above it, so one coming or going
 * never moves the graph or resizes a node.
 */
export function Banners() {
  return (
    <div className="banners" data-testid="banners">
      <Disconnected />
      <RunBlocker />
      <NoticeBar />
      <RunElsewhereBar />
    </div>
  );
}
