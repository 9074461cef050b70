import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { merge, PipelineBuilder, PipelineError } from "./index.js";
import { compilePipeline, loadPipelineFile } from "./spec/index.js";
import { outcome, range } from "./testing/helpers.js";

/**
 * SPDL's behaviours, each row mirroring a test of SPDL's own suite (tests/pipeline/ in
 * facebookresearch/spdl): same inputs, same limits, same expected outputs. `in input order` rows
 * run both output orders, as SPDL's parameterized tests do.
 */

function failWhen(test: (x: number) => boolean) {
  return async (x: number) => {
    if (test(x)) throw new Error(`refused ${x}`);
    return x;
  };
}

async function firstItems(pipeline: AsyncIterable<unknown>, count: number): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of pipeline) if (items.push(item) === count) break;
  return items;
}

const ORDERS = ["completion", "input"] as const;

interface Row {
  spdlTest: string;
  behaviour: string;
  check: () => Promise<void>;
}

/** SPDL's failure_rate_test.py cases: a source of range(count), stages failing where `fails` says, sink 1, one thread. */
interface RateCase {
  spdlTest: string;
  behaviour: string;
  count: number;
  stages: { fails: (x: number) => boolean; maxFailures?: number }[];
  buildMaxFailures?: number;
  delivered: number[];
  failsAs?: "stage" | "pipeline";
}

const RATE_CASES: RateCase[] = [
  {
    spdlTest: "failure_rate_test.py::test_pipeline_failure_rate_pipe_override",
    behaviour: "a stage's own rate overrides the build's: 15 % of 100 fail, stage 11/100, build 19/100 → fails",
    count: 100,
    stages: [{ fails: (x) => x % 7 === 0, maxFailures: 0.11 }],
    buildMaxFailures: 0.19,
    delivered: range(100).filter((x) => x % 7 !== 0),
    failsAs: "stage",
  },
  {
    spdlTest: "failure_rate_test.py::test_pipeline_failure_rate_multiple_stages",
    behaviour: "each stage judged on its own counter: 9 of 50 against 11/50, never judged under 100 calls → completes",
    count: 100,
    stages: [{ fails: (x) => x % 2 === 1 }, { fails: (x) => x % 12 === 0, maxFailures: 0.22 }],
    delivered: range(100).filter((x) => x % 2 === 0 && x % 12 !== 0),
  },
  {
    spdlTest: "failure_rate_test.py::test_pipeline_failure_rate_just_below_threshold",
    behaviour: "judged at the 100th call, 10 % against 11/100 → completes",
    count: 100,
    stages: [{ fails: (x) => x >= 90 }],
    buildMaxFailures: 0.11,
    delivered: range(90),
  },
  {
    spdlTest: "failure_rate_test.py::test_pipeline_failure_rate_under_probation_always_succeeds",
    behaviour: "40 % failing over 10 calls against 3/10: under 100 calls a rate is not judged",
    count: 10,
    stages: [{ fails: (x) => x % 3 === 0 }],
    buildMaxFailures: 0.3,
    delivered: [1, 2, 4, 5, 7, 8],
  },
];

function rateRow(rateCase: RateCase, order: (typeof ORDERS)[number]): Row {
  return {
    spdlTest: `${rateCase.spdlTest} (${order})`,
    behaviour: rateCase.behaviour,
    check: async () => {
      let builder = new PipelineBuilder().addSource(range(rateCase.count));
      for (const stage of rateCase.stages)
        builder = builder.pipe(failWhen(stage.fails), { outputOrder: order, maxFailures: stage.maxFailures });
      const { delivered, error } = await outcome(builder.addSink(1).build({ numThreads: 1, maxFailures: rateCase.buildMaxFailures }));
      expect(error?.scope).toBe(rateCase.failsAs);
      expect(delivered).toEqual(rateCase.delivered);
    },
  };
}

const rows: Row[] = [
  ...RATE_CASES.flatMap((rateCase) => ORDERS.map((order) => rateRow(rateCase, order))),
  {
    spdlTest: "pipeline_builder_test.py::test_pipeline_pipe_sync_gen",
    behaviour: "a sync generator function emits each yielded value",
    check: async () => {
      function* dupIncrement(v: number) {
        for (let i = 0; i < 3; i++) yield v + i;
      }
      const { delivered } = await outcome(new PipelineBuilder().addSource(range(3)).pipe(dupIncrement).addSink(1).build({ numThreads: 1 }));
      expect(delivered).toEqual([0, 1, 2, 1, 2, 3, 2, 3, 4]);
    },
  },
  {
    spdlTest: "pipeline_builder_test.py::test_pipeline_pipe_agen",
    behaviour: "an async generator function emits each yielded value",
    check: async () => {
      async function* dupIncrement(v: number) {
        for (let i = 0; i < 3; i++) yield v + i;
      }
      const { delivered } = await outcome(new PipelineBuilder().addSource(range(3)).pipe(dupIncrement).addSink(1).build({ numThreads: 1 }));
      expect(delivered).toEqual([0, 1, 2, 1, 2, 3, 2, 3, 4]);
    },
  },
  {
    spdlTest: "continuous_pipeline_test.py::test_continuous_multi_epoch",
    behaviour: "a repeating source delivers range(5) again and again",
    check: async () => {
      const pipeline = new PipelineBuilder().addSource(range(5), { repeat: true }).addSink(3).build({ numThreads: 1 });
      expect(await firstItems(pipeline, 15)).toEqual([...range(5), ...range(5), ...range(5)]);
    },
  },
  {
    spdlTest: "continuous_pipeline_test.py::test_continuous_pipe_failure",
    behaviour: "with a repeating source, a stage past maxFailures 0 fails the pipeline",
    check: async () => {
      const { delivered, error } = await outcome(
        new PipelineBuilder()
          .addSource(range(5), { repeat: true })
          .pipe(failWhen((x) => x === 2))
          .addSink(3)
          .build({ numThreads: 1, maxFailures: 0 }),
      );
      expect(error).toBeInstanceOf(PipelineError);
      expect(delivered).toEqual([0, 1]);
    },
  },
  {
    spdlTest: "continuous_pipeline_test.py::test_mixed_continuous_mode_rejected",
    behaviour: "merging a repeating and a non-repeating source is refused",
    check: async () => {
      expect(() => merge(new PipelineBuilder().addSource(range(3), { repeat: true }), new PipelineBuilder().addSource(range(3)))).toThrow(
        /every branch's source repeats or none/,
      );
    },
  },
  {
    spdlTest: "merge_config_test.py::test_merge_config_validation_empty_list",
    behaviour: "merge needs at least one branch (one is enough)",
    check: async () => {
      expect(() => merge()).toThrow("merge: needs at least 1 branch, got 0");
      const { delivered } = await outcome(
        merge(new PipelineBuilder().addSource(range(4)))
          .addSink()
          .build(),
      );
      expect(delivered).toEqual(range(4));
    },
  },
  {
    spdlTest: "_builder.py PipelineBuilder.add_sink(buffer_size=3) (no SPDL test pins the default)",
    behaviour: "addSink() buffers 3, as add_sink()'s default buffer_size",
    check: async () => {
      const pipeline = new PipelineBuilder().addSource(range(3)).addSink().build();
      expect(pipeline.stats().queues.at(-1)!.capacity).toBe(3);
      await pipeline.stop();
    },
  },
];

describe("SPDL's behaviours, row by row from SPDL's tests", () => {
  it.each(rows.map((row) => [row.spdlTest, row.behaviour, row] as const))("%s: %s", async (_name, _behaviour, row) => {
    await row.check();
  });
});

/**
 * The files of scripts/spdl-check/, run here with the outcome and the figures SPDL itself gave for
 * their Python export (scripts/check-export-on-spdl.mjs runs them on SPDL).
 */
describe("the SPDL check files, with SPDL's own figures", () => {
  const folder = fileURLToPath(new URL("../scripts/spdl-check/", import.meta.url));
  const runFile = async (name: string, limit?: number) => {
    const { spec, baseDir } = await loadPipelineFile(`${folder}${name}.pipeline.json`);
    const { builder, buildOptions } = compilePipeline(spec, { baseDir });
    const pipeline = builder.build(buildOptions);
    if (limit === undefined) return outcome(pipeline);
    return { delivered: await firstItems(pipeline, limit), error: undefined };
  };

  it("budget-own-limits completes with 143 items; budget-rate-at-limit with 90", async () => {
    expect((await runFile("budget-own-limits")).delivered).toHaveLength(143);
    const atLimit = await runFile("budget-rate-at-limit");
    expect([atLimit.error, atLimit.delivered.length]).toEqual([undefined, 90]);
  });

  it("budget-rate-past-limit fails at 12 failures in 100 calls; budget-pipeline-wide on the pipeline-wide count of 5", async () => {
    const past = await runFile("budget-rate-past-limit");
    expect([past.error!.scope, past.error!.failures, past.error!.calls]).toEqual(["pipeline", 12, 100]);
    const wide = await runFile("budget-pipeline-wide");
    expect([wide.error!.scope, wide.error!.stage, wide.error!.failures]).toEqual(["pipeline", "second", 5]);
  });

  it("routes-nested (a nested route, an empty path, a batching path) completes with 31 items, as on SPDL", async () => {
    const routed = await runFile("routes-nested");
    expect([routed.error, routed.delivered.length]).toEqual([undefined, 31]);
  });

  it("continuous-budget fails on its 6th failure across passes; continuous-limit delivers 50", async () => {
    const budget = await runFile("continuous-budget");
    expect([budget.error!.scope, budget.error!.failures]).toEqual(["pipeline", 6]);
    expect((await runFile("continuous-limit", 50)).delivered).toHaveLength(50);
  });
});
