import { useCallback, useMemo, useState, type PointerEvent as ReactPointerEvent } from "react";
import { useDocument } from "../store/document.js";
import { chartSpecs } from "./chartSpecs.js";
import { LiveChart } from "./LiveChart.js";
import { useLiveSeries } from "../store/liveSeries.js";
import { HISTORY_MINUTES } from "./timeSeries.js";
import { WorkersPanel } from "../panels/WorkersPanel.js";
import { useWorkers, workersSummary } from "../store/workers.js";

const OPEN_KEY = "pipeline-studio.charts.open";
const HEIGHT_KEY = "pipeline-studio.charts.height";
const DEFAULT_HEIGHT = 250;
const MIN_HEIGHT = 150;
/** The graph keeps at least this share of the column. */
const MAX_SHARE = 0.7;

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage may be off (private windows): the panel still works, it just forgets.
  }
}

/** The ids of the graph's stages in document order, sink excluded, joined: a string keeps the selector stable while nodes move. */
const stageIdsKey = (nodes: readonly { id: string; type?: string }[]): string =>
  nodes
    .filter((n) => n.type !== "sink")
    .map((n) => n.id)
    .join("\n");

/** Drag the panel's top edge to give the charts more or less of the column. */
function useResizableHeight(): [number, (event: ReactPointerEvent<HTMLDivElement>) => void] {
  const [height, setHeight] = useState(() => Number(stored(HEIGHT_KEY)) || DEFAULT_HEIGHT);
  const startDrag = useCallback(
    (event: ReactPointerEvent<HTMLDivElement>) => {
      const handle = event.currentTarget;
      const column = handle.parentElement?.parentElement;
      const startY = event.clientY;
      const startHeight = height;
      let latest = height;
      handle.setPointerCapture(event.pointerId);
      const move = (e: PointerEvent) => {
        const max = Math.max(MIN_HEIGHT, (column?.clientHeight ?? 800) * MAX_SHARE);
        latest = Math.round(Math.min(max, Math.max(MIN_HEIGHT, startHeight + startY - e.clientY)));
        setHeight(latest);
      };
      const up = () => {
        handle.removeEventListener("pointermove", move);
        handle.removeEventListener("pointerup", up);
        store(HEIGHT_KEY, String(latest));
      };
      handle.addEventListener("pointermove", move);
      handle.addEventListener("pointerup", up);
    },
    [height],
  );
  return [height, startDrag];
}

/**
 * Live charts under the graph: throughput per stage, queue depth per edge, the pool's threads,
 * readiness and CPU; with remote stages, a Workers tab beside them (the workers serving the run, its Redis).
 */
export function ChartsPanel() {
  const [open, setOpen] = useState(() => stored(OPEN_KEY) !== "false");
  const [tab, setTab] = useState<"charts" | "workers">("charts");
  const remoteDocument = useDocument((s) => s.nodes.some((n) => n.data.runOn === "remote"));
  const remoteRun = useWorkers((s) => s.view !== null);
  const summary = useWorkers((s) => workersSummary(s.view));
  const withWorkers = remoteDocument || remoteRun;
  const showing = withWorkers ? tab : "charts";
  const [height, startResize] = useResizableHeight();
  const seriesKeys = useLiveSeries((s) => s.seriesKeys);
  const series = useLiveSeries((s) => s.series);
  const stageIds = useDocument((s) => stageIdsKey(s.nodes));
  const sinkId = useDocument((s) => s.nodes.find((n) => n.type === "sink")?.id ?? null);
  // Rebuilt when a series appears or the graph's stages change, never per sample. The series
  // object fills in place, so seriesKeys is what says a series appeared.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const specs = useMemo(() => chartSpecs(series, stageIds ? stageIds.split("\n") : [], sinkId), [series, seriesKeys, stageIds, sinkId]);
  const hasData = seriesKeys !== "";

  const toggle = () => {
    setOpen(!open);
    store(OPEN_KEY, String(!open));
  };
  const showTab = (next: "charts" | "workers") => {
    setTab(next);
    if (!open) toggle();
  };

  return (
    // Empty, the panel is one line: it takes the graph's room only once there is something to chart.
    <section
      className={`charts-panel${open && hasData ? " is-open" : ""}`}
      style={open && hasData ? { height } : undefined}
      data-testid="charts-panel"
    >
      {open && (
        <div
          className="charts-resize"
          onPointerDown={startResize}
          role="separator"
          aria-orientation="horizontal"
          aria-label="Resize the charts panel"
        />
      )}
      <header className="charts-header">
        <button type="button" className="link" onClick={toggle} aria-expanded={open} data-testid="charts-toggle">
          {open ? "▾" : "▸"} Live charts
        </button>
        {withWorkers && (
          <div className="charts-tabs" role="tablist" aria-label="Charts or workers">
            {(["charts", "workers"] as const).map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                aria-selected={showing === name}
                className={showing === name ? "on" : ""}
                onClick={() => showTab(name)}
                data-testid={`tab-${name}`}
              >
                {name === "charts" ? "Charts" : `Workers${summary && ` · ${summary}`}`}
              </button>
            ))}
          </div>
        )}
        {showing === "charts" && (
          <span className="muted small">
            last {HISTORY_MINUTES} min · point at a stage or a line to highlight it
            {withWorkers && " · workers joining (+), leaving (−) and stalling (⚠) are marked on the throughput chart"}
          </span>
        )}
      </header>
      {open && showing === "workers" && <WorkersPanel />}
      {open &&
        showing === "charts" &&
        (hasData ? (
          <div className="charts-row">
            {specs.map((spec) => (
              <LiveChart key={spec.id} spec={spec} />
            ))}
          </div>
        ) : (
          <div className="charts-empty muted" data-testid="charts-empty">
            Run the pipeline to chart throughput per stage, queue depth per edge, the pool's busy threads, and the CPU share (and the
            consumer's readiness when the sink has one).
          </div>
        ))}
    </section>
  );
}
