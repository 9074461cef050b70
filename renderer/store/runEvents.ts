import type { BottleneckVerdict, HostActivity, PipelineSnapshot, RunInProgress, StudioEvent } from "../api/types.js";
import { drawsRunGraph } from "../graph/runGraph.js";
import { showHostAnalysis } from "./analysis.js";
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

/**
 * A snapshot of the run on show into the metrics and the charts. A run of another graph than
 * the page's gives only its whole-run figures (status bar): its stage ids name other nodes here.
 */
function showSnapshot(runId: string, snapshot: PipelineSnapshot): void {
  if (useRun.getState().runGraph) {
    useMetrics.getState().ingest(runId, { ...snapshot, stages: [], queues: [] }, null);
    return;
  }
  const sink = sinkId();
  useMetrics.getState().ingest(runId, snapshot, sink);
  // The charts' series in a task of their own: with the nodes' figures (and React's render of
  // them) in the same task, a 200-stage run's snapshot made tasks over 50 ms while a node was
  // dragged. Dropped if the page has moved on to another run (or none) in between.
  setTimeout(() => {
    if (useRun.getState().id !== runId) return;
    recordSnapshot(runId, snapshot, sink);
    ingestWorkers(runId, snapshot);
  }, 0);
}

/** The verdict on show; one about another graph's stages is not drawn on this page's nodes. */
function showVerdict(verdict: BottleneckVerdict | null | undefined): void {
  if (!verdict || useRun.getState().runGraph) return;
  const current = useRun.getState().bottleneck;
  // Only a changed verdict updates the store: nodes re-render when theirs changes, not at 10 Hz.
  if (current?.stage !== verdict.stage || current.reason !== verdict.reason) {
    useRun.setState({ bottleneck: { stage: verdict.stage, reason: verdict.reason, stages: verdict.stages } });
  }
}

/** A live snapshot (~10 Hz) of the run on show; another run's are ignored. */
export function onRunStats(event: RunStatsEvent): void {
  const run = useRun.getState();
  if (!isRunning(run.status)) return;
  if (run.id && run.id !== event.runId) return;
  if (!run.id || run.status === "starting") useRun.setState({ id: event.runId, status: "running" });
  showSnapshot(event.runId, event.snapshot);
  showVerdict(event.bottleneck);
}

/** The end of the run on show, with its final snapshot; false when the event is another run's (ignored). */
export function onRunEnded(event: RunEndedEvent): boolean {
  const run = useRun.getState();
  if (run.id && run.id !== event.ended.runId) return false;
  // The final snapshot closes the charts' history; it stays on screen until the next run.
  showSnapshot(event.ended.runId, event.ended.snapshot);
  useRun.setState({
    status: "ended",
    // A knob refused by the run is no longer news once the run is over.
    knobNote: null,
    ended: event.ended,
    id: event.ended.runId,
  });
  // Judged over the whole run once it has ended.
  showVerdict(event.ended.bottleneck);
  return true;
}

/**
 * The host's activity changed: every page shows the host's run, whichever page started it. A
 * run this page is starting takes the host's id; another page's run replaces the run on show.
 */
export function onActivity(activity: HostActivity): void {
  // A knob refused for the host's state (auto-tune measuring) may be turned now.
  useRun.setState({ hostActivity: activity.kind, knobNote: null });
  clearActivityNotice();
  showHostAnalysis(activity.analysis);
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
 * charts' history; a profile or auto-tune in progress shows what it has measured so far (a
 * profile's pipeline becomes the document). `keepDocument`: the page has just opened a file of
 * its own, which stays (a run of another graph is then shown as such). Returns false when the
 * host is idle (or could not say).
 */
export async function showHostActivity(options: { keepDocument?: boolean } = {}): Promise<boolean> {
  const answer = await guarded(() => requireApi().request("getActivity", {}));
  if (!answer) return false;
  const { run, analysis } = answer.activity;
  useRun.setState({ hostActivity: answer.activity.kind });
  if (run) {
    if (!options.keepDocument) useDocument.getState().load({ spec: run.spec, path: run.path, problems: [] });
    showRun(run, answer.history);
  } else if (analysis?.kind === "profile" && !options.keepDocument) {
    useDocument.getState().load({ spec: analysis.spec, path: analysis.path, problems: [] });
  }
  showHostAnalysis(analysis);
  return run !== null || (analysis !== null && analysis !== undefined);
}

/**
 * "Open the run's graph": the page that holds another graph takes the one the run on show runs
 * (asking first when its own has unsaved changes), then shows the run's figures on it: a run in
 * progress with its charts' history, an ended one with its final figures.
 */
export async function openRunGraph(): Promise<void> {
  const { runGraph, status, ended } = useRun.getState();
  if (!runGraph) return;
  if (useDocument.getState().dirty && !window.confirm("Discard unsaved changes?")) return;
  useDocument.getState().load({ spec: runGraph.spec, path: runGraph.path, problems: [] });
  useRun.setState({ runGraph: null, stages: runGraph.spec.nodes.map((node) => node.id) });
  if (isRunning(status)) {
    await showHostActivity();
  } else if (ended) {
    showSnapshot(ended.runId, ended.snapshot);
    showVerdict(ended.bottleneck);
  }
}

function showRun(run: RunInProgress, history: PipelineSnapshot[]): void {
  const elsewhere = !drawsRunGraph(useDocument.getState(), run.spec);
  // Live knobs address the run's stages: none from a page that draws another graph.
  resetRunView("starting", elsewhere ? [] : run.spec.nodes.map((node) => node.id));
  useRun.setState({
    id: run.runId,
    status: "running",
    runGraph: elsewhere ? { spec: run.spec, path: run.path } : null,
    repeating: run.repeatSources ?? false,
  });
  if (!elsewhere) {
    const sink = sinkId();
    for (const snapshot of history) recordSnapshot(run.runId, snapshot, sink);
  }
  if (run.snapshot) showSnapshot(run.runId, run.snapshot);
  showVerdict(run.bottleneck);
}
