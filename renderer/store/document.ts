import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
  type XYPosition,
} from "@xyflow/react";
import { create } from "zustand";
import type { BuildSettings, NodeKind, OpenedPipeline, PipelineFile, PipelineFileInput, PipelineNode } from "../api/types.js";

/** Everything about a node except its id and position: what the inspector edits. */
export type NodeSpec = Omit<PipelineNode, "id" | "position">;
export type StudioNode = Node<NodeSpec, NodeKind>;
export type StudioEdge = Edge<Record<string, never>, "queue">;

const FORMAT: PipelineFile["format"] = "pipeline-studio/1";
const HISTORY_LIMIT = 200;
/** Edits of the same field within this window are one undo step (typing a number). */
const COALESCE_MS = 800;

interface GraphSnapshot {
  name: string;
  description: string;
  nodes: StudioNode[];
  edges: StudioEdge[];
  build: BuildSettings;
}

interface Clipboard {
  nodes: { id: string; spec: NodeSpec; position: XYPosition }[];
  edges: { from: string; to: string }[];
}

export interface DocumentState extends GraphSnapshot {
  path: string | null;
  dirty: boolean;
  past: GraphSnapshot[];
  future: GraphSnapshot[];
  clipboard: Clipboard | null;
  /** Bumped on every change that affects the spec (not selection): drives validation. */
  revision: number;
  lastCommit: { key: string; at: number } | null;
  dragging: boolean;
  /** Bumped when a file is opened: the canvas fits it into view. */
  loadId: number;

  load(opened: OpenedPipeline): void;
  markSaved(path: string): void;
  onNodesChange(changes: NodeChange<StudioNode>[]): void;
  onEdgesChange(changes: EdgeChange<StudioEdge>[]): void;
  connect(connection: Connection): void;
  addNode(kind: NodeKind, op: string | null, position: XYPosition, params: Record<string, unknown>): string;
  updateNode(id: string, patch: Partial<NodeSpec>, coalesceKey?: string): void;
  renameNode(id: string, newId: string): string | null;
  setBuild(patch: Partial<BuildSettings>, coalesceKey?: string): void;
  /** Auto-tune's settings: concurrency per stage and numThreads, as one undo step. */
  applySettings(settings: { numThreads: number; concurrency: Record<string, number> }): void;
  setName(name: string): void;
  deleteSelection(): void;
  selectOnly(ids: string[]): void;
  selectAll(): void;
  selectEdge(id: string): void;
  copySelection(): void;
  paste(): void;
  undo(): void;
  redo(): void;
  setPositions(positions: Record<string, XYPosition>): void;
}

export const edgeId = (from: string, to: string): string => `${from}->${to}`;

export function makeEdge(from: string, to: string): StudioEdge {
  return { id: edgeId(from, to), source: from, target: to, type: "queue" };
}

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
    runOn: null,
  };
}

function toStudioNode(node: PipelineNode): StudioNode {
  const { id, position, ...spec } = node;
  return { id, type: node.kind, position: { ...position }, data: spec };
}

export function uniqueId(base: string, taken: Set<string>): string {
  const clean = base.replace(/\s+/g, "_") || "node";
  if (!taken.has(clean)) return clean;
  for (let n = 2; ; n++) {
    const candidate = `${clean}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

const roundPosition = (p: XYPosition): XYPosition => ({ x: Math.round(p.x), y: Math.round(p.y) });

/** The document as the pipeline file format (every field, positions rounded). */
export function toSpec(state: GraphSnapshot): PipelineFileInput {
  return {
    format: FORMAT,
    name: state.name,
    description: state.description,
    nodes: state.nodes.map((node) => ({ id: node.id, ...node.data, position: roundPosition(node.position) })),
    edges: state.edges.map((edge) => ({ from: edge.source, to: edge.target })),
    build: { ...state.build },
  };
}

const snapshot = (s: GraphSnapshot): GraphSnapshot => ({
  name: s.name,
  description: s.description,
  nodes: s.nodes,
  edges: s.edges,
  build: s.build,
});

export const useDocument = create<DocumentState>()((set, get) => {
  /** Records the current graph as an undo step, then applies `next`. */
  const commit = (next: Partial<GraphSnapshot>, coalesceKey?: string): void => {
    const state = get();
    const now = Date.now();
    const coalesce = coalesceKey !== undefined && state.lastCommit?.key === coalesceKey && now - state.lastCommit.at < COALESCE_MS;
    set({
      ...next,
      past: coalesce ? state.past : [...state.past, snapshot(state)].slice(-HISTORY_LIMIT),
      future: [],
      dirty: true,
      revision: state.revision + 1,
      lastCommit: coalesceKey !== undefined ? { key: coalesceKey, at: now } : null,
    });
  };

  return {
    name: "",
    description: "",
    nodes: [],
    edges: [],
    build: { numThreads: 4, maxFailures: null },
    path: null,
    dirty: false,
    past: [],
    future: [],
    clipboard: null,
    revision: 0,
    lastCommit: null,
    dragging: false,
    loadId: 0,

    load(opened) {
      set({
        loadId: get().loadId + 1,
        name: opened.spec.name,
        description: opened.spec.description,
        nodes: opened.spec.nodes.map(toStudioNode),
        edges: opened.spec.edges.map((e) => makeEdge(e.from, e.to)),
        build: { ...opened.spec.build },
        path: opened.path,
        dirty: false,
        past: [],
        future: [],
        revision: get().revision + 1,
        lastCommit: null,
        dragging: false,
      });
    },

    markSaved(path) {
      set({ path, dirty: false });
    },

    onNodesChange(changes) {
      const state = get();
      const moving = changes.some((c) => c.type === "position" && c.dragging);
      const moved = changes.some((c) => c.type === "position");
      const ended = changes.some((c) => c.type === "position" && c.dragging === false);
      const removes = changes.filter((c) => c.type === "remove");
      if (removes.length > 0) {
        const ids = new Set(removes.map((c) => c.id));
        commit({
          nodes: state.nodes.filter((n) => !ids.has(n.id)),
          edges: state.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target)),
        });
        return;
      }
      const nodes = applyNodeChanges(changes, state.nodes);
      if (moving && !state.dragging) {
        // The first move of a drag is one undo step for the whole drag.
        set({
          nodes,
          dragging: true,
          past: [...state.past, snapshot(state)].slice(-HISTORY_LIMIT),
          future: [],
          dirty: true,
          lastCommit: null,
        });
      } else if (ended || (moved && !moving)) {
        set({ nodes, dragging: false, dirty: true, revision: state.revision + 1 });
      } else {
        set({ nodes });
      }
    },

    onEdgesChange(changes) {
      const state = get();
      const removes = changes.filter((c) => c.type === "remove");
      if (removes.length > 0) {
        const ids = new Set(removes.map((c) => c.id));
        commit({ edges: state.edges.filter((e) => !ids.has(e.id)) });
        return;
      }
      set({ edges: applyEdgeChanges(changes, state.edges) });
    },

    connect(connection) {
      const { source, target } = connection;
      if (!source || !target || source === target) return;
      const state = get();
      if (state.edges.some((e) => e.source === source && e.target === target)) return;
      commit({ edges: [...state.edges, makeEdge(source, target)] });
    },

    addNode(kind, op, position, params) {
      const state = get();
      const taken = new Set(state.nodes.map((n) => n.id));
      const id = uniqueId(op ?? kind, taken);
      const node: StudioNode = { id, type: kind, position: roundPosition(position), data: defaultSpec(kind, op, params), selected: true };
      commit({ nodes: [...state.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node] });
      return id;
    },

    updateNode(id, patch, coalesceKey) {
      const state = get();
      commit(
        {
          nodes: state.nodes.map((n) =>
            n.id === id ? { ...n, data: { ...n.data, ...patch }, ...(patch.kind ? { type: patch.kind } : {}) } : n,
          ),
        },
        coalesceKey ?? undefined,
      );
    },

    renameNode(id, newId) {
      const state = get();
      const target = newId.trim();
      if (!target || target === id) return null;
      if (state.nodes.some((n) => n.id === target)) return `"${target}" is taken`;
      commit({
        nodes: state.nodes.map((n) => (n.id === id ? { ...n, id: target } : n)),
        edges: state.edges.map((e) =>
          e.source === id || e.target === id ? makeEdge(e.source === id ? target : e.source, e.target === id ? target : e.target) : e,
        ),
      });
      return null;
    },

    setBuild(patch, coalesceKey) {
      commit({ build: { ...get().build, ...patch } }, coalesceKey);
    },

    applySettings(settings) {
      const state = get();
      commit({
        nodes: state.nodes.map((node) => {
          const concurrency = settings.concurrency[node.id];
          return concurrency === undefined || concurrency === node.data.concurrency
            ? node
            : { ...node, data: { ...node.data, concurrency } };
        }),
        build: { ...state.build, numThreads: settings.numThreads },
      });
    },

    setName(name) {
      commit({ name }, "name");
    },

    deleteSelection() {
      const state = get();
      const ids = new Set(state.nodes.filter((n) => n.selected).map((n) => n.id));
      const edges = state.edges.filter((e) => !e.selected && !ids.has(e.source) && !ids.has(e.target));
      if (ids.size === 0 && edges.length === state.edges.length) return;
      commit({ nodes: state.nodes.filter((n) => !ids.has(n.id)), edges });
    },

    selectOnly(ids) {
      const wanted = new Set(ids);
      set({
        nodes: get().nodes.map((n) => (Boolean(n.selected) === wanted.has(n.id) ? n : { ...n, selected: wanted.has(n.id) })),
        edges: get().edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
      });
    },

    selectEdge(id) {
      set({
        nodes: get().nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
        edges: get().edges.map((e) => (Boolean(e.selected) === (e.id === id) ? e : { ...e, selected: e.id === id })),
      });
    },

    selectAll() {
      set({ nodes: get().nodes.map((n) => (n.selected ? n : { ...n, selected: true })) });
    },

    copySelection() {
      const state = get();
      const selected = state.nodes.filter((n) => n.selected);
      if (selected.length === 0) return;
      const ids = new Set(selected.map((n) => n.id));
      set({
        clipboard: {
          nodes: selected.map((n) => ({ id: n.id, spec: structuredClone(n.data), position: { ...n.position } })),
          edges: state.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ from: e.source, to: e.target })),
        },
      });
    },

    paste() {
      const state = get();
      const clip = state.clipboard;
      if (!clip) return;
      const taken = new Set(state.nodes.map((n) => n.id));
      const renamed = new Map<string, string>();
      const added: StudioNode[] = clip.nodes.map((entry) => {
        const id = uniqueId(entry.id, taken);
        taken.add(id);
        renamed.set(entry.id, id);
        return {
          id,
          type: entry.spec.kind,
          position: { x: entry.position.x + 40, y: entry.position.y + 60 },
          data: structuredClone(entry.spec),
          selected: true,
        };
      });
      const addedEdges = clip.edges.map((e) => makeEdge(renamed.get(e.from)!, renamed.get(e.to)!));
      commit({
        nodes: [...state.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...added],
        edges: [...state.edges, ...addedEdges],
      });
      // The next paste lands further along.
      set({ clipboard: { ...clip, nodes: clip.nodes.map((n) => ({ ...n, position: { x: n.position.x + 40, y: n.position.y + 60 } })) } });
    },

    undo() {
      const state = get();
      const previous = state.past[state.past.length - 1];
      if (!previous) return;
      set({
        ...previous,
        past: state.past.slice(0, -1),
        future: [snapshot(state), ...state.future],
        dirty: true,
        revision: state.revision + 1,
        lastCommit: null,
      });
    },

    redo() {
      const state = get();
      const next = state.future[0];
      if (!next) return;
      set({
        ...next,
        past: [...state.past, snapshot(state)],
        future: state.future.slice(1),
        dirty: true,
        revision: state.revision + 1,
        lastCommit: null,
      });
    },

    setPositions(positions) {
      const state = get();
      commit({ nodes: state.nodes.map((n) => (positions[n.id] ? { ...n, position: roundPosition(positions[n.id]!) } : n)) });
    },
  };
});

export const selectSpec = (state: DocumentState): PipelineFileInput => toSpec(state);
