import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange, type XYPosition } from "@xyflow/react";
import { create } from "zustand";
import type { BuildSettings, NodeKind, OpenedPipeline } from "../api/types.js";
import { copySelection, paste, type Clipboard } from "../graph/clipboard.js";
import * as notes from "../graph/annotations.js";
import * as edits from "../graph/edits.js";
import { fromSpec, type CanvasNode, type GraphSnapshot, type NodeSpec, type StudioEdge, type StudioNode } from "../graph/model.js";
import * as quickAdd from "../graph/quickAdd.js";
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
  /** React Flow's changes to what it draws: the pipeline's nodes, notes and groups (a moved group takes its nodes along). */
  onNodesChange(changes: NodeChange<CanvasNode>[]): void;
  onEdgesChange(changes: EdgeChange<StudioEdge>[]): void;
  /** Draws the wire; a refused one (a cycle, a fan-out, …) shows the reason, which it also returns. */
  connect(connection: Connection): string | null;
  /** A route's path removed (its edge), later paths numbered down so they stay 0 to n−1. */
  removePath(route: string, path: number): void;
  /** An empty path out of a route, to where its paths meet; false while no path reaches that node. */
  addPath(route: string): boolean;
  /** The new node's id, or null when the graph is locked. */
  addNode(kind: NodeKind, op: string | null, position: XYPosition, params: Record<string, unknown>): string | null;
  /** A node wired from `from`'s output (a wire dropped into empty space); a refused wire leaves it unwired and shows why. */
  addNodeAfter(node: quickAdd.NewNode, from: string, fromHandle: string | null): string | null;
  /** A node feeding `to` (a wire dragged out of an input into empty space); a refused wire leaves it unwired and shows why. */
  addNodeBefore(node: quickAdd.NewNode, to: string): string | null;
  /** A node put on a wire (a → new → b); refused with the reason shown for a source or the sink. */
  insertNodeOnEdge(edgeId: string, node: quickAdd.NewNode): string | null;
  duplicateNodes(ids: string[]): void;
  disconnectAll(id: string): void;
  removeNode(id: string): void;
  removeEdge(id: string): void;
  updateNode(id: string, patch: Partial<NodeSpec>, coalesceKey?: string): void;
  renameNode(id: string, newId: string): string | null;
  setBuild(patch: Partial<BuildSettings>, coalesceKey?: string): void;
  /** Auto-tune's settings: concurrency per stage and numThreads, as one undo step. */
  applySettings(settings: { numThreads: number; concurrency: Record<string, number> }): void;
  setName(name: string): void;
  deleteSelection(): void;
  selectOnly(ids: string[]): void;
  /** Exactly these pipeline nodes selected and no wire; notes and groups as they are (a box drawn from afar). */
  selectNodes(ids: string[]): void;
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
  /** Whether the graph may change now; when not, the reason is shown (as every refused edit shows it). */
  editable(): boolean;
  /** A new, empty note at a canvas position; its canvas id. Notes and groups never change what runs: no lock refuses them. */
  addNote(position: XYPosition): string;
  setNoteText(canvasId: string, text: string): void;
  /** A group framing the selected nodes; false when no node is selected. */
  groupSelection(): boolean;
  renameGroup(canvasId: string, label: string): void;
  /** The group's frame removed, its nodes left where they are. */
  ungroup(canvasId: string): void;
  /** The run's own knob values, shown where it refused the document's (no undo step: nothing was edited). */
  showRunValues(values: { numThreads?: number; concurrency?: Record<string, number> }): void;
}

const snapshot = (s: GraphSnapshot): GraphSnapshot => ({
  name: s.name,
  description: s.description,
  nodes: s.nodes,
  edges: s.edges,
  build: s.build,
  notes: s.notes,
  groups: s.groups,
});

const changedId = (change: NodeChange<CanvasNode>): string => (change.type === "add" ? change.item.id : change.id);

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
  /** A node added with its wire as one step; a refused wire is said. */
  const commitAdded = (added: quickAdd.Added): string => {
    commit(added.change);
    if (added.refused) showNotice({ kind: "info", text: `Added "${added.id}" unconnected: ${added.refused}.` });
    return added.id;
  };
  const onlyLive = (patch: object, live: ReadonlySet<string>): boolean => Object.keys(patch).every((key) => live.has(key));

  return {
    name: "",
    description: "",
    nodes: [],
    edges: [],
    build: { numThreads: 4, maxFailures: null, remote: null },
    notes: [],
    groups: [],
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

    editable() {
      return !refused();
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
      const mine = (test: (id: string) => boolean) => changes.filter((c) => test(changedId(c)));
      const noteChanges = mine(notes.isNoteId) as NodeChange<notes.NoteNode>[];
      const groupChanges = mine(notes.isGroupId) as NodeChange<notes.GroupNode>[];
      const nodeChanges = mine((id) => !notes.isNoteId(id) && !notes.isGroupId(id)) as NodeChange<StudioNode>[];
      // A drag of nodes, notes or groups, or a resize of a note or group: one undo step for the whole gesture.
      const going = changes.some((c) => (c.type === "position" && c.dragging) || (c.type === "dimensions" && c.resizing === true));
      const ended = changes.some(
        (c) => (c.type === "position" && c.dragging === false) || (c.type === "dimensions" && c.resizing === false),
      );
      const moved = changes.some((c) => c.type === "position");
      const removes = nodeChanges.filter((c) => c.type === "remove");
      if (removes.length > 0) {
        if (!refused()) {
          const ids = new Set(removes.map((c) => c.id));
          commit({ ...edits.removeNodes(state, ids), groups: notes.withoutMembers(state.groups, ids) });
        }
        return;
      }
      const movedThemselves = new Set(nodeChanges.flatMap((c) => (c.type === "position" ? [c.id] : [])));
      const groups = groupChanges.length > 0 ? applyNodeChanges(groupChanges, state.groups) : state.groups;
      let nodes = nodeChanges.length > 0 ? applyNodeChanges(nodeChanges, state.nodes) : state.nodes;
      nodes = notes.moveWithGroups(state.groups, groups, nodes, movedThemselves);
      const next = { nodes, groups, notes: noteChanges.length > 0 ? applyNodeChanges(noteChanges, state.notes) : state.notes };
      if (going && !state.dragging) {
        set({
          ...next,
          dragging: true,
          past: [...state.past, snapshot(state)].slice(-HISTORY_LIMIT),
          future: [],
          dirty: true,
          lastCommit: null,
        });
      } else if (ended || (moved && !state.dragging)) {
        // A node of no group dropped inside a group's frame joins it; one dragged out of its
        // group's frame takes the frame along.
        const grown =
          movedThemselves.size > 0
            ? notes.growGroupsToMembers(notes.joinGroupsOnDrop(next.groups, next.nodes, movedThemselves), next.nodes)
            : next.groups;
        set({ ...next, groups: grown, dragging: false, dirty: true, revision: state.revision + 1 });
      } else {
        set(next);
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
      if (refused()) return get().editLock;
      const change = edits.connect(get(), connection.source, connection.target, connection.sourceHandle ?? null);
      if (change === null) return null;
      if ("refused" in change) {
        showNotice({ kind: "info", text: `Not connected: ${change.refused}.` });
        return change.refused;
      }
      commit(change);
      return null;
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

    addNodeAfter(node, from, fromHandle) {
      return refused() ? null : commitAdded(quickAdd.addAfter(get(), node, from, fromHandle));
    },

    addNodeBefore(node, to) {
      return refused() ? null : commitAdded(quickAdd.addBefore(get(), node, to));
    },

    insertNodeOnEdge(edgeId, node) {
      if (refused()) return null;
      const inserted = quickAdd.insertOnEdge(get(), edgeId, node);
      if ("refused" in inserted) {
        showNotice({ kind: "info", text: `Not inserted: ${inserted.refused}.` });
        return null;
      }
      commit(inserted.change);
      return inserted.id;
    },

    duplicateNodes(ids) {
      if (refused()) return;
      const change = quickAdd.duplicate(get(), ids);
      if (change) commit(change);
    },

    disconnectAll(id) {
      if (refused()) return;
      const change = quickAdd.disconnectAll(get(), id);
      if (change) commit(change);
    },

    removeNode(id) {
      if (refused()) return;
      commit(edits.removeNodes(get(), new Set([id])));
    },

    removeEdge(id) {
      if (refused()) return;
      commit(edits.removeEdges(get(), new Set([id])));
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
      commit({ ...result, groups: notes.renameMember(get().groups, id, newId.trim()) });
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
      const state = get();
      const annotations = notes.removeAnnotations(state, notes.selectedAnnotations(state));
      // Notes and groups go even while the graph is locked: they never change what runs.
      const structural = state.nodes.some((n) => n.selected) || state.edges.some((e) => e.selected);
      // With nothing of the graph selected either, a locked graph still says why Delete did nothing.
      const change = (structural || !annotations) && !refused() ? edits.deleteSelection(state) : null;
      if (!change && !annotations) return;
      const kept = new Set((change?.nodes ?? state.nodes).map((n) => n.id));
      const removed = new Set(state.nodes.filter((n) => !kept.has(n.id)).map((n) => n.id));
      commit({ ...change, ...annotations, groups: notes.withoutMembers(annotations?.groups ?? state.groups, removed) });
    },

    selectOnly(ids) {
      set({ ...selectOnly(get(), ids), ...notes.unselectAnnotations(get()) });
    },

    selectNodes(ids) {
      set(selectOnly(get(), ids));
    },

    selectEdge(id) {
      set({ ...selectEdge(get(), id), ...notes.unselectAnnotations(get()) });
    },

    selectAll() {
      set(selectAll(get()));
    },

    copySelection() {
      const state = get();
      const copied = copySelection(state);
      const copiedNotes = notes.copyNotes(state.notes);
      if (!copied && copiedNotes.length === 0) return;
      set({ clipboard: { nodes: copied?.nodes ?? [], edges: copied?.edges ?? [], notes: copiedNotes } });
    },

    paste() {
      const state = get();
      if (!state.clipboard) return;
      // Notes alone never change what runs: no lock refuses them (as adding a note).
      if (state.clipboard.nodes.length > 0 && refused()) return;
      const pasted = paste(state, state.clipboard);
      commit({ ...pasted.change, ...notes.pasteNotes(state, pasted.notes) });
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
      const { nodes } = edits.setPositions(get(), positions);
      commit({ nodes, groups: notes.fitGroupsToMembers(get().groups, nodes) });
    },

    placeNodes(positions) {
      const { nodes } = edits.setPositions(get(), positions);
      set({ nodes, groups: notes.fitGroupsToMembers(get().groups, nodes) });
    },

    addNote(position) {
      const { id, change } = notes.addNote(get(), position, get().nodes);
      commit(change);
      return id;
    },

    setNoteText(canvasId, text) {
      const change = notes.setNoteText(get(), canvasId, text);
      if (change) commit(change);
    },

    groupSelection() {
      const state = get();
      const added = notes.groupNodes(
        state,
        state.nodes,
        state.nodes.filter((n) => n.selected).map((n) => n.id),
      );
      if (added) commit(added.change);
      return added !== null;
    },

    renameGroup(canvasId, label) {
      const change = notes.renameGroup(get(), canvasId, label);
      if (change) commit(change, `group-label:${canvasId}`);
    },

    ungroup(canvasId) {
      const change = notes.removeAnnotations(get(), new Set([canvasId]));
      if (change) commit(change);
    },
  };
});
