import { BaseEdge, EdgeLabelRenderer, getBezierPath, useStore, type EdgeProps, type EdgeTypes } from "@xyflow/react";
import { memo } from "react";
import { QueueSparkline } from "../charts/QueueSparkline.js";
import { edgeId, PATH_COLOURS, type StudioEdge } from "../graph/model.js";
import { pathAlong } from "../graph/routePaths.js";
import { useDocument } from "../store/document.js";
import { useMetrics, useQueueMetrics, useStageMetrics, type QueueMetrics } from "../store/metrics.js";
import { useRun } from "../store/run.js";
import { peekEdge } from "../store/runCommands.js";
import { useCompact } from "./levelOfDetail.js";
import { fillColour } from "./queueColour.js";

/** "path 1 · 33 %": the path's index and, while running, its share of the items the route sent. */
function PathLabel({ route, path }: { route: string; path: number }) {
  const routed = useStageMetrics(route)?.routed;
  const total = routed?.reduce((sum, count) => sum + count, 0) ?? 0;
  const share = routed && total > 0 ? (routed[path] ?? 0) / total : null;
  return (
    <span className={`path-label path-label--${path % PATH_COLOURS}`} data-testid={`path-share-${route}-${path}`} data-share={share ?? ""}>
      path {path}
      {share !== null && ` · ${Math.round(share * 100)} %`}
    </span>
  );
}

/** A queue's fill as a colour: "idle" before the run reports it. */
type WireColour = ReturnType<typeof fillColour> | "idle";

const fillFraction = (queue: QueueMetrics, capacity: number): number => (capacity > 0 ? Math.min(1, queue.depth / capacity) : 0);

function wireClass(colour: WireColour, colourPath: number | undefined, selected: boolean | undefined): string {
  const path = colourPath !== undefined ? ` queue-edge--path-${colourPath % PATH_COLOURS}` : "";
  return `queue-edge queue-edge--${colour}${path}${selected ? " is-selected" : ""}`;
}

/**
 * A queue from afar: its wire alone, coloured by its fill. It subscribes to that colour only (not
 * the depth), so a 10 Hz snapshot re-renders the few wires whose colour changed, not every wire
 * whose depth moved by an item.
 */
function CompactQueueEdge(props: EdgeProps<StudioEdge>) {
  const { id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd } = props;
  const queueKey = edgeId(source, target);
  const colour = useMetrics((s): WireColour => {
    const queue = s.queues[queueKey];
    return queue ? fillColour(fillFraction(queue, queue.capacity)) : "idle";
  });
  const colourPath = useDocument((s) => pathAlong(s, id));
  const [path] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  return <BaseEdge id={id} path={path} markerEnd={markerEnd} className={wireClass(colour, colourPath, selected)} />;
}

function QueueEdgeView(props: EdgeProps<StudioEdge>) {
  const { id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd, data } = props;
  // Live figures are the queue's, keyed from→to: two empty paths of one route to one node share one queue.
  const queueKey = edgeId(source, target);
  const metrics = useQueueMetrics(queueKey);
  const routePath = data?.path;
  // Every wire along a route's path takes the path's colour, not only the one out of the route.
  const colourPath = useDocument((s) => pathAlong(s, id));
  // The capacity the file asks for (the queue feeding the target) until the run reports it.
  const plannedCapacity = useStore((s) => s.nodeLookup.get(target)?.data.queueSize as number | undefined);
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const capacity = metrics?.capacity ?? plannedCapacity ?? 2;
  const depth = metrics?.depth ?? 0;
  const fraction = metrics ? fillFraction(metrics, capacity) : 0;
  // Capacity 0 is the sink's unbounded buffer.
  const shownCapacity = capacity === 0 ? "∞" : capacity;
  const colour = fillColour(fraction);
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={wireClass(metrics ? colour : "idle", colourPath, selected)} />
      <EdgeLabelRenderer>
        <div
          className={`nodrag nopan queue-label${metrics ? "" : " queue-label--idle"}${selected ? " is-selected" : ""}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid={`queue-${id}`}
          onClick={() => {
            useDocument.getState().selectEdge(id);
            if (useRun.getState().status !== "idle") void peekEdge(id, source, target);
          }}
          data-depth={depth}
          data-capacity={capacity}
          data-colour={metrics ? colour : "idle"}
          title={`queue ${source} → ${target}: ${depth} of ${shownCapacity}${metrics ? ` · producers blocked ${Math.round(metrics.blockedFraction * 100)} % of the time` : ""}`}
        >
          <span className="queue-count">
            {metrics ? depth : "queue"}/{shownCapacity}
          </span>
          <span className="queue-bar">
            <span className={`queue-fill queue-fill--${colour}`} style={{ width: `${fraction * 100}%` }} />
          </span>
          <QueueSparkline edge={queueKey} capacity={capacity} />
          {routePath !== undefined && <PathLabel route={source} path={routePath} />}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

/** The full queue near, its wire alone from afar (below COMPACT_BELOW_ZOOM). */
function QueueEdgeWithLevelOfDetail(props: EdgeProps<StudioEdge>) {
  return useCompact() ? <CompactQueueEdge {...props} /> : <QueueEdgeView {...props} />;
}

export const edgeTypes: EdgeTypes = { queue: memo(QueueEdgeWithLevelOfDetail) };
