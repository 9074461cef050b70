import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange, type XYPosition } from "@xyflow/react";
import { create } from "zustand";
import type { BuildSettings, NodeKind, OpenedPipeline } from "../api/types.js";
import { copySelection, paste, type Clipboard } from "../graph/clipboard.js";
import * as edits from "../graph/edits.js";
import { fromSpec, type GraphSnapshot, type NodeSpec, type StudioEdge, type StudioNode } from "../graph/model.js";
import { selectAll, selectEdge, selectOnly } from "../graph/selection.js";
import { showNotice } from "./notice.js";

const HISTORY_LIMIT = 200;
/** The node and pipeline fields a run takes live (the engine's knobs); every other edit changes what runs. */
const LIVE_NODE_FIELDS: ReadonlySet<string> = new Set(["concurrency"]);
const LIVE_BUILD_FIELDS: ReadonlySet<string> = new Set(["numThreads"]);
/** Edits of the same field within this window are one undo step (typing a number). */
const COALESCE_MS = 800;

export interface DocumentState extends GraphSnapshot {
  path: string | null;
  /** Uploaded from the browser and not saved since: its name, and where its relative paths resolve. */
  uploaded: { name: string; baseDir: string } | null;
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
  /**
   * Why the graph cannot change now (a run, profile or auto-tune is using it), or null. Structural
   * edits are refused with this reason; live knobs and moving nodes still apply.
   */
  editLock: string | null;

  load(opened: OpenedPipeline): void;
  markSaved(path: string): void;
  onNodesChange(changes: NodeChange<StudioNode>[]): void;
  onEdgesChange(changes: EdgeChange<StudioEdge>[]): void;
  connect(connection: Connection): void;
  /** A route's path removed (its edge), later paths numbered down so they stay 0 to n−1. */
  removePath(route: string, path: number): void;
  /** An empty path out of a route, to where its paths meet; false while no path reaches that node. */
  addPath(route: string): boolean;
  /** The new node's id, or null when the graph is locked. */
  addNode(kind: NodeKind, op: string | null, position: XYPosition, params: Record<string, unknown>): string | null;
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
  /** Positions for a file that had none, as it opens: no undo step, no unsaved change. */
  placeNodes(positions: Record<string, XYPosition>): void;
  setEditLock(reason: string | null): void;
  /** The run's own knob values, shown where it refused the document's (no undo step: nothing was edited). */
  showRunValues(values: { numThreads?: number; concurrency?: Record<string, number> }): void;
}

const snapshot = (s: GraphSnapshot): GraphSnapshot => ({
  name: s.name,
  description: s.description,
  nodes: s.nodes,
  edges: s.edges,
  build: s.build,
});

/** The pipeline being edited: the graph (its edits are plain functions in graph/), its file, undo and redo. */
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

  /** True (and the reason shown) when the graph is locked: the caller changes nothing. */
  const refused = (): boolean => {
    const reason = get().editLock;
    if (reason) showNotice({ kind: "info", text: reason, until: "hostActivity" });
    return reason !== null;
  };
  const onlyLive = (patch: object, live: ReadonlySet<string>): boolean => Object.keys(patch).every((key) => live.has(key));

  return {
    name: "",
    description: "",
    nodes: [],
    edges: [],
    build: { numThreads: 4, maxFailures: null, remote: null },
    path: null,
    uploaded: null,
    dirty: false,
    past: [],
    future: [],
    clipboard: null,
    revision: 0,
    lastCommit: null,
    dragging: false,
    loadId: 0,
    editLock: null,

    showRunValues({ numThreads, concurrency = {} }) {
      const state = get();
      set({
        build: numThreads === undefined ? state.build : { ...state.build, numThreads },
        nodes: state.nodes.map((node) =>
          concurrency[node.id] === undefined ? node : { ...node, data: { ...node.data, concurrency: concurrency[node.id]! } },
        ),
        revision: state.revision + 1,
      });
    },

    setEditLock(reason) {
      if (get().editLock !== reason) set({ editLock: reason });
    },

    load(opened) {
      set({
        ...fromSpec(opened.spec),
        loadId: get().loadId + 1,
        path: opened.path,
        uploaded: opened.uploaded ?? null,
        dirty: false,
        past: [],
        future: [],
        revision: get().revision + 1,
        lastCommit: null,
        dragging: false,
      });
    },

    markSaved(path) {
      set({ path, uploaded: null, dirty: false });
    },

    onNodesChange(changes) {
      const state = get();
      const moving = changes.some((c) => c.type === "position" && c.dragging);
      const moved = changes.some((c) => c.type === "position");
      const ended = changes.some((c) => c.type === "position" && c.dragging === false);
      const removes = changes.filter((c) => c.type === "remove");
      if (removes.length > 0) {
        if (!refused()) commit(edits.removeNodes(state, new Set(removes.map((c) => c.id))));
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
        if (!refused()) commit(edits.removeEdges(state, new Set(removes.map((c) => c.id))));
        return;
      }
      set({ edges: applyEdgeChanges(changes, state.edges) });
    },

    connect(connection) {
      if (refused()) return;
      const change = edits.connect(get(), connection.source, connection.target, connection.sourceHandle ?? null);
      if (change) commit(change);
    },

    removePath(route, path) {
      if (refused()) return;
      commit(edits.removePath(get(), route, path));
    },

    addPath(route) {
      if (refused()) return false;
      const change = edits.addEmptyPath(get(), route);
      if (change) commit(change);
      return change !== null;
    },

    addNode(kind, op, position, params) {
      if (refused()) return null;
      const { id, change } = edits.addNode(get(), kind, op, position, params);
      commit(change);
      return id;
    },

    updateNode(id, patch, coalesceKey) {
      if (!onlyLive(patch, LIVE_NODE_FIELDS) && refused()) return;
      commit(edits.updateNode(get(), id, patch), coalesceKey ?? undefined);
    },

    renameNode(id, newId) {
      const lock = get().editLock;
      if (lock && id !== newId) return lock;
      const result = edits.renameNode(get(), id, newId);
      if (result === null) return null;
      if ("refused" in result) return result.refused;
      commit(result);
      return null;
    },

    setBuild(patch, coalesceKey) {
      if (!onlyLive(patch, LIVE_BUILD_FIELDS) && refused()) return;
      commit(edits.setBuild(get(), patch), coalesceKey);
    },

    applySettings(settings) {
      commit(edits.applySettings(get(), settings));
    },

    setName(name) {
      commit({ name }, "name");
    },

    deleteSelection() {
      if (refused()) return;
      const change = edits.deleteSelection(get());
      if (change) commit(change);
    },

    selectOnly(ids) {
      set(selectOnly(get(), ids));
    },

    selectEdge(id) {
      set(selectEdge(get(), id));
    },

    selectAll() {
      set(selectAll(get()));
    },

    copySelection() {
      const clipboard = copySelection(get());
      if (clipboard) set({ clipboard });
    },

    paste() {
      const state = get();
      if (!state.clipboard || refused()) return;
      const pasted = paste(state, state.clipboard);
      commit(pasted.change);
      set({ clipboard: pasted.clipboard });
    },

    undo() {
      const state = get();
      const previous = state.past[state.past.length - 1];
      if (!previous || refused()) return;
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
      if (!next || refused()) return;
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
      commit(edits.setPositions(get(), positions));
    },

    placeNodes(positions) {
      set(edits.setPositions(get(), positions));
    },
  };
});
