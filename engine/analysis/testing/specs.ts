import { parsePipelineFileOrThrow, type PipelineFile } from "../../spec/index.js";

/** A chain pipeline file for analysis tests: one source, the given nodes in order, a sink. */
export function chainSpec(
  source: { op: string; params: Record<string, unknown> },
  nodes: Array<{
    id: string;
    kind?: "stage" | "aggregate" | "disaggregate";
    op?: string;
    params?: Record<string, unknown>;
    concurrency?: number;
  }>,
  numThreads = 1,
): PipelineFile {
  const ids = ["source", ...nodes.map((node) => node.id), "sink"];
  return parsePipelineFileOrThrow({
    format: "pipeline-studio/1",
    nodes: [
      { id: "source", kind: "source", op: source.op, params: source.params },
      ...nodes.map((node) => ({
        id: node.id,
        kind: node.kind ?? "stage",
        op: node.kind && node.kind !== "stage" ? null : node.op,
        params: node.params ?? {},
        concurrency: node.concurrency ?? 1,
      })),
      { id: "sink", kind: "sink" },
    ],
    edges: ids.slice(1).map((to, index) => ({ from: ids[index], to })),
    build: { numThreads },
  });
}
