import { inputsByNode } from "../graph.js";
import { routeLayouts } from "../routes.js";
import type { PipelineFile, PipelineNode } from "../schema.js";

/** Where a chain begins: one source node, or several chains merged in arrival order. */
export type ChainStart = { kind: "source"; source: PipelineNode } | { kind: "merge"; branches: Chain[] };

/** A start followed by stage, aggregate and disaggregate nodes in data order: one builder call chain. */
export interface Chain {
  start: ChainStart;
  steps: PipelineNode[];
}

/** The whole file as both exporters print it: the chain that feeds the sink, then the sink. */
export interface PipelinePlan {
  chain: Chain;
  sink: PipelineNode;
  /** Per route node (a step of a chain or of a path), its paths' nodes in data order; a nested route's paths are under its own id. */
  paths: RoutePaths;
}

export type RoutePaths = ReadonlyMap<string, PipelineNode[][]>;

/**
 * Walks back from the sink the way compilePipeline does (inputs in edge order, several inputs
 * become a merge), so an exported program builds the same stages in the same order, and a
 * builder's duplicate-name suffixes, if any, fall on the same stages. Expects a runnable file.
 */
export function planPipeline(spec: PipelineFile): PipelinePlan {
  const inputs = inputsByNode(spec);
  const nodes = new Map(spec.nodes.map((node) => [node.id, node]));
  const { routes, routeMeetingAt } = routeLayouts(spec);
  // Where a route's paths meet, the chain goes on from the route: its paths are the route step's own.
  for (const [meet, route] of routeMeetingAt) inputs.set(meet, [route]);
  const outTo = new Map(spec.edges.filter((edge) => edge.path === undefined).map((edge) => [edge.from, edge.to]));
  const paths = new Map<string, PipelineNode[][]>();
  for (const [routeId, { starts, meet }] of routes) {
    paths.set(
      routeId,
      starts.map((start) => {
        const path: PipelineNode[] = [];
        for (let id = start; id !== null && id !== meet; id = nodes.get(id)!.kind === "route" ? routes.get(id)!.meet : outTo.get(id)!)
          path.push(nodes.get(id)!);
        return path;
      }),
    );
  }
  // What flows out of each node, built depth first from the sink on a stack of its own (a chain may be thousands long).
  const chains = new Map<string, Chain>();
  const chainInto = (node: PipelineNode): Chain => {
    const feeding = (inputs.get(node.id) ?? []).map((id) => chains.get(id)!);
    return feeding.length === 1 ? feeding[0] : { start: { kind: "merge", branches: feeding }, steps: [] };
  };
  const sink = spec.nodes.find((node) => node.kind === "sink")!;
  const stack: { node: PipelineNode; inputsDone: boolean }[] = [{ node: sink, inputsDone: false }];
  while (stack.length > 0) {
    const { node, inputsDone } = stack.pop()!;
    if (!inputsDone) {
      stack.push({ node, inputsDone: true });
      const feeding = inputs.get(node.id) ?? [];
      for (let index = feeding.length - 1; index >= 0; index--) stack.push({ node: nodes.get(feeding[index])!, inputsDone: false });
    } else if (node.kind === "source") {
      chains.set(node.id, { start: { kind: "source", source: node }, steps: [] });
    } else if (node !== sink) {
      // No fan-out: the chain feeding this node feeds nothing else, so it is extended in place.
      const upstream = chainInto(node);
      upstream.steps.push(node);
      chains.set(node.id, upstream);
    }
  }
  return { chain: chainInto(sink), sink, paths };
}

/** Where a branch chain joins: the chain that starts with the merge, and the branch's place in it. */
export interface BranchOf {
  merge: Chain;
  index: number;
}

export interface ChainVisitor<R> {
  /** Before a chain's branches (a branch's name is chosen here, in the order the program reads). */
  enter?(chain: Chain, branchOf: BranchOf | undefined): void;
  /** After them, with what `leave` returned for each of its branches, in edge order. */
  leave(chain: Chain, branchResults: R[], branchOf: BranchOf | undefined): R;
}

/**
 * Walks a chain and the branches of its merges depth first, on a stack of its own: merges may nest
 * a thousand deep, deeper than the call stack goes. Returns what `leave` returned for `root`.
 */
export function walkChains<R>(root: Chain, visitor: ChainVisitor<R>): R {
  interface Frame {
    chain: Chain;
    branchOf: BranchOf | undefined;
    results: R[];
    next: number;
  }
  const open = (chain: Chain, branchOf: BranchOf | undefined): Frame => {
    visitor.enter?.(chain, branchOf);
    return { chain, branchOf, results: [], next: 0 };
  };
  const stack = [open(root, undefined)];
  for (;;) {
    const frame = stack[stack.length - 1];
    const branches = frame.chain.start.kind === "merge" ? frame.chain.start.branches : [];
    if (frame.next < branches.length) {
      const index = frame.next++;
      stack.push(open(branches[index], { merge: frame.chain, index }));
      continue;
    }
    const result = visitor.leave(frame.chain, frame.results, frame.branchOf);
    stack.pop();
    if (stack.length === 0) return result;
    stack[stack.length - 1].results.push(result);
  }
}

/** Every node of a chain in data order: merged branches first (in edge order), then the steps, each route followed by its paths' nodes. */
export function nodesOf(chain: Chain, paths: RoutePaths = new Map()): PipelineNode[] {
  const nodes: PipelineNode[] = [];
  const withPaths = (steps: readonly PipelineNode[]): void => {
    for (const step of steps) {
      nodes.push(step);
      for (const path of paths.get(step.id) ?? []) withPaths(path);
    }
  };
  walkChains<void>(chain, {
    enter: (entered) => void (entered.start.kind === "source" && nodes.push(entered.start.source)),
    leave: (left) => withPaths(left.steps),
  });
  return nodes;
}

/** The node whose output leaves the chain: what a merge branch is called after. */
export function lastNodeOf(chain: Chain): PipelineNode | undefined {
  if (chain.steps.length > 0) return chain.steps[chain.steps.length - 1];
  return chain.start.kind === "source" ? chain.start.source : undefined;
}
