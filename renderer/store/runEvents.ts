import type { HostActivity, PipelineSnapshot, RunInProgress, StudioEvent } from "../api/types.js";
import { useDocument } from "./document.js";
import { guarded, requireApi } from "./hostConnection.js";
import { recordSnapshot } from "./liveSeries.js";
import { useMetrics } from "./metrics.js";
import { clearActivityNotice } from "./notice.js";
import { isRunning, resetRunView, useRun } from "./run.js";
import { ingestWorkers } from "./workers.js";

/** What the host's run events do to the view: the run's status and verdict, the live metrics, the charts' history. */

type RunStatsEvent = Extract<StudioEvent, { type: "runStats" }>;
type RunEndedEvent = Extract<StudioEvent, { type: "runEnded" }>;

function sinkId(): string | null {
  return useDocument.getState().nodes.find((n) => n.type === "sink")?.id ?? null;
}

/** A live snapshot (~10 Hz) of the run on show; another run's are ignored. */
export function onRunStats(event: RunStatsEvent): void {
  const run = useRun.getState();
  if (!isRunning(run.status)) return;
  if (run.id && run.id !== event.runId) return;
  if (!run.id || run.status === "starting") useRun.setState({ id: event.runId, status: "running" });
  const sink = sinkId();
  useMetrics.getState().ingest(event.runId, event.snapshot, sink);
  recordSnapshot(event.runId, event.snapshot, sink);
  ingestWorkers(event.runId, event.snapshot);
  const verdict = event.bottleneck;
  const current = useRun.getState().bottleneck;
  // Only a changed verdict updates the store: nodes re-render when theirs changes, not at 10 Hz.
  if (verdict && (current?.stage !== verdict.stage || current.reason !== verdict.reason)) {
    useRun.setState({ bottleneck: { stage: verdict.stage, reason: verdict.reason, stages: verdict.stages } });
  }
}

/** The end of the run on show, with its final snapshot; false when the event is another run's (ignored). */
export function onRunEnded(event: RunEndedEvent): boolean {
  const run = useRun.getState();
  if (run.id && run.id !== event.ended.runId) return false;
  const sink = sinkId();
  useMetrics.getState().ingest(event.ended.runId, event.ended.snapshot, sink);
  // The final snapshot closes the charts' history; it stays on screen until the next run.
  recordSnapshot(event.ended.runId, event.ended.snapshot, sink);
  ingestWorkers(event.ended.runId, event.ended.snapshot);
  const verdict = event.ended.bottleneck;
  useRun.setState({
    status: "ended",
    ended: event.ended,
    id: event.ended.runId,
    // Judged over the whole run once it has ended.
    ...(verdict ? { bottleneck: { stage: verdict.stage, reason: verdict.reason, stages: verdict.stages } } : {}),
  });
  return true;
}

/**
 * The host's activity changed: every page shows the host's run, whichever page started it. A
 * run this page is starting takes the host's id; another page's run replaces the run on show.
 */
export function onActivity(activity: HostActivity): void {
  useRun.setState({ hostActivity: activity.kind });
  clearActivityNotice();
  const run = activity.run;
  if (!run) return;
  const current = useRun.getState();
  if (current.id === run.runId) return;
  if (current.status === "starting" && !current.id) useRun.setState({ id: run.runId, status: "running" });
  else showRun(run, []);
}

/**
 * As the page connects (or reloads): the host's run in progress, if any, becomes the document
 * (the graph it started with) and the run on show, with its latest snapshot, verdict and the
 * charts' history. Returns false when the host is idle (or could not say).
 */
export async function showHostActivity(): Promise<boolean> {
  const answer = await guarded(() => requireApi().request("getActivity", {}));
  if (!answer) return false;
  useRun.setState({ hostActivity: answer.activity.kind });
  const run = answer.activity.run;
  if (!run) return false;
  useDocument.getState().load({ spec: run.spec, path: run.path, problems: [] });
  showRun(run, answer.history);
  return true;
}

function showRun(run: RunInProgress, history: PipelineSnapshot[]): void {
  resetRunView(
    "starting",
    run.spec.nodes.map((node) => node.id),
  );
  useRun.setState({ id: run.runId, status: "running" });
  const sink = sinkId();
  for (const snapshot of history) recordSnapshot(run.runId, snapshot, sink);
  if (run.snapshot) {
    useMetrics.getState().ingest(run.runId, run.snapshot, sink);
    ingestWorkers(run.runId, run.snapshot);
  }
  if (run.bottleneck)
    useRun.setState({ bottleneck: { stage: run.bottleneck.stage, reason: run.bottleneck.reason, stages: run.bottleneck.stages } });
}
