import { describe, expect, it } from "vitest";
import { PipelineBuilder, PipelineError } from "./index.js";
import { decimalFraction, exceeds } from "./stages/failureBudget.js";
import { collect, outcome, range } from "./testing/helpers.js";

/** Fails the items `failing` names; counts every call it gets. */
function failOn(failing: (x: number) => boolean, name: string) {
  const calls = { count: 0 };
  const op = async (x: number) => {
    calls.count++;
    if (failing(x)) throw new Error(`${name} refuses ${x}`);
    return x;
  };
  Object.defineProperty(op, "name", { value: name });
  return { op, calls };
}

describe("failure budget (SPDL's _FailCounter)", () => {
  it("the build's maxFailures counts the failures of all stages together", async () => {
    // Two stages fail 2 items each: neither alone passes 3, together they do.
    const first = failOn((x) => x === 1 || x === 3, "first");
    const second = failOn((x) => x === 5 || x === 7, "second");
    const pipeline = new PipelineBuilder().addSource(range(20)).pipe(first.op).pipe(second.op).addSink().build({ maxFailures: 3 });
    const { error } = await outcome(pipeline);
    expect(error).toBeInstanceOf(PipelineError);
    expect(error!.scope).toBe("pipeline");
    expect(error!.stage).toBe("second");
    expect(error!.failures).toBe(4);
    expect(error!.message).toMatch(
      /^The pipeline-wide failure budget \(build maxFailures\) tripped at stage 'second': 4 failures across all stages \(more than 3 allowed\); last causes: Error: (first|second) refuses/,
    );
  });

  it("a stage's own maxFailures overrides the build's for that stage and counts only its own failures", async () => {
    const lenient = failOn((x) => x < 5, "lenient");
    const pipeline = new PipelineBuilder().addSource(range(20)).pipe(lenient.op, { maxFailures: 10 }).addSink().build({ maxFailures: 3 });
    const { delivered, error } = await outcome(pipeline);
    expect(error).toBeUndefined();
    expect(delivered).toEqual(range(20).slice(5));
  });

  it("the pipeline-wide count includes a stage with its own limit: the next stage without one trips on its next call", async () => {
    // As SPDL's class-level counters: every stage's calls and failures add to the global count.
    const own = failOn((x) => x < 5, "own");
    const plain = failOn(() => false, "plain");
    const pipeline = new PipelineBuilder()
      .addSource(range(20))
      .pipe(own.op, { maxFailures: 10 })
      .pipe(plain.op)
      .addSink()
      .build({ maxFailures: 3 });
    const { delivered, error } = await outcome(pipeline);
    expect(error!.scope).toBe("pipeline");
    expect(error!.stage).toBe("plain");
    expect(error!.failures).toBe(5);
    // plain's first call completes after own's 5 failures: it is counted, delivered, then the budget trips.
    expect(delivered).toEqual([5]);
  });

  it("its own limit: the message says the stage's own maxFailures with its numbers", async () => {
    const strict = failOn((x) => x % 2 === 0, "strict");
    const pipeline = new PipelineBuilder().addSource(range(20)).pipe(strict.op, { maxFailures: 2 }).addSink().build({ maxFailures: 100 });
    const { error } = await outcome(pipeline);
    expect(error!.scope).toBe("stage");
    expect(error!.message).toMatch(
      /^Stage 'strict' failed 3 times \(more than 2 allowed by its own maxFailures\); last causes: Error: strict refuses 0; Error: strict refuses 2; Error: strict refuses 4$/,
    );
  });

  it("a rate is judged after the call that completes the 100th, whether it failed", async () => {
    // 89 successes, then failures: the 100th call is the 11th failure, 11 × 10 > 1 × 100.
    const late = failOn((x) => x >= 89, "late");
    const { delivered, error } = await outcome(
      new PipelineBuilder().addSource(range(300)).pipe(late.op).addSink().build({ maxFailures: 0.1 }),
    );
    expect(error!.scope).toBe("pipeline");
    expect([error!.failures, error!.calls]).toEqual([11, 100]);
    expect(delivered).toHaveLength(89);
    expect(error!.message).toContain("11 failures in 100 calls, 11.0% across all stages (more than 10.0% of calls allowed)");
  });

  it("… or succeeded", async () => {
    // 11 failures first: below 100 calls nothing is judged; the 100th call, a success, trips it.
    const early = failOn((x) => x < 11, "early");
    const { delivered, error } = await outcome(
      new PipelineBuilder().addSource(range(300)).pipe(early.op, { maxFailures: 0.1 }).addSink().build(),
    );
    expect(error!.scope).toBe("stage");
    expect([error!.failures, error!.calls]).toEqual([11, 100]);
    expect(delivered).toEqual(range(100).slice(11));
    expect(error!.message).toMatch(
      /^Stage 'early' failed 11 times \(in 100 calls, 11\.0%; more than 10\.0% of calls allowed by its own maxFailures\)/,
    );
  });

  it("a rate exactly at its limit holds (failures × den > num × calls, exact fractions)", async () => {
    // The 10th of every 10 fails: 10 × 10 > 1 × 100 is false at every judged call.
    const tenth = failOn((x) => x % 10 === 9, "tenth");
    const pipeline = new PipelineBuilder().addSource(range(1000)).pipe(tenth.op, { maxFailures: 0.1 }).addSink().build();
    expect(await collect(pipeline)).toHaveLength(900);
    // 0.1 is taken as 1/10 exactly, not as the binary double just above it.
    expect(decimalFraction(0.1)).toEqual({ numerator: 1n, denominator: 10n });
    expect(decimalFraction(0.05)).toEqual({ numerator: 1n, denominator: 20n });
    expect(decimalFraction(1e-7)).toEqual({ numerator: 1n, denominator: 10_000_000n });
    expect(decimalFraction(0.3333)).toEqual({ numerator: 3333n, denominator: 10_000n });
    expect(exceeds({ calls: 99, failures: 99 }, 0.5)).toBe(false);
    expect(exceeds({ calls: 100, failures: 51 }, 0.5)).toBe(true);
    expect(exceeds({ calls: 100, failures: 50 }, 0.5)).toBe(false);
    // Products past 2^53 are compared exactly too (denominator 10^13).
    expect(exceeds({ calls: 81_000, failures: 10_000 }, 0.1234567890123)).toBe(true);
    expect(exceeds({ calls: 81_001, failures: 10_000 }, 0.1234567890123)).toBe(false);
  });

  it("an async generator counts each step as a call, the step that ends it too", async () => {
    // Each input: 4 values, then a throw: 4 successful steps and 1 failed one, a 20 % rate.
    async function* fourThenThrow(x: number) {
      for (let i = 0; i < 4; i++) yield x * 10 + i;
      throw new Error(`no more after ${x}`);
    }
    const run = (maxFailures: number) =>
      outcome(new PipelineBuilder().addSource(range(40)).pipe(fourThenThrow, { maxFailures }).addSink().build());
    const atLimit = await run(0.2);
    expect(atLimit.error).toBeUndefined();
    expect(atLimit.delivered).toHaveLength(160);
    const below = await run(0.19);
    expect(below.error!.scope).toBe("stage");
    expect([below.error!.failures, below.error!.calls]).toEqual([20, 100]);
  });

  it("generator steps, aggregate and disaggregate calls add to the pipeline-wide count", async () => {
    async function* twice(x: number) {
      yield x;
      yield x;
    }
    // 20 inputs: twice 60 steps, aggregate 40 calls + the flush, disaggregate 10 × 5 steps, last 40 calls:
    // 191 calls, the last 10 of 'last' fail (≈ 5.2 %). Counted over 'last' alone it would be 25 %.
    const run = (maxFailures: number) =>
      outcome(
        new PipelineBuilder()
          .addSource(range(20))
          .pipe(twice)
          .aggregate(4)
          .disaggregate()
          .pipe(failOn((x) => x >= 15, "last").op)
          .addSink()
          .build({ maxFailures }),
      );
    const lenient = await run(0.06);
    expect(lenient.error).toBeUndefined();
    expect(lenient.delivered).toHaveLength(30);
    const strict = await run(0.05);
    expect(strict.error!.scope).toBe("pipeline");
    expect(strict.error!.calls).toBeGreaterThan(180);
  });
});
