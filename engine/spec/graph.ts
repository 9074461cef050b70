import type { GraphNode, GraphShape } from "./judgeable.js";
import { showValue, type SpecProblem } from "./problems.js";
import type { PipelineEdge } from "./schema.js";

/**
 * The shape rules of a pipeline graph: unique ids, one sink, at least one source, edges between
 * existing nodes, no fan-out (a node feeds at most one other; several may feed one: a merge),
 * nothing into a source or out of the sink, no cycle, and every node connected. Ids in messages
 * are quoted as JSON and cut short, so a megabyte-long id makes a line, not a megabyte.
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
  const seen = new Map<string, number>();
  spec.edges.forEach((edge, index) => {
    const from = nodeOf(edge.from);
    const to = nodeOf(edge.to);
    if (!from) problems.push({ path: `edges[${index}].from`, message: `no node has id ${showValue(edge.from)}` });
    if (!to) problems.push({ path: `edges[${index}].to`, message: `no node has id ${showValue(edge.to)}` });
    if (!from || !to) return;
    const key = `${edge.from}\u0000${edge.to}`;
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
    const earlier = outOf.get(edge.from);
    if (earlier !== undefined) {
      return void problems.push({
        path: `edges[${index}]`,
        message: `${showValue(edge.from)} already feeds ${showValue(spec.edges[earlier].to)} (edges[${earlier}]); a node feeds at most one other (no fan-out)`,
        nodeId: edge.from,
      });
    }
    outOf.set(edge.from, index);
    usable.push(edge);
  });

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

/** With at most one edge out of each node, following edges from every node finds any cycle. */
function findCycle(edges: readonly PipelineEdge[]): string[] | undefined {
  const next = new Map(edges.map((edge) => [edge.from, edge.to]));
  const done = new Set<string>();
  for (const start of next.keys()) {
    const path: string[] = [];
    const onPath = new Set<string>();
    for (let id: string | undefined = start; id !== undefined && !done.has(id); id = next.get(id)) {
      if (onPath.has(id)) return [...path.slice(path.indexOf(id)), id];
      onPath.add(id);
      path.push(id);
    }
    for (const id of path) done.add(id);
  }
  return undefined;
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
