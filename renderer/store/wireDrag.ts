import { create } from "zustand";
import { connectionRefusal } from "../graph/connectRules.js";
import type { Graph } from "../graph/model.js";

/**
 * The wire being dragged from a node's output, and for every other node why a drop there would
 * be refused (null: it would connect). Worked out once as the drag starts, with the rule the
 * drop itself applies, so each node reads one entry instead of re-checking the graph per move.
 */
interface WireDragState {
  from: string | null;
  refusals: Record<string, string | null>;
}

export const useWireDrag = create<WireDragState>()(() => ({ from: null, refusals: {} }));

/**
 * A wire dragged from `from`'s handle: out of its output (`"out"`: every other node a possible
 * target) or out of its input (`"in"`: every other node a possible source feeding it).
 */
export function startWire(graph: Graph, from: string, fromHandle: string | null, direction: "out" | "in" = "out"): void {
  const refusals: Record<string, string | null> = {};
  for (const node of graph.nodes) {
    if (node.id === from) continue;
    refusals[node.id] =
      direction === "out" ? connectionRefusal(graph, from, node.id, fromHandle) : connectionRefusal(graph, node.id, from, null);
  }
  useWireDrag.setState({ from, refusals });
}

export function endWire(): void {
  if (useWireDrag.getState().from !== null) useWireDrag.setState({ from: null, refusals: {} });
}

/** How a node reads while a wire is dragged: "source" (where it starts), a refusal, "valid", or null (no drag). */
export function useWireTarget(id: string): "source" | "valid" | { refused: string } | null {
  const from = useWireDrag((s) => s.from);
  const refusal = useWireDrag((s) => s.refusals[id]);
  if (from === null) return null;
  if (from === id) return "source";
  return refusal ? { refused: refusal } : "valid";
}
