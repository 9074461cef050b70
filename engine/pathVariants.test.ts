import { describe, expect, it } from "vitest";
import { ConfigError, merge, PipelineBuilder, PipelineError, RouteIndexError, type Pipeline } from "./index.js";
import { collect, outcome, range } from "./testing/helpers.js";

/**
 * pathVariants mirrors SPDL's path_variants (tests/pipeline/path_variants_test.py): each test
 * names the SPDL test it mirrors. SPDL's "slow source" (a sleep between items, so each item is
 * through before the next one enters) is a lockstep source here: the next item enters only once
 * the consumer has read an output.
 */

/** A source whose next item waits until the consumer read one; `read()` lets it go on. */
function lockstep<T>(items: readonly T[]): { source: AsyncIterable<T>; read: () => void } {
  let release: (() => void) | undefined;
  async function* source(): AsyncGenerator<T> {
    for (const item of items) {
      const turn = new Promise<void>((resolve) => (release = resolve));
      yield item;
      await turn;
    }
  }
  return { source: source(), read: () => release?.() };
}

/** Runs a pipeline fed by a lockstep source, reading each output before the next item enters. */
async function inLockstep<T>(items: readonly T[], build: (builder: PipelineBuilder<T>) => Pipeline<unknown>): Promise<unknown[]> {
  const { source, read } = lockstep(items);
  const delivered: unknown[] = [];
  for await (const item of build(new PipelineBuilder().addSource(source))) {
    delivered.push(item);
    read();
  }
  return delivered;
}

/** Gives the event loop turns until `done()` holds (no wall clock: a bounded number of turns). */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100_000 && !done(); turn++) await new Promise((resolve) => setImmediate(resolve));
  expect(done()).toBe(true);
}

describe("pathVariants: routing (SPDL's PathVariantsBasicTest)", () => {
  it("test_basic_routing: evens to path 0 (double), odds to path 1 (add 100), meeting in arrival order", async () => {
    let pipeline: Pipeline<unknown> | undefined;
    const delivered = await inLockstep(range(6), (builder) => {
      pipeline = builder
        .pathVariants(
          (x) => x % 2,
          [(branch) => branch.pipe((x) => x * 2, { name: "double" }), (branch) => branch.pipe((x) => x + 100, { name: "add" })],
        )
        .addSink(10)
        .build();
      return pipeline;
    });
    expect(delivered).toEqual([0, 101, 4, 103, 8, 105]);
    const stats = pipeline!.stats();
    expect(stats.stages.map((stage) => stage.name)).toEqual(["source", "route", "double", "add"]);
    const route = stats.stages.find((stage) => stage.name === "route")!;
    expect(route).toMatchObject({ kind: "route", itemsIn: 6, itemsOut: 6, routed: [3, 3], failures: 0 });
    expect(stats.stages.find((stage) => stage.name === "double")).toMatchObject({ itemsIn: 3, path: { route: "route", index: 0 } });
    expect(stats.stages.find((stage) => stage.name === "add")).toMatchObject({ itemsIn: 3, path: { route: "route", index: 1 } });
    expect(stats.queues.map((queue) => queue.name)).toEqual(["source→route", "route→double", "route→add", "double+add→sink"]);
  });

  it("test_async_router: an async router", async () => {
    const delivered = await inLockstep(range(6), (builder) =>
      builder
        .pathVariants(async (x) => x % 2, [(branch) => branch.pipe((x) => x * 2), (branch) => branch.pipe((x) => x + 100)])
        .addSink(10)
        .build(),
    );
    expect(delivered).toEqual([0, 101, 4, 103, 8, 105]);
  });

  it("test_async_callable_router: an object's async method, bound, as the router", async () => {
    const router = {
      paths: 2,
      async route(x: number): Promise<number> {
        return x % this.paths;
      },
    };
    const delivered = await inLockstep(range(6), (builder) =>
      builder
        .pathVariants(router.route.bind(router), [(branch) => branch.pipe((x) => x * 2), (branch) => branch.pipe((x) => x + 100)])
        .addSink(10)
        .build(),
    );
    expect(delivered).toEqual([0, 101, 4, 103, 8, 105]);
  });

  it("test_all_to_one_path: a router that always says 0", async () => {
    const pipeline = new PipelineBuilder()
      .addSource([1, 2, 3])
      .pathVariants(() => 0, [(branch) => branch.pipe((x) => x * 10), (branch) => branch.pipe((x) => x + 1000)])
      .addSink(10)
      .build();
    expect(await collect(pipeline)).toEqual([10, 20, 30]);
    expect(pipeline.stats().stages.find((stage) => stage.kind === "route")!.routed).toEqual([3, 0]);
  });

  it("test_multiple_paths_different_processing: three paths", async () => {
    const delivered = await inLockstep(range(9), (builder) =>
      builder
        .pathVariants(
          (x) => x % 3,
          [(branch) => branch.pipe((x) => x * 2), (branch) => branch.pipe((x) => x + 10), (branch) => branch.pipe((x) => -x)],
        )
        .addSink(20)
        .build(),
    );
    expect(delivered).toEqual([0, 11, -2, 6, 14, -5, 12, 17, -8]);
  });

  it("test_identity_path_passthrough: an identity path, and an empty path, pass items through", async () => {
    const withIdentity = await inLockstep([1, 2, 3, 4], (builder) =>
      builder
        .pathVariants((x) => (x <= 2 ? 0 : 1), [(branch) => branch.pipe((x) => x * 100), (branch) => branch.pipe((x) => x)])
        .addSink(10)
        .build(),
    );
    expect(withIdentity).toEqual([100, 200, 3, 4]);
    // SPDL refuses an empty path; here it is the pass-through path, with no stage of its own.
    let pipeline: Pipeline<unknown> | undefined;
    const withEmpty = await inLockstep([1, 2, 3, 4], (builder) => {
      pipeline = builder
        .pathVariants((x) => (x <= 2 ? 0 : 1), [(branch) => branch.pipe((x) => x * 100, { name: "scale" }), (branch) => branch])
        .addSink(10)
        .build();
      return pipeline;
    });
    expect(withEmpty).toEqual([100, 200, 3, 4]);
    expect(pipeline!.stats().queues.map((queue) => queue.name)).toEqual(["source→route", "route→scale", "scale+route→sink"]);
  });

  it("test_paths_with_different_stage_counts", async () => {
    const delivered = await inLockstep(range(6), (builder) =>
      builder
        .pathVariants(
          (x) => x % 2,
          [(branch) => branch.pipe((x) => x * 10), (branch) => branch.pipe((x): [number, number] => [x, x + 100]).pipe((pair) => pair[1])],
        )
        .addSink(10)
        .build(),
    );
    expect(delivered).toEqual([0, 101, 20, 103, 40, 105]);
  });

  it("test_path_with_aggregate: a path that batches", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(6))
      .pathVariants((x) => x % 2, [(branch) => branch.aggregate(3), (branch) => branch.pipe((x) => x + 100)])
      .addSink(10)
      .build();
    const delivered = await collect(pipeline);
    // Each path keeps its order; across paths, arrival order (SPDL's slow source fixes one interleaving).
    expect(delivered.filter((item) => typeof item === "number")).toEqual([101, 103, 105]);
    expect(delivered.filter(Array.isArray)).toEqual([[0, 2, 4]]);
  });

  it("test_path_with_aggregate_and_disaggregate", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(6))
      .pathVariants(() => 0, [(branch) => branch.aggregate(2).disaggregate()])
      .addSink(10)
      .build();
    expect(await collect(pipeline)).toEqual(range(6));
  });

  it("test_nested_path_variants: a route within a path", async () => {
    const delivered = await inLockstep([1, 2, 51, 52], (builder) =>
      builder
        .pathVariants(
          () => 0,
          [
            (branch) =>
              branch.pathVariants(
                (x) => (x < 50 ? 0 : 1),
                [(inner) => inner.pipe((x) => x + 1000), (inner) => inner.pipe((x) => x + 2000)],
                {
                  name: "inner",
                },
              ),
          ],
          { name: "outer" },
        )
        .addSink(10)
        .build(),
    );
    expect(delivered).toEqual([1001, 1002, 2051, 2052]);
  });

  it("test_immediately_nested_path_variants: a route as the only stage of each path", async () => {
    let pipeline: Pipeline<unknown> | undefined;
    const delivered = await inLockstep(range(12), (builder) => {
      pipeline = builder
        .pathVariants(
          (x) => x % 2,
          [
            (evens) => evens.pathVariants((x) => (x < 6 ? 0 : 1), [(b) => b.pipe((x) => x * 10), (b) => b.pipe((x) => x * 100)]),
            (odds) => odds.pathVariants((x) => (x < 6 ? 0 : 1), [(b) => b.pipe((x) => -x), (b) => b.pipe((x) => -(x * 10))]),
          ],
        )
        .addSink(10)
        .build();
      return pipeline;
    });
    expect(delivered).toEqual([0, -1, 20, -3, 40, -5, 600, -70, 800, -90, 1000, -110]);
    const routes = pipeline!.stats().stages.filter((stage) => stage.kind === "route");
    expect(routes.map((stage) => [stage.name, stage.routed, stage.path?.index])).toEqual([
      ["route", [6, 6], undefined],
      ["route-2", [3, 3], 0],
      ["route-3", [3, 3], 1],
    ]);
  });

  it("test_path_variants_before_and_after_pipes", async () => {
    const delivered = await inLockstep([1, 2, 3, 4], (builder) =>
      builder
        .pipe((x) => x * 10)
        .pathVariants((x) => (x < 25 ? 0 : 1), [(branch) => branch.pipe((x) => x + 1), (branch) => branch.pipe((x) => x + 2)])
        .pipe((x) => x * -1)
        .addSink(10)
        .build(),
    );
    expect(delivered).toEqual([-11, -21, -32, -42]);
  });

  it("test_path_variants_with_merge_source: merged sources, then a route", async () => {
    const pipeline = merge(new PipelineBuilder().addSource([1, 2]), new PipelineBuilder().addSource([3, 4]))
      .pathVariants((x) => x % 2, [(branch) => branch.pipe((x) => x * 100), (branch) => branch.pipe((x) => x * -1)])
      .addSink(10)
      .build();
    expect((await collect(pipeline)).sort((a, b) => a - b)).toEqual([-3, -1, 200, 400]);
  });

  it("test_path_variants_with_async_pipe", async () => {
    const pipeline = new PipelineBuilder()
      .addSource([1, 2, 3])
      .pathVariants(() => 0, [(branch) => branch.pipe(async (x) => x * 2)])
      .addSink(10)
      .build();
    expect(await collect(pipeline)).toEqual([2, 4, 6]);
  });

  it("test_path_variants_with_concurrent_pipe", async () => {
    const delivered = await inLockstep(range(10), (builder) =>
      builder
        .pathVariants(() => 0, [(branch) => branch.pipe(async (x) => x + 1, { concurrency: 3 })])
        .addSink(20)
        .build(),
    );
    expect(delivered).toEqual(range(10).map((x) => x + 1));
  });
});

describe("pathVariants: what it refuses (SPDL's PathVariantsValidationTest)", () => {
  const source = () => new PipelineBuilder().addSource([1]);

  it("test_validation_empty_paths: no paths", () => {
    expect(() => source().pathVariants(() => 0, [])).toThrow(
      new ConfigError("pathVariants('route'): paths must be a non-empty array of functions (branch) => branch.pipe(…), got [] (an array)"),
    );
  });

  it("test_validation_non_callable_router: a router that is not a function", () => {
    expect(() => source().pathVariants(42 as never, [(branch) => branch])).toThrow(
      new ConfigError(
        "pathVariants: router must be a function returning a path index, a poolTask(...) or a remoteTask(...), got 42 (a number)",
      ),
    );
  });

  it("test_validation_source_in_path / test_validation_source_in_second_path: a source within a path", () => {
    expect(() => source().pathVariants(() => 0, [(branch) => branch, (branch) => branch.addSource([3, 4]) as never])).toThrow(
      new ConfigError("addSource: a path of pathVariants has no source; the router feeds it"),
    );
  });

  it("test_validation_sink_in_path / test_validation_sink_in_middle_of_path: a sink within a path", () => {
    expect(() => source().pathVariants(() => 0, [(branch) => branch.pipe((x) => x).addSink(10)])).toThrow(
      new ConfigError("addSink: a path of pathVariants ends where the paths meet; call addSink after pathVariants"),
    );
  });

  it("a path that does not return its branch, and options it does not take", () => {
    expect(() => source().pathVariants(() => 0, [(() => undefined) as never])).toThrow(
      "pathVariants('route'): path 0 must return the branch it was given, continued: (branch) => branch.pipe(…); got undefined",
    );
    expect(() => source().pathVariants(() => 0, [(branch) => branch], { outputOrder: "input" } as never)).toThrow(
      'pathVariants: outputOrder is not offered across paths (as in SPDL, the paths meet again in arrival order); set outputOrder: "input" on a stage within a path',
    );
    expect(() => source().pathVariants(() => 0, [(branch) => branch], { concurrency: 2 } as never)).toThrow(
      "pathVariants: unknown option 'concurrency' (known: name, queueSize, maxFailures)",
    );
    expect(() => source().pathVariants(() => 0, [(branch) => branch], { queueSize: 0 })).toThrow(
      "pathVariants('route'): queueSize must be an integer ≥ 1, got 0",
    );
  });

  it("names stages on paths uniquely, route first, then its paths in order", () => {
    const work = async (x: number) => x;
    const pipeline = source()
      .pipe(work)
      .pathVariants(() => 0, [(branch) => branch.pipe(work), (branch) => branch.pipe(work)])
      .pipe(work)
      .addSink()
      .build();
    expect(pipeline.stageNames).toEqual(["source", "work", "route", "work-2", "work-3", "work-4"]);
  });
});

describe("pathVariants: failures (SPDL's PathVariantsErrorHandlingTest)", () => {
  const twoPaths = [
    (branch: PipelineBuilder<number>) => branch.pipe((x: number) => x),
    (branch: PipelineBuilder<number>) => branch.pipe((x: number) => x),
  ];

  it.each([
    [
      "test_router_returns_negative_index",
      -1,
      "Route 'route' returned -1, but it has 2 paths: the router must return an integer from 0 to 1",
    ],
    [
      "test_router_returns_index_equal_to_num_paths",
      2,
      "Route 'route' returned 2, but it has 2 paths: the router must return an integer from 0 to 1",
    ],
    [
      "test_router_returns_index_greater_than_num_paths",
      7,
      "Route 'route' returned 7, but it has 2 paths: the router must return an integer from 0 to 1",
    ],
    [
      "(a router returning no number)",
      "0",
      "Route 'route' returned \"0\" (a string), but it has 2 paths: the router must return an integer from 0 to 1",
    ],
  ])("%s: with maxFailures 0 the pipeline fails at the route", async (_spdlTest, index, message) => {
    const { delivered, error } = await outcome(
      new PipelineBuilder()
        .addSource([1, 2, 3])
        .pathVariants(() => index as number, twoPaths)
        .addSink(10)
        .build({ maxFailures: 0 }),
    );
    expect(delivered).toEqual([]);
    expect(error).toBeInstanceOf(PipelineError);
    expect(error!.stage).toBe("route");
    expect(error!.causes[0].error).toBeInstanceOf(RouteIndexError);
    expect(error!.causes[0].error.message).toBe(message);
  });

  it("an index outside the paths fails that item only: without a limit the others go on (SPDL fails the pipeline)", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(6))
      .pathVariants((x) => (x === 3 ? 5 : x % 2), twoPaths)
      .addSink(10)
      .build();
    expect((await collect(pipeline)).sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5]);
    expect(pipeline.failures()).toMatchObject([{ stage: "route", itemPreview: "3", error: { name: "RouteIndexError" } }]);
    expect(pipeline.stats().stages.find((stage) => stage.name === "route")).toMatchObject({ failures: 1, routed: [3, 2] });
  });

  it("test_router_raises_exception: a router that throws fails the item, counted against the budget", async () => {
    const badRouter = (x: number): number => {
      if (x === 2) throw new RangeError("router error");
      return 0;
    };
    const lenient = new PipelineBuilder().addSource([1, 2, 3]).pathVariants(badRouter, twoPaths).addSink(10).build();
    expect(await collect(lenient)).toEqual([1, 3]);
    expect(lenient.failures()).toMatchObject([{ stage: "route", error: { name: "RangeError", message: "router error" } }]);

    const strict = new PipelineBuilder()
      .addSource([1, 2, 3])
      .pathVariants(badRouter, twoPaths, { name: "pick", maxFailures: 0 })
      .addSink(10)
      .build();
    const { error } = await outcome(strict);
    expect(error).toMatchObject({ name: "PipelineError", stage: "pick", scope: "stage" });
    expect(error!.message).toContain("RangeError: router error");
  });

  it("test_one_path_fails_other_continues", async () => {
    const failOnOdd = (x: number): number => {
      if (x % 2 === 1) throw new Error(`odd item ${x}`);
      return x * 10;
    };
    const pipeline = new PipelineBuilder()
      .addSource(range(6))
      .pathVariants((x) => x % 2, [(branch) => branch.pipe((x) => x * 10), (branch) => branch.pipe(failOnOdd)])
      .addSink(10)
      .build();
    expect(await collect(pipeline)).toEqual([0, 20, 40]);
    expect(pipeline.failures().map((failure) => failure.stage)).toEqual(["failOnOdd", "failOnOdd", "failOnOdd"]);
  });

  const boom = (): number => {
    throw new Error("boom");
  };

  it.each([
    [
      "test_one_path_fails_with_max_failures",
      range(4),
      (x: number) => x % 2,
      [(b: PipelineBuilder<number>) => b.pipe((x: number) => x * 10), (b: PipelineBuilder<number>) => b.pipe(boom, { maxFailures: 0 })],
    ],
    [
      "test_all_paths_fail",
      [1, 2],
      (x: number) => x % 2,
      [(b: PipelineBuilder<number>) => b.pipe(boom, { maxFailures: 0 }), (b: PipelineBuilder<number>) => b.pipe(boom, { maxFailures: 0 })],
    ],
    [
      "test_path_failure_cancels_router",
      range(100),
      (x: number) => x % 2,
      [
        (b: PipelineBuilder<number>) => b.pipe((x: number) => x, { maxFailures: 0 }),
        (b: PipelineBuilder<number>) => b.pipe(boom, { maxFailures: 0 }),
      ],
    ],
    [
      "test_path_failure_cancels_router_all_to_failing_path",
      range(100),
      () => 1,
      [(b: PipelineBuilder<number>) => b.pipe((x: number) => x), (b: PipelineBuilder<number>) => b.pipe(boom, { maxFailures: 0 })],
    ],
  ])("%s: the pipeline fails at the path's stage, nothing hangs", async (_spdlTest, items, router, paths) => {
    const pipeline = new PipelineBuilder().addSource(items).pathVariants(router, paths).addSink(10).build();
    const { error } = await outcome(pipeline);
    // Two paths of boom are "boom" and "boom-2": whichever failed first.
    expect(error).toMatchObject({ name: "PipelineError", stage: expect.stringMatching(/^boom/), scope: "stage" });
    // Every stage let go: the router and the other path were cancelled, not left waiting.
    await pipeline.stop();
    expect(pipeline.stats().stages.every((stage) => stage.state !== "running")).toBe(true);
  });

  it("test_empty_source_with_path_variants", async () => {
    const pipeline = new PipelineBuilder()
      .addSource([] as number[])
      .pathVariants(() => 0, [(branch) => branch.pipe((x) => x * 2)])
      .addSink(10)
      .build();
    expect(await collect(pipeline)).toEqual([]);
  });
});

describe("pathVariants: back pressure", () => {
  it("a full path holds the router, and through it the source; the other path's queue stays empty", async () => {
    const held: (() => void)[] = [];
    const slow = (x: number) => new Promise<number>((resolve) => held.push(() => resolve(x)));
    let pulled = 0;
    function* counted(): Generator<number> {
      for (let item = 0; item < 50; item++) {
        pulled++;
        yield item;
      }
    }
    const pipeline = new PipelineBuilder()
      .addSource(counted())
      .pathVariants(() => 1, [(branch) => branch.pipe((x) => x, { name: "fast" }), (branch) => branch.pipe(slow, { name: "slow" })])
      .addSink(10)
      .build();
    pipeline.start();
    // slow holds 1 call; its queue 2; the router 1 item waiting to put; the router's queue 2; the source 1 in hand.
    await until(() => held.length === 1 && pipeline.stats().stages.find((stage) => stage.name === "source")!.itemsOut >= 5);
    for (let turn = 0; turn < 100; turn++) await new Promise((resolve) => setImmediate(resolve));
    const stats = pipeline.stats();
    expect(pulled).toBeLessThanOrEqual(7);
    expect(stats.queues.find((queue) => queue.name === "route→slow")).toMatchObject({ depth: 2, capacity: 2 });
    expect(stats.queues.find((queue) => queue.name === "route→slow")!.blockedMs).toBeGreaterThan(0);
    expect(stats.queues.find((queue) => queue.name === "route→fast")!.puts).toBe(0);
    // Let everything through: nothing was lost.
    const reading = collect(pipeline);
    await until(() => {
      while (held.length > 0) held.shift()!();
      return pipeline.state !== "running";
    });
    expect((await reading).sort((a, b) => a - b)).toEqual(range(50));
  });

  it("stop() while the router waits on a full path resolves and lets every stage go", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(100))
      .pathVariants(() => 0, [(branch) => branch.pipe(() => new Promise<number>(() => undefined), { name: "stuck" })])
      .addSink()
      .build();
    pipeline.start();
    await until(() => pipeline.stats().queues.find((queue) => queue.name === "route→stuck")!.depth === 2);
    await pipeline.stop();
    expect(pipeline.state).toBe("stopped");
    expect(pipeline.stats().stages.find((stage) => stage.name === "route")!.state).toBe("cancelled");
  });
});
