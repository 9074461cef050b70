import type { Edge, Node, XYPosition } from "@xyflow/react";
import type { BuildSettings, NodeKind, PipelineFile, PipelineFileInput, PipelineNode } from "../api/types.js";
import { annotationsFromSpec, annotationsToSpec, type Annotations, type GroupNode, type NoteNode } from "./annotations.js";

/** Everything about a node except its id and position: what the inspector edits. */
export type NodeSpec = Omit<PipelineNode, "id" | "position">;
export type StudioNode = Node<NodeSpec, NodeKind>;
/** An edge out of a route carries the index of the path it starts; other edges carry nothing. */
export type StudioEdge = Edge<{ path?: number }, "queue">;
/** What React Flow draws: the pipeline's nodes, and the notes and groups around them. */
export type CanvasNode = StudioNode | NoteNode | GroupNode;

/** The nodes and edges on the canvas. */
export interface Graph {
  nodes: StudioNode[];
  edges: StudioEdge[];
}

/** A pipeline's content at one moment, its notes and groups too: what undo and redo put back. */
export interface GraphSnapshot extends Graph, Annotations {
  name: string;
  description: string;
  build: BuildSettings;
}

const FORMAT: PipelineFile["format"] = "pipeline-studio/1";

/** `from->to`: also the key of the queue's live figures (two empty paths of a route share one queue). */
export const edgeId = (from: string, to: string): string => `${from}->${to}`;

/** Paths are told apart by colour, the same on every route (path 0 blue, path 1 orange, …); past these they repeat. */
export const PATH_COLOURS = 6;

/** The handle a route's path leaves from. */
export const pathHandle = (path: number): string => `path-${path}`;

export function makeEdge(from: string, to: string, path?: number): StudioEdge {
  if (path === undefined) return { id: edgeId(from, to), source: from, target: to, type: "queue" };
  return { id: `${edgeId(from, to)}#${path}`, source: from, target: to, type: "queue", sourceHandle: pathHandle(path), data: { path } };
}

/** The path index an edge starts, if it leaves a route. */
export const pathOf = (edge: StudioEdge): number | undefined => edge.data?.path;

export function defaultSpec(kind: NodeKind, op: string | null, params: Record<string, unknown>): NodeSpec {
  return {
    kind,
    op,
    params,
    concurrency: 1,
    outputOrder: "completion",
    queueSize: kind === "sink" ? 3 : 2,
    timeoutMs: null,
    retries: 0,
    maxFailures: null,
    repeat: false,
    consumer: null,
    runOn: null,
  };
}

/** `base` with spaces made underscores, or `base_2`, `base_3`, … when that is taken. */
export function uniqueId(base: string, taken: Set<string>): string {
  const clean = base.replace(/\s+/g, "_") || "node";
  if (!taken.has(clean)) return clean;
  for (let n = 2; ; n++) {
    const candidate = `${clean}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export const roundPosition = (p: XYPosition): XYPosition => ({ x: Math.round(p.x), y: Math.round(p.y) });

function toStudioNode(node: PipelineNode): StudioNode {
  const { id, position, ...spec } = node;
  return { id, type: node.kind, position: { ...position }, data: spec };
}

/** A pipeline file as the canvas draws it. */
export function fromSpec(spec: PipelineFile): GraphSnapshot {
  return {
    name: spec.name,
    description: spec.description,
    nodes: spec.nodes.map(toStudioNode),
    edges: spec.edges.map((e) => makeEdge(e.from, e.to, e.path)),
    build: { ...spec.build },
    ...annotationsFromSpec(spec.notes, spec.groups),
  };
}

/** The canvas as the pipeline file format (every field, positions rounded). */
export function toSpec(state: GraphSnapshot): PipelineFileInput {
  return {
    format: FORMAT,
    name: state.name,
    description: state.description,
    nodes: state.nodes.map((node) => ({ id: node.id, ...node.data, position: roundPosition(node.position) })),
    edges: state.edges.map((edge) => {
      const path = pathOf(edge);
      return path === undefined ? { from: edge.source, to: edge.target } : { from: edge.source, to: edge.target, path };
    }),
    build: { ...state.build },
    ...annotationsToSpec(state),
  };
}
