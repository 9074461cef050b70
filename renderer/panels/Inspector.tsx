import { useDeferredValue, useMemo, useState } from "react";
import { LOCAL_WORKERS_BOUND, MAX_TIMER_MS, SIZE_BOUNDS } from "../../engine/bounds.js";
import type { OpDescription } from "../api/types.js";
import { PATH_COLOURS, type StudioNode } from "../graph/model.js";
import { meetingNode } from "../graph/routePaths.js";
import { useDocument } from "../store/document.js";
import { useCatalog } from "../store/catalog.js";
import { useMetrics } from "../store/metrics.js";
import { isRunning, useRun } from "../store/run.js";
import { liveConcurrency, liveNumThreads, liveWorkerThreads } from "../store/runCommands.js";
import { setLocalWorkers, useRunOptions } from "../store/runOptions.js";
import { useNodeProblems } from "../store/validation.js";
import { Knob, NumberField, TextField } from "./fields.js";
import { ParamField, type JsonSchema } from "./ParamField.js";
import { LockIcon } from "./LockIcon.js";

const AGGREGATE_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    size: { type: "integer", minimum: SIZE_BOUNDS.aggregateSize.min, maximum: SIZE_BOUNDS.aggregateSize.max, default: 8 },
    dropLast: { type: "boolean", default: false },
  },
};

/**
 * The selected node's fields. It takes the node's id and spec, not the node: a dragged node is a
 * new object at every move (its position), and the whole form was drawn again for each one.
 */
function NodeInspector({ id, spec, catalog }: { id: string; spec: StudioNode["data"]; catalog: OpDescription[] }) {
  const { updateNode, renameNode } = useDocument.getState();
  const [renameError, setRenameError] = useState<string | null>(null);
  const problems = useNodeProblems(id);
  const locked = useDocument((s) => s.editLock !== null);
  const op = catalog.find((o) => o.name === spec.op);
  const schema: JsonSchema | null = spec.kind === "aggregate" ? AGGREGATE_SCHEMA : op ? (op.paramsSchema as JsonSchema) : null;
  // A route's op is a router (or user code returning a path index); a stage's any other stage op.
  const opChoices = catalog.filter((o) =>
    spec.kind === "source"
      ? o.kind === "source"
      : spec.kind === "route"
        ? o.router || o.name === "module"
        : o.kind === "stage" && !o.router,
  );
  const setParam = (name: string, value: unknown) => updateNode(id, { params: { ...spec.params, [name]: value } }, `${id}.params.${name}`);

  return (
    <div className="inspector-body" data-testid="node-inspector">
      <h2>
        <span className="node-kind">{spec.kind}</span> {id}
      </h2>
      {problems && (
        <div className="inspector-problems" role="alert">
          {problems.split("\n").map((p) => (
            <div key={p}>⚠ {p}</div>
          ))}
        </div>
      )}
      <EditLockNote />
      <fieldset className="lock-scope" disabled={locked}>
        <TextField
          label="name (stage id)"
          value={id}
          commitOnBlur
          error={renameError}
          testId="node-name-input"
          onChange={(value) => setRenameError(renameNode(id, value))}
        />
        {(spec.kind === "source" || spec.kind === "stage" || spec.kind === "route") && (
          <div className="field">
            <label htmlFor="op-select">op</label>
            <select
              id="op-select"
              value={spec.op ?? ""}
              data-testid="op-select"
              onChange={(e) => {
                const next = catalog.find((o) => o.name === e.target.value);
                updateNode(id, { op: e.target.value, params: next ? structuredClone(next.defaults) : {} });
              }}
            >
              {!op && <option value={spec.op ?? ""}>{spec.op ?? "(none)"}</option>}
              {opChoices.map((o) => (
                <option key={o.name} value={o.name}>
                  {o.name} ({o.category})
                </option>
              ))}
            </select>
            {op && (
              <span className="field-hint">
                {op.description} · runs on {op.execution}
              </span>
            )}
          </div>
        )}
        {schema?.properties && Object.keys(schema.properties).length > 0 && (
          <fieldset>
            <legend>parameters</legend>
            {Object.entries(schema.properties).map(([name, prop]) => (
              <ParamField
                key={`${id}.${name}`}
                nodeId={id}
                name={name}
                schema={prop}
                value={spec.params[name] ?? prop.default}
                onChange={(v) => setParam(name, v)}
              />
            ))}
          </fieldset>
        )}
      </fieldset>
      {spec.kind === "route" && <RoutePaths route={id} locked={locked} />}
      {spec.kind === "stage" && (
        <fieldset>
          <legend>concurrency</legend>
          <Knob
            label="concurrency"
            value={spec.concurrency}
            max={32}
            limit={SIZE_BOUNDS.concurrency.max}
            testId="concurrency-input"
            hint="calls at once; applies live while running"
            onChange={(value) => {
              updateNode(id, { concurrency: value }, `${id}.concurrency`);
              void liveConcurrency(id, value);
            }}
          />
          <KnobNote knob={`${id}.concurrency`} />
          {spec.runOn === "remote" && <WorkerThreadsKnob stage={id} />}
          <fieldset className="lock-scope" disabled={locked}>
            <div className="field">
              <span className="label">output order</span>
              <div className="toggle" role="radiogroup" aria-label="output order">
                {(["completion", "input"] as const).map((order) => (
                  <button
                    key={order}
                    type="button"
                    role="radio"
                    aria-checked={spec.outputOrder === order}
                    className={spec.outputOrder === order ? "on" : ""}
                    onClick={() => updateNode(id, { outputOrder: order })}
                    data-testid={`order-${order}`}
                  >
                    {order}
                  </button>
                ))}
              </div>
            </div>
          </fieldset>
        </fieldset>
      )}
      <fieldset className="lock-scope" disabled={locked}>
        {spec.kind === "source" && (
          <div className="field field--check">
            <label title="iterate the source again each time it ends, until stopped (SPDL's continuous=True)">
              <input
                type="checkbox"
                checked={spec.repeat}
                onChange={(e) => updateNode(id, { repeat: e.target.checked })}
                data-testid="source-repeat-input"
              />{" "}
              repeat (continuous: start over when it ends)
            </label>
          </div>
        )}
        {spec.kind !== "source" && (
          <NumberField
            label={spec.kind === "sink" ? "sink buffer (queueSize)" : "queueSize (queue feeding this node)"}
            value={spec.queueSize}
            integer
            min={spec.kind === "sink" ? SIZE_BOUNDS.sinkBufferSize.min : SIZE_BOUNDS.queueSize.min}
            max={SIZE_BOUNDS.queueSize.max}
            onChange={(v) => v !== null && updateNode(id, { queueSize: v }, `${id}.queueSize`)}
            testId="queue-size-input"
          />
        )}
        {spec.kind === "sink" && (
          <fieldset className="consumer">
            <NumberField
              label="consumer step, ms (a simulated training step; empty: none)"
              value={spec.consumer?.stepMs ?? null}
              min={0.001}
              max={MAX_TIMER_MS}
              nullable
              hint="readiness is judged against it: the share of its time not spent waiting for an item"
              onChange={(v) => updateNode(id, { consumer: v === null ? null : { stepMs: v, batch: spec.consumer?.batch ?? 1 } })}
              testId="consumer-step-input"
            />
            {spec.consumer && (
              <NumberField
                label="items per consumer step (batch)"
                value={spec.consumer.batch}
                integer
                min={SIZE_BOUNDS.aggregateSize.min}
                max={SIZE_BOUNDS.aggregateSize.max}
                onChange={(v) => v !== null && spec.consumer && updateNode(id, { consumer: { ...spec.consumer, batch: v } })}
                testId="consumer-batch-input"
              />
            )}
          </fieldset>
        )}
        {spec.kind === "route" && (
          <NumberField
            label="maxFailures (items it cannot route: count, or a fraction < 1)"
            value={spec.maxFailures}
            min={0}
            nullable
            onChange={(v) => updateNode(id, { maxFailures: v }, `${id}.maxFailures`)}
            testId="route-max-failures-input"
          />
        )}
        {spec.kind === "stage" && (
          <details className="advanced">
            <summary>failures and timeouts</summary>
            <NumberField
              label="timeoutMs (per call)"
              value={spec.timeoutMs}
              min={0}
              max={MAX_TIMER_MS}
              nullable
              onChange={(v) => updateNode(id, { timeoutMs: v }, `${id}.timeoutMs`)}
              testId="timeout-input"
            />
            <NumberField
              label="retries"
              value={spec.retries}
              integer
              min={SIZE_BOUNDS.retries.min}
              max={SIZE_BOUNDS.retries.max}
              onChange={(v) => v !== null && updateNode(id, { retries: v }, `${id}.retries`)}
              testId="retries-input"
            />
            <NumberField
              label="maxFailures (count, or a fraction < 1)"
              value={spec.maxFailures}
              min={0}
              nullable
              onChange={(v) => updateNode(id, { maxFailures: v }, `${id}.maxFailures`)}
              testId="stage-max-failures-input"
            />
            <div className="field">
              <label htmlFor="run-on">runs on</label>
              {/* User code chooses pool or loop; every op may go to remote workers (the pipeline's Redis). */}
              <select
                id="run-on"
                data-testid="run-on-select"
                value={spec.runOn ?? (spec.op === "module" ? "pool" : "default")}
                onChange={(e) => updateNode(id, { runOn: runOnValue(e.target.value) })}
              >
                {spec.op === "module" ? (
                  <>
                    <option value="pool">worker pool</option>
                    <option value="loop">event loop</option>
                  </>
                ) : (
                  <option value="default">this process (the op&apos;s own place)</option>
                )}
                <option value="remote">remote workers (Redis)</option>
              </select>
            </div>
          </details>
        )}
      </fieldset>
    </div>
  );
}

/**
 * A remote stage's worker threads: not part of the file (each worker starts with its own
 * --threads), a knob of the run in progress that reaches the workers serving the stage.
 */
function WorkerThreadsKnob({ stage }: { stage: string }) {
  const running = useRun((s) => isRunning(s.status) && s.stages.includes(stage));
  const threads = useMetrics((s) => s.stages[stage]?.workerThreads ?? null);
  // What was asked shows until the run reports a change (the next snapshot, within 100 ms), unless refused.
  const [asked, setAsked] = useState<{ value: number; runHad: number | null } | null>(null);
  const shown = asked !== null && asked.runHad === threads ? asked.value : threads;
  if (!running) {
    return (
      <p className="field-hint" data-testid="worker-threads-idle">
        worker threads: each worker runs as many jobs at once as its --threads; while this runs, set them here for this stage
      </p>
    );
  }
  if (shown === null) {
    return (
      <p className="field-hint" data-testid="worker-threads-none">
        worker threads: no worker serves this stage yet
      </p>
    );
  }
  return (
    <>
      <Knob
        label="worker threads (jobs per worker)"
        value={shown}
        max={32}
        limit={SIZE_BOUNDS.numThreads.max}
        testId="worker-threads-input"
        hint="jobs each worker serving this stage runs at once; applies live"
        onChange={(value) => {
          setAsked({ value, runHad: threads });
          void liveWorkerThreads(stage, value).then(() => {
            if (useRun.getState().knobNote?.knob === `${stage}.workerThreads`) setAsked(null);
          });
        }}
      />
      <KnobNote knob={`${stage}.workerThreads`} />
    </>
  );
}

/** A route's paths, each with where it goes and a button that removes it (later paths are numbered down). */
function RoutePaths({ route, locked }: { route: string; locked: boolean }) {
  const edges = useDocument((s) => s.edges);
  const paths = useMemo(
    () =>
      edges
        .filter((edge) => edge.source === route && edge.data?.path !== undefined)
        .map((edge) => ({ path: edge.data!.path!, to: edge.target }))
        .sort((a, b) => a.path - b.path),
    [edges, route],
  );
  const { removePath, addPath } = useDocument.getState();
  const meet = useDocument((s) => meetingNode(s, route));
  return (
    <fieldset className="lock-scope route-paths" disabled={locked} data-testid="route-paths">
      <legend>paths</legend>
      {paths.length === 0 && <div className="field-hint">no path yet</div>}
      {paths.map(({ path, to }) => (
        <div key={`${path}-${to}`} className="field route-path">
          <span className={`path-label path-label--${path % PATH_COLOURS}`}>path {path}</span> → {to}
          <button type="button" onClick={() => removePath(route, path)} data-testid={`remove-path-${path}`} title={`remove path ${path}`}>
            remove
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() => addPath(route)}
        disabled={meet === null}
        data-testid="add-path"
        title={meet === null ? "draw a first path to where the paths meet, then add more here" : `a new empty path to ${meet}`}
      >
        add path{meet === null ? "" : ` (empty, to ${meet})`}
      </button>
      <div className="field-hint">
        An added path is empty: items pass straight through it. For a path with stages, drag from the route&apos;s “+” handle to its first
        node, then on to where the paths meet. A route needs two paths or more; they all meet again in one node.
      </div>
    </fieldset>
  );
}

function runOnValue(value: string): "pool" | "loop" | "remote" | null {
  return value === "pool" || value === "loop" || value === "remote" ? value : null;
}

function PipelineInspector() {
  const build = useDocument((s) => s.build);
  const name = useDocument((s) => s.name);
  const sink = useDocument((s) => s.nodes.find((n) => n.type === "sink"));
  const hasRemote = useDocument((s) => s.nodes.some((n) => n.data.runOn === "remote"));
  const localWorkers = useRunOptions((s) => s.localWorkers);
  const locked = useDocument((s) => s.editLock !== null);
  const { setBuild, updateNode, setName } = useDocument.getState();
  return (
    <div className="inspector-body" data-testid="pipeline-inspector">
      <h2>Pipeline</h2>
      <EditLockNote />
      <TextField label="name" value={name} onChange={setName} testId="pipeline-name-input" />
      <Knob
        label="numThreads (worker pool)"
        value={build.numThreads}
        max={32}
        limit={SIZE_BOUNDS.numThreads.max}
        testId="num-threads-input"
        hint="threads for pool stages; applies live while running"
        onChange={(value) => {
          setBuild({ numThreads: value }, "numThreads");
          void liveNumThreads(value);
        }}
      />
      <KnobNote knob="numThreads" />
      <fieldset className="lock-scope" disabled={locked}>
        {sink ? (
          <NumberField
            label="sink buffer (0: unbounded)"
            value={sink.data.queueSize}
            integer
            min={SIZE_BOUNDS.sinkBufferSize.min}
            max={SIZE_BOUNDS.sinkBufferSize.max}
            onChange={(v) => v !== null && updateNode(sink.id, { queueSize: v }, `${sink.id}.queueSize`)}
            testId="sink-buffer-input"
          />
        ) : (
          <p className="muted">No sink yet: drag “sink” from the palette.</p>
        )}
        <NumberField
          label="maxFailures (count, or a fraction < 1)"
          value={build.maxFailures}
          min={0}
          nullable
          placeholder="no limit"
          onChange={(v) => setBuild({ maxFailures: v }, "maxFailures")}
          testId="max-failures-input"
        />
        <TextField
          label="Redis for remote stages (redis://[:password@]host:port)"
          value={build.remote?.redis ?? ""}
          commitOnBlur
          onChange={(value) => setBuild({ remote: value.trim() === "" ? null : { redis: value.trim() } }, "remote")}
          testId="remote-redis-input"
        />
      </fieldset>
      {hasRemote && (
        <NumberField
          label="local workers for remote stages (empty: the Redis above)"
          value={localWorkers > 0 ? localWorkers : null}
          integer
          min={LOCAL_WORKERS_BOUND.min}
          max={LOCAL_WORKERS_BOUND.max}
          nullable
          placeholder="none"
          hint="the next run starts a private Redis and this many worker processes here, and stops them after; not saved in the file"
          onChange={(v) => setLocalWorkers(v ?? 0)}
          testId="local-workers-input"
        />
      )}
      <p className="muted small">Select a node to edit it. Shift-drag to box-select; Ctrl/Cmd-click to add to the selection.</p>
    </div>
  );
}

/** A knob the run refused: the control shows the run's value; this says why. */
function KnobNote({ knob }: { knob: string }) {
  const note = useRun((s) => (s.knobNote?.knob === knob ? s.knobNote.text : null));
  if (!note) return null;
  return (
    <p className="field-error knob-note" role="alert" data-testid="knob-note">
      {note}
    </p>
  );
}

/** While the graph is locked: why, and what still applies. */
function EditLockNote() {
  const lock = useDocument((s) => s.editLock);
  if (!lock) return null;
  return (
    <p className="edit-lock-note" data-testid="inspector-lock">
      <LockIcon /> {lock}. The knobs (concurrency, numThreads, a remote stage&apos;s worker threads) apply live.
    </p>
  );
}

export function Inspector() {
  const selectedNow = useDocument((s) => {
    const ids = s.nodes.filter((n) => n.selected).map((n) => n.id);
    return ids.join("\u0000");
  });
  // The form follows the selection in a render of its own, after the canvas has shown it: a drag's
  // first move selects the node, and building a node's form (a dozen fields) in that same task
  // made it the longest of a 200-stage drag.
  const selected = useDeferredValue(selectedNow);
  const spec = useDocument((s) => (selected && !selected.includes("\u0000") ? s.nodes.find((n) => n.id === selected)?.data : undefined));
  const catalog = useCatalog((s) => s.ops);
  const count = selected ? selected.split("\u0000").length : 0;
  return (
    <aside className="inspector" aria-label="Inspector">
      {count === 0 && <PipelineInspector />}
      {count === 1 && spec && <NodeInspector key={selected} id={selected} spec={spec} catalog={catalog} />}
      {count > 1 && (
        <div className="inspector-body">
          <h2>{count} nodes selected</h2>
          <p className="muted">Delete removes them; Ctrl/Cmd-C copies them.</p>
        </div>
      )}
    </aside>
  );
}
