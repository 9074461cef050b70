import { BaseEdge, EdgeLabelRenderer, getBezierPath, useStore, type EdgeProps, type EdgeTypes } from "@xyflow/react";
import { memo } from "react";
import { QueueSparkline } from "../charts/QueueSparkline.js";
import { edgeId, PATH_COLOURS, type StudioEdge } from "../graph/model.js";
import { pathAlong } from "../graph/routePaths.js";
import { useDocument } from "../store/document.js";
import { useQueueMetrics, useStageMetrics } from "../store/metrics.js";
import { useRun } from "../store/run.js";
import { peekEdge } from "../store/runCommands.js";
import { fillColour, fillFraction, wireClass } from "./wireLook.js";

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

/** A queue near: its wire, and a label with its depth, fill and sparkline (from afar, CompactWires draws the wires). */
export const edgeTypes: EdgeTypes = { queue: memo(QueueEdgeView) };
