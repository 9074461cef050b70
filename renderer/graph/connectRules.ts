import type { Graph } from "./model.js";

/**
 * Why a wire from `source` to `target` may not be drawn, or null when it may: the one check both
 * the drop (edits.connect) and the feedback while a wire is dragged ask, so what the canvas shows
 * as refused is exactly what the drop refuses. The same shape rules the file's validation states:
 * nothing into a source or out of the sink, no wire twice, no fan-out but a route's, no cycle.
 * Several wires into one node are allowed (a merge).
 */
export function connectionRefusal(graph: Graph, source: string, target: string, sourceHandle: string | null = null): string | null {
  if (source === target) return `"${source}" cannot feed itself (a cycle)`;
  const from = graph.nodes.find((n) => n.id === source);
  const to = graph.nodes.find((n) => n.id === target);
  if (!from || !to) return `no node "${from ? target : source}"`;
  if (to.type === "source") return `"${target}" is a source, which takes no input`;
  if (from.type === "sink") return `"${source}" is the sink; nothing comes after it`;
  if (from.type === "route") {
    // A route's handle names a path: a wire from it replaces the path's wire, unless it already goes there.
    const path = sourceHandle === null ? null : /^path-(\d+)$/.exec(sourceHandle)?.[1];
    if (
      path !== undefined &&
      path !== null &&
      graph.edges.some((e) => e.source === source && e.target === target && e.data?.path === Number(path))
    )
      return `path ${path} of "${source}" already goes to "${target}"`;
  } else {
    const out = graph.edges.find((e) => e.source === source);
    if (out?.target === target) return `"${source}" already feeds "${target}"`;
    if (out)
      return `"${source}" already feeds "${out.target}": a node feeds one other (no fan-out); use a route to send items one way or another`;
  }
  if (reaches(graph, target, source)) return `"${target}" already leads to "${source}": this wire would close a cycle`;
  return null;
}

/** Whether following wires from `start` arrives at `goal`. */
function reaches(graph: Graph, start: string, goal: string): boolean {
  const next = new Map<string, string[]>();
  for (const edge of graph.edges) next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target]);
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === goal) return true;
    for (const child of next.get(id) ?? [])
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
  }
  return false;
}
