import { Handle, Position, useUpdateNodeInternals, type NodeProps, type NodeTypes } from "@xyflow/react";
import { memo, useEffect, type CSSProperties, type ReactNode } from "react";
import { formatMs, formatRate } from "../../engine/format.js";
import { stageColourAt } from "../charts/seriesColours.js";
import { useHover } from "../store/hover.js";
import { PATH_COLOURS, pathHandle, type StudioNode } from "../graph/model.js";
import { pathCount } from "../graph/edits.js";
import { inboundEdge, stageIndex } from "../graph/lookups.js";
import { useDocument } from "../store/document.js";
import { useMetrics, useStageMetrics, type StageMetrics } from "../store/metrics.js";
import { isRunning, useRun } from "../store/run.js";
import { useNodeProblems } from "../store/validation.js";
import { useWireTarget } from "../store/wireDrag.js";
import { shortWorkerName } from "../store/workers.js";
import { useCompact } from "./levelOfDetail.js";

function Bar({ label, value, testId }: { label: string; value: number; testId: string }) {
  const level = value < 0.6 ? "low" : value < 0.85 ? "mid" : "high";
  return (
    <div
      className={`compact-bar compact-bar--${level}`}
      title={`${label} ${Math.round(value * 100)} %`}
      data-testid={testId}
      style={{ "--fill": `${Math.round(value * 100)}%` } as CSSProperties}
    />
  );
}

/** A compact bar's steps (percent): a finer change is under a pixel from afar, and not worth a re-render. */
const COMPACT_STEP = 5;
const compactPercent = (fraction: number): number => Math.round((Math.min(1, fraction) * 100) / COMPACT_STEP) * COMPACT_STEP;

/**
 * A node seen from afar: its name, how busy its slots have been (the mean over the recent window,
 * not the calls in flight at the snapshot, which for one slot flips between empty and full) and
 * its input queue's fill, drawn large. It subscribes to 5 % steps, so a snapshot re-renders it
 * only when a bar it draws visibly moves.
 */
function CompactBody({ id, kind }: { id: string; kind: string }) {
  const busy = useMetrics((s) => compactPercent(s.stages[id]?.busyFraction ?? 0));
  const inbound = useDocument((s) => inboundEdge(s.edges, id));
  const fill = useMetrics((s) => {
    const queue = s.queues[inbound];
    return queue && queue.capacity > 0 ? compactPercent(queue.depth / queue.capacity) : 0;
  });
  return (
    <div className="compact-body">
      <div className="compact-name">{id}</div>
      {kind !== "sink" && <Bar label="slots busy (recent mean)" value={busy / 100} testId={`util-${id}`} />}
      {inbound && <Bar label="input queue" value={fill / 100} testId={`qfill-${id}`} />}
    </div>
  );
}

function ProblemMarker({ id, problems }: { id: string; problems: string }) {
  if (!problems) return null;
  const first = problems.split("\n")[0];
  return (
    <>
      <div className="problem-marker" title={problems} data-testid={`problem-${id}`} aria-label={`Problem: ${problems}`}>
        !
      </div>
      <div className="problem-text">{first}</div>
    </>
  );
}

/** The colour of this stage's lines on the live charts (none for the sink, which has no lines of its own). */
function useStageColour(id: string, kind: string): string | null {
  return useDocument((s) => (kind === "sink" ? null : stageColourAt(stageIndex(s.nodes, id), id)));
}

function NodeShell(props: {
  id: string;
  kind: string;
  selected: boolean;
  failed: boolean;
  problems: string;
  bottleneck?: string | null;
  inputs: boolean;
  outputs: boolean;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const { id, kind, selected, failed, problems, bottleneck, inputs, outputs, children, footer } = props;
  const hovered = useHover((s) => s.stage === id);
  const colour = useStageColour(id, kind);
  const compact = useCompact();
  const classes = ["studio-node", `studio-node--${kind}`];
  if (compact) classes.push("studio-node--compact");
  if (hovered) classes.push("is-hovered");
  if (selected) classes.push("is-selected");
  if (problems) classes.push("has-problem");
  if (failed) classes.push("has-failed");
  if (bottleneck) classes.push("is-bottleneck");
  // While a wire is dragged: where it may land is lit, where it may not is dimmed with the reason.
  const wire = useWireTarget(id);
  const refusal = wire !== null && typeof wire === "object" ? wire.refused : null;
  if (wire === "valid") classes.push("wire-target");
  if (refusal) classes.push("wire-refused");
  return (
    <div
      className={classes.join(" ")}
      data-testid={`node-${id}`}
      data-hovered={hovered}
      title={refusal ?? undefined}
      style={colour ? ({ "--stage-colour": colour } as CSSProperties) : undefined}
    >
      {refusal && (
        <div className="wire-refusal" data-testid={`wire-refusal-${id}`}>
          {refusal}
        </div>
      )}
      {bottleneck && (
        <div className="bottleneck-label" title={bottleneck} data-testid={`bottleneck-${id}`}>
          bottleneck
        </div>
      )}
      {inputs && <Handle type="target" position={Position.Left} className="studio-handle" data-testid={`handle-in-${id}`} />}
      <ProblemMarker id={id} problems={problems} />
      {compact ? <CompactBody id={id} kind={kind} /> : children}
      {outputs && <Handle type="source" position={Position.Right} className="studio-handle" data-testid={`handle-out-${id}`} />}
      {!compact && footer}
    </div>
  );
}

function paramSummary(params: Record<string, unknown>): string {
  return Object.entries(params)
    .slice(0, 3)
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
}

function StageFooter({ id, metrics }: { id: string; metrics: StageMetrics | undefined }) {
  if (!metrics) return null;
  return (
    <div className="stage-footer" data-testid={`stats-${id}`}>
      <span data-testid={`throughput-${id}`} data-value={metrics.throughput}>
        {formatRate(metrics.throughput)} items/s
      </span>
      <span>
        p50 {formatMs(metrics.p50Ms)} · p90 {formatMs(metrics.p90Ms)} ms
      </span>
      {metrics.failures > 0 && <span className="failures-badge">{metrics.failures} failed</span>}
      {metrics.blocksEventLoop && (
        <span className="failures-badge" title="This op runs synchronously on the event loop and blocks it: move it to the pool">
          blocks event loop
        </span>
      )}
    </div>
  );
}

const MAX_SLOTS_DRAWN = 16;

type SlotState = "idle" | "running" | "thread" | "waiting" | "holding";

function slotStates(concurrency: number, metrics: StageMetrics | undefined): SlotState[] {
  const states: SlotState[] = [];
  if (!metrics) return Array.from({ length: concurrency }, () => "idle");
  const pool = metrics.executor === "pool" || metrics.executor === "remote";
  for (let i = 0; i < (pool ? metrics.holdingThread : metrics.inFlight); i++) states.push(pool ? "thread" : "running");
  if (pool) for (let i = 0; i < metrics.waitingThread; i++) states.push("waiting");
  for (let i = 0; i < metrics.awaitingOutput; i++) states.push("holding");
  while (states.length < concurrency) states.push("idle");
  return states.slice(0, Math.max(concurrency, states.length));
}

function remoteSlotTitle(state: SlotState, workers: string, worker: string): string {
  if (state === "thread") return worker ? `call running on worker ${worker}` : `call running on a worker (${workers || "none connected"})`;
  if (state === "waiting") return "call waiting in Redis for a worker";
  return slotTitle[state];
}

const slotTitle: Record<SlotState, string> = {
  idle: "idle",
  running: "call in flight",
  thread: "call running on a pool thread",
  waiting: "call waiting for a pool thread",
  holding: "finished, waiting to pass its result on",
};

function Slots({ id, concurrency, metrics }: { id: string; concurrency: number; metrics: StageMetrics | undefined }) {
  const states = slotStates(concurrency, metrics);
  const drawn = states.slice(0, MAX_SLOTS_DRAWN);
  const lit = states.filter((s) => s !== "idle").length;
  const remote = metrics?.executor === "remote";
  // The running calls come first, in the order of the workers' names: slot i runs on onWorker[i].
  const onWorker = remote ? (metrics?.slotWorkers ?? "").split("\n") : [];
  const serving = metrics?.workers ?? "";
  return (
    <div className="slots" data-testid={`slots-${id}`} data-lit={lit} data-concurrency={concurrency}>
      {drawn.map((state, i) => {
        const worker = state === "thread" ? (onWorker[i] ?? "") : "";
        return (
          <div
            key={i}
            className={`slot slot--${state}${state !== "idle" ? " lit" : ""}`}
            title={`${id} ${i + 1}: ${remote ? remoteSlotTitle(state, serving, worker) : slotTitle[state]}`}
            data-testid={`slot-${id}-${i + 1}`}
            data-state={state}
            data-worker={worker || undefined}
          >
            {worker ? `${i + 1} · ${shortWorkerName(worker)}` : `${id} ${i + 1}`}
          </div>
        );
      })}
      {states.length > MAX_SLOTS_DRAWN && (
        <div className="slot slot--more">
          +{states.length - MAX_SLOTS_DRAWN} more ({lit} busy)
        </div>
      )}
    </div>
  );
}

/** The run's final error, when it names this stage. */
function useStageError(id: string): string | null {
  return useRun((s) => (s.ended?.error?.stage === id ? s.ended.error.message : null));
}

function FailedBadge({ id }: { id: string }) {
  const error = useStageError(id);
  if (!error) return null;
  return (
    <div className="failed-badge" title={error} data-testid={`failed-${id}`}>
      failed: {error}
    </div>
  );
}

/** The finder's reason when this stage is the bottleneck, else null. */
function useBottleneck(id: string): string | null {
  return useRun((s) => (s.status !== "idle" && s.bottleneck?.stage === id ? s.bottleneck.reason : null));
}

function StageNodeView({ id, data, selected }: NodeProps<StudioNode>) {
  const metrics = useStageMetrics(id);
  const problems = useNodeProblems(id);
  const bottleneck = useBottleneck(id);
  // Once the run is over, the knob shows what the next run will use, not what the last one ended with.
  const running = useRun((s) => isRunning(s.status));
  const concurrency = (running ? metrics?.concurrency : undefined) ?? data.concurrency;
  const pool = metrics ? metrics.executor === "pool" : false;
  return (
    <NodeShell
      id={id}
      kind="stage"
      selected={Boolean(selected)}
      failed={metrics?.state === "failed"}
      problems={problems}
      bottleneck={bottleneck}
      inputs
      outputs
      footer={<StageFooter id={id} metrics={metrics} />}
    >
      <div className="node-title">
        <span className="node-name">{id}</span>
        <span className="node-op">{data.op ?? "no op"}</span>
      </div>
      <div className="node-sub">
        {concurrency}× {data.outputOrder === "input" ? "· input order" : ""} {paramSummary(data.params)}
      </div>
      <Slots id={id} concurrency={concurrency} metrics={metrics} />
      <FailedBadge id={id} />
      {pool && metrics && (
        <div className="pool-split" data-testid={`poolsplit-${id}`}>
          <span className="dot dot--thread" /> {metrics.holdingThread} on a thread
          <span className="dot dot--waiting" /> {metrics.waitingThread} waiting
        </div>
      )}
      {metrics?.executor === "remote" && (
        <div className="pool-split" data-testid={`remotesplit-${id}`} title={metrics.workers || "no worker serves this stage"}>
          <span className="dot dot--thread" /> {metrics.holdingThread} on {metrics.workers || "no worker"}
          <span className="dot dot--waiting" /> {metrics.waitingThread} waiting in Redis ({metrics.workerSlots} worker slots)
        </div>
      )}
    </NodeShell>
  );
}

function SourceNodeView({ id, data, selected }: NodeProps<StudioNode>) {
  const metrics = useStageMetrics(id);
  const problems = useNodeProblems(id);
  return (
    <NodeShell
      id={id}
      kind="source"
      selected={Boolean(selected)}
      failed={metrics?.state === "failed"}
      problems={problems}
      inputs={false}
      outputs
    >
      <div className="node-title">
        <span className="node-kind">source</span>
        <span className="node-name">{id}</span>
      </div>
      <div className="node-sub">
        {data.op ?? "no op"} {paramSummary(data.params)}
      </div>
      {metrics && (
        <div className="stage-footer" data-testid={`stats-${id}`}>
          <span>{metrics.itemsOut} emitted</span>
          <span>{formatRate(metrics.throughput)} items/s</span>
        </div>
      )}
    </NodeShell>
  );
}

function BatchNodeView({ id, data, selected }: NodeProps<StudioNode>) {
  const metrics = useStageMetrics(id);
  const problems = useNodeProblems(id);
  const aggregate = data.kind === "aggregate";
  const size = typeof data.params.size === "number" ? data.params.size : 8;
  return (
    <NodeShell
      id={id}
      kind={data.kind}
      selected={Boolean(selected)}
      failed={metrics?.state === "failed"}
      problems={problems}
      inputs
      outputs
      footer={<StageFooter id={id} metrics={metrics} />}
    >
      <div className="node-title">
        <span className="node-kind">{aggregate ? "aggregate" : "disaggregate"}</span>
        <span className="node-name">{id}</span>
      </div>
      <div className="node-sub">{aggregate ? `batches of ${size}${data.params.dropLast ? ", drop last" : ""}` : "batches → items"}</div>
    </NodeShell>
  );
}

/**
 * A route: one labelled output handle per path (path 0 at the top), and one more, "+", to start
 * a new path. While running it lists the items sent down each path and their share.
 */
function RouteNodeView({ id, data, selected }: NodeProps<StudioNode>) {
  const metrics = useStageMetrics(id);
  const problems = useNodeProblems(id);
  const paths = useDocument((s) => pathCount(s, id));
  const handles = Math.max(2, paths + 1);
  // React Flow measures a node's handles once: a handle added or removed must be measured again.
  const updateNodeInternals = useUpdateNodeInternals();
  useEffect(() => updateNodeInternals(id), [handles, id, updateNodeInternals]);
  const routed = metrics?.routed ?? null;
  const total = routed?.reduce((sum, count) => sum + count, 0) ?? 0;
  return (
    <NodeShell
      id={id}
      kind="route"
      selected={Boolean(selected)}
      failed={metrics?.state === "failed"}
      problems={problems}
      inputs
      outputs={false}
      footer={<StageFooter id={id} metrics={metrics} />}
    >
      <div className="node-title">
        <span className="node-kind">route</span>
        <span className="node-name">{id}</span>
      </div>
      <div className="node-sub">
        {data.op ?? "no router"} {paramSummary(data.params)}
      </div>
      {routed && (
        <div className="route-shares" data-testid={`routed-${id}`}>
          {routed.map((count, path) => (
            <span
              key={path}
              className={`path-label path-label--${path % PATH_COLOURS}`}
              data-testid={`routed-${id}-${path}`}
              data-count={count}
            >
              path {path}: {count}
              {total > 0 && ` (${Math.round((count / total) * 100)} %)`}
            </span>
          ))}
        </div>
      )}
      {Array.from({ length: handles }, (_, path) => {
        const spare = path >= Math.max(2, paths);
        return (
          <Handle
            key={path}
            id={pathHandle(path)}
            type="source"
            position={Position.Right}
            className={`studio-handle route-handle route-handle--${path % PATH_COLOURS}${spare ? " route-handle--spare" : ""}`}
            style={{ top: `${((path + 1) / (handles + 1)) * 100}%` }}
            data-testid={`handle-out-${id}-${path}`}
            title={spare ? `drag from here to add path ${path}` : `path ${path}`}
          >
            <span className="route-handle-label">{spare ? "+" : path}</span>
          </Handle>
        );
      })}
    </NodeShell>
  );
}

function SinkNodeView({ id, data, selected }: NodeProps<StudioNode>) {
  const problems = useNodeProblems(id);
  // A run of another graph than this page's is not this sink's.
  const delivered = useRun((s) => s.status !== "idle" && !s.runGraph);
  return (
    <NodeShell id={id} kind="sink" selected={Boolean(selected)} failed={false} problems={problems} inputs outputs={false}>
      <div className="node-title">
        <span className="node-kind">sink</span>
        <span className="node-name">{id}</span>
      </div>
      <div className="node-sub">buffer {data.queueSize}</div>
      {delivered && <SinkCount />}
    </NodeShell>
  );
}

function SinkCount() {
  const delivered = useMetrics((s) => s.summary?.itemsDelivered ?? 0);
  return <div className="stage-footer">{delivered} delivered</div>;
}

/**
 * A source, stage or sink from afar: the shell and its compact body only, subscribed to none of
 * the full node's figures (a 200-stage run would re-render every node at each snapshot for bars
 * and slots no one sees).
 */
function CompactNodeView({ id, type, selected }: NodeProps<StudioNode>) {
  const problems = useNodeProblems(id);
  const bottleneck = useBottleneck(id);
  const failed = useMetrics((s) => s.stages[id]?.state === "failed");
  const kind = type ?? "stage";
  return (
    <NodeShell
      id={id}
      kind={kind}
      selected={Boolean(selected)}
      failed={failed}
      problems={problems}
      bottleneck={bottleneck}
      inputs={kind !== "source"}
      outputs={kind !== "sink"}
    >
      {null}
    </NodeShell>
  );
}

/** The full view near, the compact one from afar (below COMPACT_BELOW_ZOOM). */
function withLevelOfDetail(View: (props: NodeProps<StudioNode>) => ReactNode) {
  return memo(function NodeWithLevelOfDetail(props: NodeProps<StudioNode>) {
    return useCompact() ? <CompactNodeView {...props} /> : <View {...props} />;
  });
}

export const nodeTypes: NodeTypes = {
  source: withLevelOfDetail(SourceNodeView),
  stage: withLevelOfDetail(StageNodeView),
  route: memo(RouteNodeView),
  aggregate: memo(BatchNodeView),
  disaggregate: memo(BatchNodeView),
  sink: withLevelOfDetail(SinkNodeView),
};
