import { describe, expect, it } from "vitest";
import { formatProblem } from "./problems.js";
import { validatePipelineFile } from "./validateFile.js";

/** A small valid file; each malformed case below changes one thing. */
function validFile(): Record<string, any> {
  return {
    format: "pipeline-studio/1",
    nodes: [
      { id: "numbers", kind: "source", op: "range", params: { count: 10 } },
      { id: "wait", kind: "stage", op: "sleep", params: { ms: 1 }, concurrency: 2 },
      { id: "sink", kind: "sink" },
    ],
    edges: [
      { from: "numbers", to: "wait" },
      { from: "wait", to: "sink" },
    ],
    build: { numThreads: 2 },
  };
}

function messagesFor(mutate: (file: Record<string, any>) => unknown): string[] {
  const file = validFile();
  const replaced = mutate(file);
  return validatePipelineFile(replaced === undefined ? file : replaced).problems.map(formatProblem);
}

describe("validatePipelineFile", () => {
  it("accepts a valid file and fills in every default", () => {
    const { spec, problems } = validatePipelineFile(validFile());
    expect(problems).toEqual([]);
    expect(spec!.nodes[1]).toEqual({
      id: "wait",
      kind: "stage",
      op: "sleep",
      params: { ms: 1 },
      concurrency: 2,
      outputOrder: "completion",
      queueSize: 2,
      timeoutMs: null,
      retries: 0,
      maxFailures: null,
      repeat: false,
      consumer: null,
      runOn: null,
      position: { x: 0, y: 0 },
    });
    expect(spec!.build).toEqual({ numThreads: 2, maxFailures: null, remote: null });
  });

  const malformed: [string, (file: Record<string, any>) => unknown, string[]][] = [
    ["not an object", () => [1, 2], ['$: a pipeline file must be a JSON object with "format": "pipeline-studio/1", got an array']],
    // The whole file, when it is not a pipeline file: its kind is shown, never its text.
    [
      "a JSON string",
      () => "ghp_s3cr3tT0ken",
      ['$: a pipeline file must be a JSON object with "format": "pipeline-studio/1", got a string'],
    ],
    ["no format", (f) => void delete f.format, ['format: is required ("pipeline-studio/1"); is this a pipeline file?']],
    [
      "a newer format",
      (f) => void (f.format = "pipeline-studio/7"),
      [
        "format: this file is pipeline-studio/7, newer than this version of Pipeline Studio reads (pipeline-studio/1); update Pipeline Studio to open it",
      ],
    ],
    [
      "a foreign format",
      (f) => void (f.format = "dataflow/1"),
      ['format: must be "pipeline-studio/1", got "dataflow/1"; is this a pipeline file?'],
    ],
    ["concurrency 0", (f) => void (f.nodes[1].concurrency = 0), ["nodes[1].concurrency: must be an integer ≥ 1, got 0"]],
    ["fractional concurrency", (f) => void (f.nodes[1].concurrency = 2.5), ["nodes[1].concurrency: must be an integer ≥ 1, got 2.5"]],
    [
      "a bad output order",
      (f) => void (f.nodes[1].outputOrder = "sorted"),
      ['nodes[1].outputOrder: must be one of "completion", "input", got "sorted"'],
    ],
    [
      "an unknown kind",
      (f) => void (f.nodes[1].kind = "filter"),
      ['nodes[1].kind: must be one of "source", "stage", "route", "aggregate", "disaggregate", "sink", got "filter"'],
    ],
    ["an unknown field", (f) => void (f.nodes[1].concurency = 3), ["nodes[1].concurency: unknown field"]],
    ["a missing edge end", (f) => void delete f.edges[0].to, ["edges[0].to: is required"]],
    ["numThreads as text", (f) => void (f.build.numThreads = "4"), ['build.numThreads: must be an integer ≥ 1, got "4"']],
    [
      "maxFailures 1.5",
      (f) => void (f.build.maxFailures = 1.5),
      ["build.maxFailures: must be an integer ≥ 0 or a fraction between 0 and 1, got 1.5"],
    ],
    [
      "an unknown op",
      (f) => void (f.nodes[1].op = "slep"),
      [`nodes[1].op: unknown op "slep"; did you mean "sleep"? (stage ops: ${stageOps()})`],
    ],
    [
      "a source op on a stage",
      (f) => void (f.nodes[1].op = "range"),
      [`nodes[1].op: "range" is a source op; a stage needs one of ${stageOps()}`],
    ],
    [
      "an unknown param",
      (f) => void (f.nodes[1].params.latency = 5),
      ["nodes[1].params.latency: unknown parameter (known: ms, jitterMs, distribution, seed)"],
    ],
    ["a bad param value", (f) => void (f.nodes[1].params.ms = -1), ["nodes[1].params.ms: must be a number ≥ 0, got -1"]],
    [
      "duplicate ids",
      (f) => void (f.nodes[2].id = "wait"),
      [
        'nodes[2].id: duplicate id "wait" (first used by nodes[1]); ids must be unique',
        'edges[1].to: no node has id "sink"',
        'nodes[1]: "wait" has no output; connect it to the next stage or the sink',
      ],
    ],
    [
      "no source",
      (f) => void ((f.nodes[0].kind = "stage"), (f.nodes[0].op = "sleep"), (f.nodes[0].params = {})),
      [
        "nodes: the pipeline has no source node; add one (e.g. range)",
        'nodes[0]: "numbers" has no input; connect a source or a stage to it',
      ],
    ],
    [
      "no sink",
      (f) => void (f.nodes.pop(), f.edges.pop()),
      [
        "nodes: the pipeline has no sink node; add one at the end",
        'nodes[1]: "wait" has no output; connect it to the next stage or the sink',
      ],
    ],
    [
      "two sinks",
      (f) => void f.nodes.push({ id: "sink2", kind: "sink" }),
      [
        'nodes[3]: a pipeline has exactly one sink; "sink2" is a second one (the first is "sink")',
        'nodes[3]: "sink2" has no input; connect a source or a stage to it',
      ],
    ],
    [
      "a dangling edge",
      (f) => void (f.edges[1].to = "nowhere"),
      [
        'edges[1].to: no node has id "nowhere"',
        'nodes[1]: "wait" has no output; connect it to the next stage or the sink',
        'nodes[2]: "sink" has no input; connect a source or a stage to it',
      ],
    ],
    [
      "fan-out",
      (f) => void f.edges.push({ from: "numbers", to: "sink" }),
      [
        'edges[2]: "numbers" already feeds "wait" (edges[0]); a node feeds at most one other (no fan-out): to send items one way or another, use a route node',
      ],
    ],
    [
      "a cycle",
      (f) => {
        f.nodes.splice(2, 0, { id: "again", kind: "stage", op: "sleep" });
        f.edges = [
          { from: "numbers", to: "wait" },
          { from: "wait", to: "again" },
          { from: "again", to: "wait" },
        ];
      },
      ["edges: cycle: wait → again → wait", 'nodes[3]: "sink" has no input; connect a source or a stage to it'],
    ],
    [
      "an edge into a source",
      (f) => void f.edges.push({ from: "sink", to: "numbers" }),
      ['edges[2].to: "numbers" is a source, which takes no input'],
    ],
    ["an op on the sink", (f) => void (f.nodes[2].op = "sleep"), ['nodes[2].op: a sink takes no op, got "sleep"']],
    [
      "runOn on a built-in op",
      (f) => void (f.nodes[1].runOn = "loop"),
      [
        'nodes[1].runOn: only user code (op "module") can choose "pool" or "loop"; "sleep" runs on the event loop (or "remote", on worker processes)',
      ],
    ],
    [
      "aggregate size 0",
      (f) => void (f.nodes[1] = { id: "wait", kind: "aggregate", params: { size: 0 } }),
      ["nodes[1].params.size: must be an integer ≥ 1, got 0"],
    ],
    ["a queue of 2³¹", (f) => void (f.nodes[1].queueSize = 2147483648), ["nodes[1].queueSize: must be at most 100000, got 2147483648"]],
    ["concurrency 1025", (f) => void (f.nodes[1].concurrency = 1025), ["nodes[1].concurrency: must be at most 1024, got 1025"]],
    ["numThreads 1024", (f) => void (f.build.numThreads = 1024), ["build.numThreads: must be at most 128, got 1024"]],
    ["retries 101", (f) => void (f.nodes[1].retries = 101), ["nodes[1].retries: must be at most 100, got 101"]],
    [
      "a timeout past a timer's reach",
      (f) => void (f.nodes[1].timeoutMs = 2 ** 31),
      ["nodes[1].timeoutMs: must be at most 2147483647 ms (about 24.8 days, the longest a timer waits), got 2147483648"],
    ],
    [
      "a sleep past a timer's reach",
      (f) => void (f.nodes[1].params.ms = 2 ** 31),
      ["nodes[1].params.ms: must be at most 2147483647 ms (about 24.8 days, the longest a timer waits), got 2147483648"],
    ],
    [
      "aggregate size 10⁶ + 1",
      (f) => void (f.nodes[1] = { id: "wait", kind: "aggregate", params: { size: 1_000_001 } }),
      ["nodes[1].params.size: must be at most 1000000, got 1000001"],
    ],
    [
      "a format nested 100,000 levels",
      (f) => void (f.format = nested(100_000)),
      [`format: must be "pipeline-studio/1", got ${"[".repeat(59)}…; is this a pipeline file?`],
    ],
    ["params as a list", (f) => void (f.nodes[1].params = [1]), ["nodes[1].params: must be an object of named parameters, got [1]"]],
    [
      "a param nested 6000 levels",
      (f) => void (f.nodes[1].params.extra = nested(6000)),
      ["nodes[1].params.extra: nested more than 1000 levels (arrays and objects within each other); flatten it"],
    ],
    [
      "a bad value nested 6000 levels",
      (f) => void (f.nodes[1].params.ms = nested(6000)),
      ["nodes[1].params.ms: nested more than 1000 levels (arrays and objects within each other); flatten it"],
    ],
    [
      "build nested 6000 levels",
      (f) => void (f.build = nested(6000)),
      [
        "build[0]: nested more than 1000 levels (arrays and objects within each other); flatten it",
        "build: must be an object, got an array",
      ],
    ],
    [
      "an unbounded queue before a stage",
      (f) => void (f.nodes[1].queueSize = 0),
      ["nodes[1].queueSize: must be an integer ≥ 1 (only the sink's buffer may be 0, unbounded), got 0"],
    ],
  ];

  it.each(malformed)("%s", (_name, mutate, expected) => {
    expect(messagesFor(mutate)).toEqual(expected);
  });

  it("lists schema, graph, op and param problems together", () => {
    const messages = messagesFor((f) => {
      f.nodes[1].concurrency = 0;
      f.nodes[1].op = "slep";
      f.nodes[0].params.count = -1;
      f.edges[1].to = "nowhere";
    });
    expect(messages).toEqual([
      "nodes[1].concurrency: must be an integer ≥ 1, got 0",
      'edges[1].to: no node has id "nowhere"',
      'nodes[1]: "wait" has no output; connect it to the next stage or the sink',
      'nodes[2]: "sink" has no input; connect a source or a stage to it',
      "nodes[0].params.count: must be an integer ≥ 0, got -1",
      `nodes[1].op: unknown op "slep"; did you mean "sleep"? (stage ops: ${stageOps()})`,
    ]);
  });

  it("judges what it can read: the graph needs every id and kind, a node's op its kind, op and params", () => {
    const messages = messagesFor((f) => {
      f.nodes[1].kind = "filter";
      f.nodes[0].params.count = -1;
    });
    expect(messages).toEqual([
      'nodes[1].kind: must be one of "source", "stage", "route", "aggregate", "disaggregate", "sink", got "filter"',
      "nodes[0].params.count: must be an integer ≥ 0, got -1",
    ]);
  });

  it("names the node of a schema problem, for the canvas's markers", () => {
    const file = validFile();
    file.nodes[1].concurrency = 0;
    expect(validatePipelineFile(file).problems).toEqual([
      { path: "nodes[1].concurrency", message: "must be an integer ≥ 1, got 0", nodeId: "wait" },
    ]);
  });

  it("takes values nested up to 1000 levels (the file's own object is the first)", () => {
    // file, nodes, the node, params: 4 levels; the value 996 more.
    const atLimit = messagesFor((f) => void (f.nodes[1].params.ms = nested(996)));
    expect(atLimit).toEqual([expect.stringMatching(/^nodes\[1\]\.params\.ms: must be a number ≥ 0, got \[\[\[\[/)]);
    expect(messagesFor((f) => void (f.nodes[1].params.ms = nested(997)))[0]).toMatch(
      /^nodes\[1\]\.params\.ms: nested more than 1000 levels/,
    );
  });

  it("leaves the value it was given as it was when it takes a deep part out", () => {
    const file = validFile();
    const deep = nested(2000);
    file.nodes[1].params.extra = deep;
    validatePipelineFile(file);
    expect(file.nodes[1].params.extra).toBe(deep);
  });

  it("cuts huge ids and op names short in its messages", () => {
    const huge = "x".repeat(100_000);
    const messages = messagesFor((f) => {
      f.edges[1].to = huge;
      f.nodes[1].op = huge;
    });
    expect(messages).toContain(`edges[1].to: no node has id "${"x".repeat(58)}…`);
    expect(messages.every((message) => message.length < 300)).toBe(true);
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])("reports a %s key in params as an unknown parameter", (key) => {
    const file = JSON.parse(JSON.stringify(validFile()).replace('"params":{"ms":1}', `"params":{"ms":1,"${key}":{"ms":5}}`));
    expect(validatePipelineFile(file).problems.map(formatProblem)).toEqual([
      `nodes[1].params.${key}: unknown parameter (known: ms, jitterMs, distribution, seed)`,
    ]);
    expect(({} as Record<string, unknown>).ms).toBeUndefined();
  });

  it("reports prototype keys elsewhere in the file as unknown fields, and keeps them out of every prototype", () => {
    const text = JSON.stringify(validFile())
      .replace('"id":"wait"', '"__proto__":{"concurrency":9},"id":"wait"')
      .replace('"numThreads":2', '"constructor":1,"numThreads":2');
    const { spec, problems } = validatePipelineFile(JSON.parse(text));
    expect(spec).toBeUndefined();
    expect(problems.map(formatProblem)).toEqual(["nodes[1].__proto__: unknown field", "build.constructor: unknown field"]);
    expect(({} as Record<string, unknown>).concurrency).toBeUndefined();
  });

  it("takes the largest sizes, and 0 (unbounded) for the sink's buffer", () => {
    const file = validFile();
    Object.assign(file.nodes[1], {
      concurrency: 1024,
      queueSize: 100_000,
      retries: 100,
      timeoutMs: 2 ** 31 - 1,
      params: { ms: 2 ** 31 - 1 },
    });
    file.nodes[2].queueSize = 0;
    file.build.numThreads = 128;
    expect(validatePipelineFile(file).problems).toEqual([]);
  });

  it("has at least 15 malformed cases, each with its own message", () => {
    expect(malformed.length).toBeGreaterThanOrEqual(15);
    expect(new Set(malformed.map(([, , messages]) => messages[0])).size).toBe(malformed.length);
  });
});

/** Arrays within arrays, `levels` deep, built without recursion. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
}

function stageOps(): string {
  return messagesFor((f) => void (f.nodes[1].op = "nope"))[0].replace(/^.*stage ops: (.*)\)$/, "$1");
}
