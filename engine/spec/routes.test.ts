import { describe, expect, it } from "vitest";
import { collect } from "../testing/helpers.js";
import { compilePipeline } from "./compile.js";
import { parsePipelineFileOrThrow } from "./parse.js";
import { formatProblem } from "./problems.js";
import { validatePipelineFile } from "./validateFile.js";

/** numbers → pick (route by x mod 2) → path 0: double, path 1: shift → join → sink. */
function routedFile(): Record<string, any> {
  return {
    format: "pipeline-studio/1",
    nodes: [
      { id: "numbers", kind: "source", op: "range", params: { count: 10 } },
      { id: "pick", kind: "route", op: "routeBy", params: { modulo: 2 } },
      { id: "double", kind: "stage", op: "sleep", params: { ms: 0 } },
      { id: "shift", kind: "stage", op: "sleep", params: { ms: 0 } },
      { id: "join", kind: "stage", op: "sleep", params: { ms: 0 } },
      { id: "sink", kind: "sink" },
    ],
    edges: [
      { from: "numbers", to: "pick" },
      { from: "pick", to: "double", path: 0 },
      { from: "pick", to: "shift", path: 1 },
      { from: "double", to: "join" },
      { from: "shift", to: "join" },
      { from: "join", to: "sink" },
    ],
  };
}

function problemsOf(mutate: (file: Record<string, any>) => void): string[] {
  const file = routedFile();
  mutate(file);
  return validatePipelineFile(file).problems.map(formatProblem);
}

async function runFile(file: Record<string, any>) {
  const pipeline = compilePipeline(parsePipelineFileOrThrow(file), { baseDir: "." }).builder.build({ numThreads: 1 });
  return { items: await collect(pipeline), stats: pipeline.stats() };
}

describe("route nodes in a pipeline file", () => {
  it("validate, compile to pathVariants and run: items split by path and meet again", async () => {
    expect(validatePipelineFile(routedFile()).problems).toEqual([]);
    const { items, stats } = await runFile(routedFile());
    expect((items as number[]).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stats.stages.map((stage) => [stage.name, stage.kind, stage.path?.index ?? null])).toEqual([
      ["numbers", "source", null],
      ["pick", "route", null],
      ["double", "pipe", 0],
      ["shift", "pipe", 1],
      ["join", "pipe", null],
    ]);
    expect(stats.stages[1].routed).toEqual([5, 5]);
    expect(stats.queues.map((queue) => queue.name)).toEqual([
      "numbers→pick",
      "pick→double",
      "pick→shift",
      "double+shift→join",
      "join→sink",
    ]);
  });

  it("an empty path (the route's edge straight to where the paths meet) passes items through; the sink may be that node", async () => {
    const file = routedFile();
    file.edges = [
      { from: "numbers", to: "pick" },
      { from: "pick", to: "double", path: 0 },
      { from: "pick", to: "sink", path: 1 },
      { from: "double", to: "sink" },
    ];
    file.nodes = file.nodes.filter((node: { id: string }) => node.id !== "shift" && node.id !== "join");
    expect(validatePipelineFile(file).problems).toEqual([]);
    const { items, stats } = await runFile(file);
    expect(items).toHaveLength(10);
    expect(stats.queues.map((queue) => queue.name)).toEqual(["numbers→pick", "pick→double", "double+pick→sink"]);
  });

  it("a route nested on a path, and stages between it and where the outer paths meet", async () => {
    const file = routedFile();
    file.nodes.push(
      { id: "inner", kind: "route", op: "routeBy", params: { field: null, values: [[0, 4, 8]], otherwise: 1 } },
      { id: "a", kind: "stage", op: "sleep", params: { ms: 0 } },
      { id: "b", kind: "stage", op: "sleep", params: { ms: 0 } },
      { id: "innerJoin", kind: "stage", op: "sleep", params: { ms: 0 } },
    );
    file.edges = file.edges.filter((edge: { from: string }) => edge.from !== "double");
    file.edges.push(
      { from: "double", to: "inner" },
      { from: "inner", to: "a", path: 0 },
      { from: "inner", to: "b", path: 1 },
      { from: "a", to: "innerJoin" },
      { from: "b", to: "innerJoin" },
      { from: "innerJoin", to: "join" },
    );
    expect(validatePipelineFile(file).problems).toEqual([]);
    const { items, stats } = await runFile(file);
    expect(items).toHaveLength(10);
    expect(stats.stages.filter((stage) => stage.kind === "route").map((stage) => [stage.name, stage.routed])).toEqual([
      ["pick", [5, 5]],
      ["inner", [3, 2]],
    ]);
    expect(stats.stages.find((stage) => stage.name === "innerJoin")!.path).toEqual({ route: "pick", index: 0 });
    expect(stats.stages.find((stage) => stage.name === "a")!.path).toEqual({ route: "inner", index: 0 });
  });

  it.each<[string, (file: Record<string, any>) => void, string[]]>([
    [
      "an edge out of a route without its path",
      (f) => delete f.edges[2].path,
      [
        'edges[2].path: is required on an edge out of route "pick": the index of the path it starts (0, 1, …)',
        'nodes[1]: route "pick" has one path; a route sends items down one of two or more paths (connect another)',
        'nodes[3]: "shift" has no input; connect a source or a stage to it',
      ],
    ],
    [
      "a path index twice",
      (f) => (f.edges[2].path = 0),
      [
        'edges[2].path: path 0 of route "pick" already starts at edges[1]; each path index once',
        'nodes[1]: route "pick" has one path; a route sends items down one of two or more paths (connect another)',
        'nodes[3]: "shift" has no input; connect a source or a stage to it',
      ],
    ],
    [
      "a path index missing",
      (f) => (f.edges[2].path = 2),
      ['nodes[1]: route "pick" has paths 0, 2: path 1 is missing (paths are numbered 0 to 1)'],
    ],
    [
      "a route with one path",
      (f) => {
        f.edges.splice(2, 1);
        f.edges.splice(3, 1);
        f.nodes.splice(3, 1);
      },
      ['nodes[1]: route "pick" has one path; a route sends items down one of two or more paths (connect another)'],
    ],
    [
      "a path on an edge that is not a route's",
      (f) => (f.edges[0].path = 0),
      [
        'edges[0].path: only the edges out of a route node have a path; "numbers" is a source',
        'nodes[0]: "numbers" has no output; connect it to the next stage or the sink',
        'nodes[1]: "pick" has no input; connect a source or a stage to it',
      ],
    ],
    [
      "paths that meet before all of them do",
      (f) => {
        f.nodes.push({ id: "third", kind: "stage", op: "sleep", params: { ms: 0 } });
        f.nodes[1].params = { modulo: 3 };
        f.edges.push({ from: "pick", to: "third", path: 2 });
        f.edges[3].to = "shift";
        f.edges.push({ from: "third", to: "join" });
      },
      [
        'nodes[1]: route "pick": paths 0 and 1 meet at "shift" before all its paths meet at "join"; a route\'s paths all meet in one node (route again there, or give each path its own stages)',
      ],
    ],
    [
      "a node on a path fed from elsewhere too",
      (f) => {
        f.nodes.push({ id: "more", kind: "source", op: "range", params: {} });
        f.edges.push({ from: "more", to: "shift" });
      },
      [
        'nodes[1]: route "pick": "shift" is on path 1 and also takes input from "more"; a path takes input only from the route (merge after the paths meet)',
      ],
    ],
    [
      "where the paths meet fed from elsewhere too",
      (f) => {
        f.nodes.push({ id: "more", kind: "source", op: "range", params: {} });
        f.edges.push({ from: "more", to: "join" });
      },
      [
        'nodes[1]: route "pick": its paths meet at "join", which also takes input from "more"; the node where a route\'s paths meet takes input only from them (add a stage after it to merge more)',
      ],
    ],
    [
      "a route's knobs that are not a router's",
      (f) => Object.assign(f.nodes[1], { concurrency: 2, outputOrder: "input", retries: 1, timeoutMs: 5 }),
      [
        "nodes[1].concurrency: must be 1: a route's router takes one item at a time, as SPDL's, got 2",
        'nodes[1].outputOrder: is not offered across paths (as in SPDL, the paths meet again in arrival order); set "input" on a stage within a path, got "input"',
        "nodes[1].timeoutMs: must be null: a route's router has no timeout, got 5",
        "nodes[1].retries: must be 0: a route's router is not retried, got 1",
      ],
    ],
    [
      "a route whose op picks no path, and a router in a stage node",
      (f) => {
        f.nodes[1].op = "sleep";
        f.nodes[2].op = "routeBy";
        f.nodes[2].params = {};
      },
      [
        'nodes[1].op: "sleep" does not pick a path; a route needs a router op (routeBy, module: user code returning a path index)',
        'nodes[2].op: "routeBy" picks a path for each item; use it in a route node, not a stage',
      ],
    ],
    [
      "routeBy sending items to more paths than the route has",
      (f) => (f.nodes[1].params = { field: "kind", values: ["a", "b", "c"] }),
      ['nodes[1].params: routeBy sends items down 3 paths (0 to 2), but route "pick" has 2; connect more paths or change its params'],
    ],
  ])("refuses %s", (_case, mutate, expected) => {
    expect(problemsOf(mutate)).toEqual(expected);
  });

  it("files without routes are unchanged: their edges carry no path", () => {
    const spec = parsePipelineFileOrThrow({
      format: "pipeline-studio/1",
      nodes: [
        { id: "n", kind: "source", op: "range" },
        { id: "s", kind: "sink" },
      ],
      edges: [{ from: "n", to: "s" }],
    });
    expect(spec.edges).toEqual([{ from: "n", to: "s" }]);
  });
});
