import type { GraphShape } from "./judgeable.js";
import { showValue, type SpecProblem } from "./problems.js";

/** A route node's paths as the file draws them. */
export interface RouteLayout {
  /** Per path index, the first node on it; null for an empty path (its edge goes straight to `meet`). */
  starts: (string | null)[];
  /** The node where the paths meet again: its inputs are the paths' ends, one per path. */
  meet: string;
}

export interface RouteLayouts {
  /** By route id. */
  routes: Map<string, RouteLayout>;
  /** Route id by the id of the node where its paths meet. */
  routeMeetingAt: Map<string, string>;
  problems: SpecProblem[];
}

/**
 * Where each route's paths run and meet again, in a graph that passed checkGraph. A path is the
 * chain of nodes from the route's edge to the node where all its paths meet (a nested route on a
 * path is passed over to where its own paths meet). The rules: all paths meet in one node, whose
 * inputs are exactly the paths' ends; no two paths meet before that; and a node on a path takes
 * input only from the path (a merge with anything else comes after the paths meet).
 */
export function routeLayouts(spec: GraphShape): RouteLayouts {
  const nodeById = new Map(spec.nodes.map((node) => [node.id, node]));
  const indexById = new Map(spec.nodes.map((node, index) => [node.id, index]));
  const outTo = new Map<string, string>();
  const inputs = new Map<string, string[]>();
  const pathEdges = new Map<string, { path: number; to: string }[]>();
  const push = <V>(map: Map<string, V[]>, key: string, value: V): void => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const edge of spec.edges) {
    push(inputs, edge.to, edge.from);
    if (edge.path === undefined) outTo.set(edge.from, edge.to);
    else push(pathEdges, edge.from, { path: edge.path, to: edge.to });
  }
  const routes = new Map<string, RouteLayout>();
  const failed = new Set<string>();
  const problems: SpecProblem[] = [];
  const problem = (routeId: string, message: string) =>
    problems.push({ path: `nodes[${indexById.get(routeId)}]`, message: `route ${showValue(routeId)}: ${message}`, nodeId: routeId });

  /** The layout of a route, nested routes on its paths first; undefined when it (or one nested) breaks a rule. */
  const layoutOf = (routeId: string, nesting: string[]): RouteLayout | undefined => {
    if (routes.has(routeId)) return routes.get(routeId);
    if (failed.has(routeId) || nesting.includes(routeId)) return undefined;
    const layout = lay(routeId, [...nesting, routeId]);
    if (layout) routes.set(routeId, layout);
    else failed.add(routeId);
    return layout;
  };

  /** The next node along a path: after a nested route, where its paths meet. */
  const nextOf = (id: string, nesting: string[]): string | undefined | null => {
    if (nodeById.get(id)?.kind !== "route") return outTo.get(id);
    return layoutOf(id, nesting)?.meet ?? null;
  };

  const lay = (routeId: string, nesting: string[]): RouteLayout | undefined => {
    const targets = [...(pathEdges.get(routeId) ?? [])].sort((a, b) => a.path - b.path).map((edge) => edge.to);
    // Fewer than two paths is checkGraph's to say.
    if (targets.length < 2) return undefined;
    // Path 0 to the sink: every path ends up on it, so the paths meet somewhere on it.
    const alongFirst = new Map<string, number>();
    for (let id: string | undefined | null = targets[0]; id; id = nextOf(id, nesting)) {
      if (alongFirst.has(id)) break;
      alongFirst.set(id, alongFirst.size);
    }
    if ([...alongFirst.keys()].some((id) => nodeById.get(id)?.kind === "route" && failed.has(id))) return undefined;
    const joins = targets.slice(1).map((start) => {
      let id: string | undefined | null = start;
      while (id && !alongFirst.has(id)) id = nextOf(id, nesting);
      return id;
    });
    if (joins.some((id) => !id)) return undefined;
    const meet = (joins as string[]).reduce((latest, id) => (alongFirst.get(id)! > alongFirst.get(latest)! ? id : latest));

    // First the paths' chains, so two paths running into each other are said as such.
    const pathOf = new Map<string, number>();
    const chains: string[][] = [];
    for (const [path, start] of targets.entries()) {
      const chain: string[] = [];
      for (let id = start; id !== meet; id = nextOf(id, nesting) as string) {
        const other = pathOf.get(id);
        if (other !== undefined) {
          problem(
            routeId,
            `paths ${other} and ${path} meet at ${showValue(id)} before all its paths meet at ${showValue(meet)}; a route's paths all meet in one node (route again there, or give each path its own stages)`,
          );
          return undefined;
        }
        pathOf.set(id, path);
        chain.push(id);
      }
      chains.push(chain);
    }
    const ends: string[] = [];
    for (const [path, chain] of chains.entries()) {
      let previous = routeId;
      for (const id of chain) {
        // Where a nested route's paths meet, its inputs are that route's to judge.
        if (previous === routeId || nodeById.get(previous)?.kind !== "route") {
          const strangers = (inputs.get(id) ?? []).filter((from) => from !== previous);
          if (strangers.length > 0) {
            problem(
              routeId,
              `${showValue(id)} is on path ${path} and also takes input from ${strangers.map(showValue).join(", ")}; a path takes input only from the route (merge after the paths meet)`,
            );
            return undefined;
          }
        }
        previous = id;
      }
      ends.push(previous);
    }
    const strangers = [...(inputs.get(meet) ?? [])];
    for (const end of ends) {
      const at = strangers.indexOf(end);
      if (at >= 0) strangers.splice(at, 1);
    }
    if (strangers.length > 0) {
      problem(
        routeId,
        `its paths meet at ${showValue(meet)}, which also takes input from ${strangers.map(showValue).join(", ")}; the node where a route's paths meet takes input only from them (add a stage after it to merge more)`,
      );
      return undefined;
    }
    return { starts: targets.map((start) => (start === meet ? null : start)), meet };
  };

  for (const node of spec.nodes) if (node.kind === "route" && pathEdges.has(node.id)) layoutOf(node.id, []);
  const routeMeetingAt = new Map([...routes].map(([routeId, layout]) => [layout.meet, routeId]));
  return { routes, routeMeetingAt, problems };
}

/** The routes of a graph that passed checkGraph, or what is wrong with them. */
export function checkRoutes(spec: GraphShape): SpecProblem[] {
  return routeLayouts(spec).problems;
}
