import type { GraphNode, GraphShape } from "./judgeable.js";
import { showValue, type SpecProblem } from "./problems.js";
import type { PipelineEdge } from "./schema.js";

/**
 * The shape rules of a pipeline graph: unique ids, one sink, at least one source, edges between
 * existing nodes, no fan-out but a route's (any other node feeds at most one other; several may
 * feed one: a merge), a route's edges numbered by path 0 to n−1, nothing into a source or out of
 * the sink, no cycle, and every node connected. Where a route's paths meet again is checked by
 * checkRoutes once these hold. Ids in messages are quoted as JSON and cut short, so a
 * megabyte-long id makes a line, not a megabyte.
 */
export function checkGraph(spec: GraphShape): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const indexById = new Map<string, number>();
  spec.nodes.forEach((node, index) => {
    const first = indexById.get(node.id);
    if (first !== undefined)
      problems.push({
        path: `nodes[${index}].id`,
        message: `duplicate id ${showValue(node.id)} (first used by nodes[${first}]); ids must be unique`,
        nodeId: node.id,
      });
    else indexById.set(node.id, index);
  });
  const nodeOf = (id: string): GraphNode | undefined => {
    const index = indexById.get(id);
    return index === undefined ? undefined : spec.nodes[index];
  };

  const sources = spec.nodes.filter((node) => node.kind === "source");
  const sinks = spec.nodes.map((node, index) => ({ node, index })).filter(({ node }) => node.kind === "sink");
  if (sources.length === 0) problems.push({ path: "nodes", message: "the pipeline has no source node; add one (e.g. range)" });
  if (sinks.length === 0) problems.push({ path: "nodes", message: "the pipeline has no sink node; add one at the end" });
  for (const extra of sinks.slice(1)) {
    problems.push({
      path: `nodes[${extra.index}]`,
      message: `a pipeline has exactly one sink; ${showValue(extra.node.id)} is a second one (the first is ${showValue(sinks[0].node.id)})`,
      nodeId: extra.node.id,
    });
  }

  const usable: PipelineEdge[] = [];
  const outOf = new Map<string, number>();
  const pathEdges = new Map<string, number>();
  const seen = new Map<string, number>();
  spec.edges.forEach((edge, index) => {
    const from = nodeOf(edge.from);
    const to = nodeOf(edge.to);
    if (!from) problems.push({ path: `edges[${index}].from`, message: `no node has id ${showValue(edge.from)}` });
    if (!to) problems.push({ path: `edges[${index}].to`, message: `no node has id ${showValue(edge.to)}` });
    if (!from || !to) return;
    // Two empty paths of one route may both lead to where the paths meet: the path tells them apart.
    const key = `${edge.from}\u0000${edge.to}\u0000${edge.path ?? ""}`;
    if (seen.has(key))
      return void problems.push({
        path: `edges[${index}]`,
        message: `duplicates edges[${seen.get(key)}] (${showValue(edge.from)} → ${showValue(edge.to)})`,
      });
    seen.set(key, index);
    if (edge.from === edge.to)
      return void problems.push({
        path: `edges[${index}]`,
        message: `${showValue(edge.from)} is connected to itself (a cycle)`,
        nodeId: edge.from,
      });
    if (to.kind === "source")
      return void problems.push({
        path: `edges[${index}].to`,
        message: `${showValue(to.id)} is a source, which takes no input`,
        nodeId: to.id,
      });
    if (from.kind === "sink")
      return void problems.push({
        path: `edges[${index}].from`,
        message: `${showValue(from.id)} is the sink; nothing comes after it`,
        nodeId: from.id,
      });
    if (from.kind === "route") {
      if (edge.path === undefined)
        return void problems.push({
          path: `edges[${index}].path`,
          message: `is required on an edge out of route ${showValue(from.id)}: the index of the path it starts (0, 1, …)`,
          nodeId: from.id,
        });
      const taken = pathEdges.get(`${edge.from}\u0000${edge.path}`);
      if (taken !== undefined)
        return void problems.push({
          path: `edges[${index}].path`,
          message: `path ${edge.path} of route ${showValue(from.id)} already starts at edges[${taken}]; each path index once`,
          nodeId: from.id,
        });
      pathEdges.set(`${edge.from}\u0000${edge.path}`, index);
    } else {
      if (edge.path !== undefined)
        return void problems.push({
          path: `edges[${index}].path`,
          message: `only the edges out of a route node have a path; ${showValue(from.id)} is ${article(from.kind)}`,
          nodeId: from.id,
        });
      const earlier = outOf.get(edge.from);
      if (earlier !== undefined) {
        return void problems.push({
          path: `edges[${index}]`,
          message: `${showValue(edge.from)} already feeds ${showValue(spec.edges[earlier].to)} (edges[${earlier}]); a node feeds at most one other (no fan-out): to send items one way or another, use a route node`,
          nodeId: edge.from,
        });
      }
    }
    if (!outOf.has(edge.from)) outOf.set(edge.from, index);
    usable.push(edge);
  });
  problems.push(...pathNumbering(spec.nodes, usable));

  const cycle = findCycle(usable);
  if (cycle) problems.push({ path: "edges", message: `cycle: ${cycle.join(" → ")}`, nodeId: cycle[0] });

  const hasInput = new Set(usable.map((edge) => edge.to));
  spec.nodes.forEach((node, index) => {
    if (indexById.get(node.id) !== index) return;
    if (node.kind !== "source" && !hasInput.has(node.id)) {
      problems.push({
        path: `nodes[${index}]`,
        message: `${showValue(node.id)} has no input; connect a source or a stage to it`,
        nodeId: node.id,
      });
    }
    if (node.kind !== "sink" && !outOf.has(node.id)) {
      problems.push({
        path: `nodes[${index}]`,
        message: `${showValue(node.id)} has no output; connect it to the next stage or the sink`,
        nodeId: node.id,
      });
    }
  });
  return problems;
}

/** Each route's paths are numbered 0 to n−1 with none missing, and a route has at least two. */
function pathNumbering(nodes: readonly GraphNode[], edges: readonly PipelineEdge[]): SpecProblem[] {
  const problems: SpecProblem[] = [];
  nodes.forEach((node, index) => {
    if (node.kind !== "route") return;
    const paths = edges.filter((edge) => edge.from === node.id).map((edge) => edge.path!);
    if (paths.length === 0) return;
    if (paths.length === 1) {
      problems.push({
        path: `nodes[${index}]`,
        message: `route ${showValue(node.id)} has one path; a route sends items down one of two or more paths (connect another)`,
        nodeId: node.id,
      });
      return;
    }
    const missing = paths.map((_, path) => path).filter((path) => !paths.includes(path));
    if (missing.length > 0)
      problems.push({
        path: `nodes[${index}]`,
        message: `route ${showValue(node.id)} has paths ${[...paths].sort((a, b) => a - b).join(", ")}: path ${missing.join(", ")} is missing (paths are numbered 0 to ${paths.length - 1})`,
        nodeId: node.id,
      });
  });
  return problems;
}

/** Depth first from every node, on a stack of its own (chains may be thousands long): an edge back to a node on the current walk closes a cycle. */
function findCycle(edges: readonly PipelineEdge[]): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const targets = next.get(edge.from);
    if (targets) targets.push(edge.to);
    else next.set(edge.from, [edge.to]);
  }
  const done = new Set<string>();
  for (const start of next.keys()) {
    if (done.has(start)) continue;
    const walk: { id: string; nextChild: number }[] = [{ id: start, nextChild: 0 }];
    const onWalk = new Set([start]);
    while (walk.length > 0) {
      const top = walk[walk.length - 1];
      const children = next.get(top.id) ?? [];
      if (top.nextChild >= children.length) {
        walk.pop();
        onWalk.delete(top.id);
        done.add(top.id);
        continue;
      }
      const child = children[top.nextChild++];
      if (onWalk.has(child)) {
        const ids = walk.map((entry) => entry.id);
        return [...ids.slice(ids.indexOf(child)), child];
      }
      if (done.has(child)) continue;
      onWalk.add(child);
      walk.push({ id: child, nextChild: 0 });
    }
  }
  return undefined;
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** The ids feeding each node, in edge order. */
export function inputsByNode(spec: Pick<GraphShape, "edges">): Map<string, string[]> {
  const inputs = new Map<string, string[]>();
  for (const edge of spec.edges) {
    const feeding = inputs.get(edge.to);
    if (feeding) feeding.push(edge.from);
    else inputs.set(edge.to, [edge.from]);
  }
  return inputs;
}
