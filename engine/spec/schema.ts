import { z } from "zod";
import { MAX_TIMER_MS, SIZE_BOUNDS } from "../bounds.js";
import { DEFAULT_QUEUE_SIZE, DEFAULT_SINK_BUFFER_SIZE } from "../config.js";
import { annotationIssues, groupSchema, noteSchema } from "./annotations.js";
import { integerAtLeast, integerWithin, maxFailures, namedValues, positionSchema, timeoutMs } from "./fields.js";

/** The pipeline file format (`*.pipeline.json`): versioned JSON, validated here, types inferred. */

export const FORMAT = "pipeline-studio/1";
export const FORMAT_VERSION = 1;

export const NODE_KINDS = ["source", "stage", "route", "aggregate", "disaggregate", "sink"] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export { positionSchema };

/** The fields of a node, each checkable alone (validate judges what it can of a node that fails elsewhere). */
export const nodeFields = {
  /** Unique; the engine's stage name. */
  id: z
    .string()
    .min(1, { message: "must be a non-empty name" })
    .refine((id) => id.trim() === id, { message: "must not start or end with spaces" }),
  kind: z.enum(NODE_KINDS),
  /** A catalog op for sources, stages and routes (the router); null for aggregate, disaggregate and sink. */
  op: z.string().nullable().default(null),
  params: namedValues("must be an object of named parameters").default({}),
  concurrency: integerWithin(SIZE_BOUNDS.concurrency).default(1),
  outputOrder: z.enum(["completion", "input"]).default("completion"),
  /**
   * Capacity of the queue feeding this node (default 2, as SPDL's); for the sink, the buffer of
   * items ready for the consumer (default 3 as SPDL's add_sink(); 0: unbounded).
   */
  queueSize: integerWithin(SIZE_BOUNDS.sinkBufferSize).optional(),
  timeoutMs: timeoutMs().nullable().default(null),
  retries: integerWithin(SIZE_BOUNDS.retries).default(0),
  maxFailures: maxFailures.nullable().default(null),
  /** Sources only: iterate again each time the source ends, until stopped (SPDL's continuous=True). */
  repeat: z.boolean().default(false),
  /** The sink only: a simulated consumer taking stepMs per batch items (a training step); readiness is judged against it. */
  consumer: z
    .strictObject({
      stepMs: z
        .number({ error: "must be a number of ms" })
        .positive({ error: "must be > 0" })
        .max(MAX_TIMER_MS, { error: `must be at most ${MAX_TIMER_MS}` }),
      batch: integerWithin(SIZE_BOUNDS.aggregateSize).default(1),
    })
    .nullable()
    .default(null),
  /**
   * Where a stage's calls run: null (the op's own place), "pool" or "loop" (user code only), or
   * "remote" (any stage op: on worker processes through the Redis of build.remote).
   */
  runOn: z.enum(["pool", "loop", "remote"]).nullable().default(null),
  position: positionSchema.default({ x: 0, y: 0 }),
};

export const nodeSchema = z
  .strictObject(nodeFields)
  .superRefine(
    (node, context) => {
      if (node.consumer && node.kind !== "sink" && NODE_KINDS.includes(node.kind)) {
        context.addIssue({ code: "custom", path: ["consumer"], input: node.consumer, message: "only the sink has a consumer" });
      }
      if (node.repeat === true && node.kind !== "source" && NODE_KINDS.includes(node.kind)) {
        context.addIssue({ code: "custom", path: ["repeat"], input: true, message: "only a source repeats" });
      }
      if (node.kind === "route")
        routeFieldIssues(node, (path, input, message) => context.addIssue({ code: "custom", path: [path], input, message }));
      if (node.queueSize === 0 && node.kind !== "sink" && NODE_KINDS.includes(node.kind)) {
        context.addIssue({
          code: "custom",
          path: ["queueSize"],
          input: 0,
          message: `must be an integer ≥ ${SIZE_BOUNDS.queueSize.min} (only the sink's buffer may be 0, unbounded)`,
        });
      }
    },
    // Also when another field is wrong, so one pass lists every problem of the node.
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  )
  // Field by field, so a file saved again keeps the fields in their order whether queueSize was given or not.
  .transform(({ id, kind, op, params, concurrency, outputOrder, queueSize, ...rest }) => ({
    id,
    kind,
    op,
    params,
    concurrency,
    outputOrder,
    queueSize: queueSize ?? defaultQueueSize(kind),
    ...rest,
  }));

/** A route's router takes one item at a time and routes it once, as SPDL's: the knobs of a stage's calls are not its. */
function routeFieldIssues(
  node: { concurrency: unknown; outputOrder: unknown; timeoutMs: unknown; retries: unknown },
  issue: (path: string, input: unknown, message: string) => void,
): void {
  if (node.concurrency !== 1) issue("concurrency", node.concurrency, "must be 1: a route's router takes one item at a time, as SPDL's");
  if (node.outputOrder === "input")
    issue(
      "outputOrder",
      node.outputOrder,
      'is not offered across paths (as in SPDL, the paths meet again in arrival order); set "input" on a stage within a path',
    );
  if (node.timeoutMs !== null) issue("timeoutMs", node.timeoutMs, "must be null: a route's router has no timeout");
  if (node.retries !== 0) issue("retries", node.retries, "must be 0: a route's router is not retried");
}

/** A node's queueSize when the file leaves it out: SPDL's queues hold 2, its add_sink() buffer 3. */
export function defaultQueueSize(kind: NodeKind): number {
  return kind === "sink" ? DEFAULT_SINK_BUFFER_SIZE : DEFAULT_QUEUE_SIZE;
}

/** An edge; `path` numbers the edges out of a route node (0 to n−1), and only those. */
export const edgeSchema = z.strictObject({ from: z.string(), to: z.string(), path: integerAtLeast(0).optional() });

/** The Redis that remote stages use; PIPELINE_STUDIO_REDIS and `run --redis` override it. */
export const remoteBuildSchema = z.strictObject({
  redis: z.string().refine((url) => /^(redis|rediss|unix):\/\/./.test(url), {
    message: "must be a Redis URL: redis://[:password@]host:port, rediss://… or unix:///path/redis.sock",
  }),
});

export const buildSchema = z.strictObject({
  numThreads: integerWithin(SIZE_BOUNDS.numThreads).default(4),
  maxFailures: maxFailures.nullable().default(null),
  remote: remoteBuildSchema.nullable().default(null),
});

export const pipelineFileSchema = z
  .strictObject({
    format: z.literal(FORMAT),
    name: z.string().default(""),
    description: z.string().default(""),
    nodes: z.array(nodeSchema),
    edges: z.array(edgeSchema).default([]),
    build: buildSchema.default({ numThreads: 4, maxFailures: null, remote: null }),
    /** Canvas notes and groups (annotations.ts): checked and saved, never run or exported. */
    notes: z.array(noteSchema, { error: "must be an array of notes" }).default([]),
    groups: z.array(groupSchema, { error: "must be an array of groups" }).default([]),
  })
  .superRefine(
    (file, context) => {
      for (const issue of annotationIssues(file)) context.addIssue({ code: "custom", ...issue });
    },
    // Also when another part is wrong, so one pass lists every problem of the file.
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );

export type PipelineFile = z.output<typeof pipelineFileSchema>;
export type PipelineFileInput = z.input<typeof pipelineFileSchema>;
export type PipelineNode = z.output<typeof nodeSchema>;
export type PipelineEdge = z.output<typeof edgeSchema>;
export type { CanvasGroup, CanvasNote } from "./annotations.js";
export type BuildSettings = z.output<typeof buildSchema>;
