/**
 * Property-based tests of the engine's core semantics (docs/engine-semantics.md, "Properties the tests check": the numbers match), over random
 * concurrencies, latencies, item counts, queue sizes and both output orders:
 *   1. a stage never runs more than `concurrency` calls at once, and does reach it;
 *      in input order, calls in flight + finished results waiting for their turn ≤ concurrency;
 *   2. every item reaches the sink exactly once unless a stage failed on it or dropped it;
 *   3. "completion" emits in finishing order, "input" in source order;
 *   4. queues are bounded: a never-ending source is pulled only as far as the queues, the stage
 *      slots and the sink buffer allow;
 *   5. the live concurrency knob never loses or duplicates items and takes effect both ways.
 * Runs are kept small (numRuns 25–40, latencies ≤ 5 ms) so the file takes seconds, not minutes.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { PipelineBuilder, type OutputOrder, type Pipeline } from "./index.js";
import { range, sleep } from "./testing/helpers.js";

// ---------------------------------------------------------------------------------------------
// Shared generators and instruments
// ---------------------------------------------------------------------------------------------

const MAX_ITEMS = 200;
/** A latency meaning "the op returns an already-resolved promise". */
const AT_ONCE = -1;

/** Per-item op latency: resolved at once, or a 0–5 ms timer. */
const latencyArb = fc.oneof(fc.constant(AT_ONCE), fc.integer({ min: 0, max: 5 }));
/** Slow enough that calls overlap for sure (for the "reaches the limit" checks). */
const slowLatencyArb = fc.integer({ min: 2, max: 5 });
const latenciesArb = (arb: fc.Arbitrary<number> = latencyArb) => fc.array(arb, { minLength: MAX_ITEMS, maxLength: MAX_ITEMS });
const orderArb = fc.constantFrom<OutputOrder>("completion", "input");
const concurrencyArb = fc.integer({ min: 1, max: 8 });
const queueSizeArb = fc.integer({ min: 1, max: 4 });
const sinkSizeArb = fc.integer({ min: 1, max: 4 });

type Fate = "ok" | "drop" | "fail";
const fateArb: fc.Arbitrary<Fate> = fc.oneof(
  { arbitrary: fc.constant<Fate>("ok"), weight: 6 },
  { arbitrary: fc.constant<Fate>("drop"), weight: 1 },
  { arbitrary: fc.constant<Fate>("fail"), weight: 1 },
);
const fatesArb = fc.array(fateArb, { minLength: MAX_ITEMS, maxLength: MAX_ITEMS });

/** Runs `settle` after `latency` ms (a timer), or at once (an already-settled promise). */
function after<T>(latency: number, settle: () => T): Promise<T> {
  if (latency === AT_ONCE) {
    try {
      return Promise.resolve(settle());
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return new Promise<T>((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(settle());
      } catch (error) {
        reject(error);
      }
    }, latency),
  );
}

/**
 * Watches one stage from its op's point of view. `held` is a lower bound on the slots an
 * input-order stage occupies: calls started minus the longest prefix (in start order, which is
 * input order) of calls that have finished; a result can only leave once every earlier call has.
 */
class CallTracker {
  inFlight = 0;
  maxInFlight = 0;
  maxHeld = 0;
  started = 0;
  private readonly finished: boolean[] = [];
  private finishedPrefix = 0;

  get held(): number {
    return this.started - this.finishedPrefix;
  }

  /** Call when a call starts; returns its index in start order. */
  start(): number {
    const index = this.started++;
    this.finished.push(false);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.maxHeld = Math.max(this.maxHeld, this.held);
    return index;
  }

  end(index: number): void {
    this.inFlight--;
    this.finished[index] = true;
    while (this.finishedPrefix < this.started && this.finished[this.finishedPrefix]) this.finishedPrefix++;
  }
}

/** Fails with `message` rather than hanging the whole file when a pipeline never ends. */
async function within<T>(ms: number, promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${message} (no end after ${ms} ms)`)), ms)),
  );
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads every item; stops the pipeline whatever happens. */
async function drain<T>(pipeline: Pipeline<T>, onItem?: (item: T) => void): Promise<T[]> {
  const items: T[] = [];
  try {
    await within(
      15_000,
      (async () => {
        for await (const item of pipeline) {
          items.push(item);
          onItem?.(item);
        }
      })(),
      "the pipeline did not finish",
    );
  } finally {
    await pipeline.stop();
  }
  return items;
}

const ascending = (a: number, b: number) => a - b;

/** Every pipeline a test builds, so a failing run cannot leave one running into the next. */
const running = new Set<Pipeline<unknown>>();
function track<T>(pipeline: Pipeline<T>): Pipeline<T> {
  running.add(pipeline as Pipeline<unknown>);
  return pipeline;
}
afterEach(async () => {
  await Promise.all([...running].map((pipeline) => pipeline.stop()));
  running.clear();
});

interface StageSpec {
  concurrency: number;
  outputOrder: OutputOrder;
  queueSize: number;
  latencies: number[];
}

const stageSpecArb = (latencies: fc.Arbitrary<number[]> = latenciesArb()) =>
  fc.record({ concurrency: concurrencyArb, outputOrder: orderArb, queueSize: queueSizeArb, latencies });

function describeStages(stages: readonly StageSpec[]): string {
  return stages.map((spec, s) => `s${s}(c=${spec.concurrency}, ${spec.outputOrder}, q=${spec.queueSize})`).join(" → ");
}

// ---------------------------------------------------------------------------------------------
// 1. Concurrency bound
// ---------------------------------------------------------------------------------------------

describe("1. a stage keeps at most `concurrency` calls in flight", () => {
  it("never more than C in flight; in input order, in flight + finished-but-waiting ≤ C too", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: MAX_ITEMS }),
        fc.array(stageSpecArb(), { minLength: 1, maxLength: 3 }),
        sinkSizeArb,
        async (count, stages, sinkSize) => {
          const trackers = stages.map(() => new CallTracker());
          const engineViolations: string[] = [];
          let builder: PipelineBuilder<number> = new PipelineBuilder().addSource(range(count));
          stages.forEach((spec, s) => {
            const tracker = trackers[s];
            const name = `s${s}`;
            builder = builder.pipe(
              (item: number) => {
                const index = tracker.start();
                // The engine's own counters must agree with the bound (sampled: a snapshot is not free).
                // Calls start only once the pipeline below is built and running.
                if (index % 5 === 0) {
                  const stage = pipeline.stats().stages.find((candidate) => candidate.name === name)!;
                  if (stage.inFlight + stage.awaitingOutput > spec.concurrency) {
                    engineViolations.push(
                      `${name}: inFlight ${stage.inFlight} + awaitingOutput ${stage.awaitingOutput} > ${spec.concurrency}`,
                    );
                  }
                }
                return after(spec.latencies[item], () => {
                  tracker.end(index);
                  return item;
                });
              },
              { name, concurrency: spec.concurrency, outputOrder: spec.outputOrder, queueSize: spec.queueSize },
            );
          });
          const pipeline = track(builder.addSink(sinkSize).build());
          const output = await drain(pipeline);

          expect(output.slice().sort(ascending)).toEqual(range(count));
          stages.forEach((spec, s) => {
            expect(trackers[s].maxInFlight, `s${s} max calls in flight`).toBeLessThanOrEqual(spec.concurrency);
            if (spec.outputOrder === "input") {
              expect(trackers[s].maxHeld, `s${s} (input order) calls in flight + results waiting for their turn`).toBeLessThanOrEqual(
                spec.concurrency,
              );
            }
          });
          expect(engineViolations).toEqual([]);
        },
      ),
      { numRuns: 35 },
    );
  }, 60_000);

  it('reaches C calls in flight with enough input and slow calls, in both orders ("input" still emits in source order)', async () => {
    await fc.assert(
      fc.asyncProperty(
        concurrencyArb,
        orderArb,
        queueSizeArb,
        fc.integer({ min: 8, max: 60 }),
        latenciesArb(slowLatencyArb),
        async (concurrency, outputOrder, queueSize, count, latencies) => {
          const tracker = new CallTracker();
          const pipeline = track(
            new PipelineBuilder()
              .addSource(range(count))
              .pipe(
                (item: number) => {
                  const index = tracker.start();
                  return after(latencies[item], () => {
                    tracker.end(index);
                    return item;
                  });
                },
                { concurrency, outputOrder, queueSize },
              )
              .addSink(2)
              .build(),
          );
          const output = await drain(pipeline);
          if (outputOrder === "input") expect(output).toEqual(range(count));
          else expect(output.slice().sort(ascending)).toEqual(range(count));
          expect(tracker.maxInFlight).toBe(concurrency);
          expect(tracker.maxHeld).toBeLessThanOrEqual(outputOrder === "input" ? concurrency : count);
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// 2. Exactly once, failures and drops
// ---------------------------------------------------------------------------------------------

describe("2. every item reaches the sink exactly once unless a stage failed on it or dropped it", () => {
  it("nothing lost, nothing duplicated; failures and drops are counted per stage and logged", async () => {
    const failingStageArb = fc.record({
      concurrency: concurrencyArb,
      outputOrder: orderArb,
      queueSize: queueSizeArb,
      latencies: latenciesArb(),
      fates: fatesArb,
      /** A failing call throws synchronously instead of returning a rejected promise. */
      throwsSync: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: MAX_ITEMS }),
        fc.array(failingStageArb, { minLength: 1, maxLength: 3 }),
        sinkSizeArb,
        fc.constantFrom<number | undefined>(undefined, 1000),
        async (count, stages, sinkSize, failureLogSize) => {
          // The model: an item stops at the first stage that fails on it or drops it.
          const expectedFailures = stages.map(() => 0);
          const expectedDrops = stages.map(() => 0);
          const expectedIn = stages.map(() => 0);
          const expectedLog: string[] = [];
          const survivors: number[] = [];
          for (const item of range(count)) {
            let alive = true;
            stages.forEach((spec, s) => {
              if (!alive) return;
              expectedIn[s]++;
              if (spec.fates[item] === "fail") {
                expectedFailures[s]++;
                expectedLog.push(`s${s} ${item} boom ${item} at s${s}`);
                alive = false;
              } else if (spec.fates[item] === "drop") {
                expectedDrops[s]++;
                alive = false;
              }
            });
            if (alive) survivors.push(item);
          }

          let builder: PipelineBuilder<number> = new PipelineBuilder().addSource(range(count));
          stages.forEach((spec, s) => {
            builder = builder.pipe(
              (item: number): Promise<number | undefined> => {
                const fate = spec.fates[item];
                if (fate === "fail" && spec.throwsSync) throw new Error(`boom ${item} at s${s}`);
                return after(spec.latencies[item], () => {
                  if (fate === "fail") throw new Error(`boom ${item} at s${s}`);
                  return fate === "drop" ? undefined : item;
                });
              },
              { name: `s${s}`, concurrency: spec.concurrency, outputOrder: spec.outputOrder, queueSize: spec.queueSize },
            );
          });
          const pipeline = track(builder.addSink(sinkSize).build({ failureLogSize }));
          const output = await drain(pipeline);

          expect(output.slice().sort(ascending)).toEqual(survivors);
          if (stages.every((spec) => spec.outputOrder === "input")) expect(output).toEqual(survivors);

          const snapshot = pipeline.stats();
          const totalFailures = expectedFailures.reduce((a, b) => a + b, 0);
          expect(snapshot.state).toBe("completed");
          expect(snapshot.itemsDelivered).toBe(survivors.length);
          expect(snapshot.failures).toBe(totalFailures);
          const perStage = stages.map((_, s) => {
            const stage = snapshot.stages.find((candidate) => candidate.name === `s${s}`)!;
            return { itemsIn: stage.itemsIn, itemsOut: stage.itemsOut, failures: stage.failures, dropped: stage.dropped };
          });
          expect(perStage).toEqual(
            stages.map((_, s) => ({
              itemsIn: expectedIn[s],
              itemsOut: expectedIn[s] - expectedFailures[s] - expectedDrops[s],
              failures: expectedFailures[s],
              dropped: expectedDrops[s],
            })),
          );

          const logged = pipeline.failures().map((failure) => `${failure.stage} ${failure.itemPreview} ${failure.error.message}`);
          if (failureLogSize === 1000) {
            expect(logged.slice().sort()).toEqual(expectedLog.slice().sort());
          } else {
            // The default log keeps the most recent 100.
            expect(logged.length).toBe(Math.min(100, totalFailures));
            expect(new Set(expectedLog)).toEqual(new Set([...expectedLog, ...logged]));
          }
        },
      ),
      { numRuns: 35 },
    );
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// 3. Output order
// ---------------------------------------------------------------------------------------------

describe("3. output order", () => {
  it('"completion" emits in the order calls finish; "input" in source order', async () => {
    await fc.assert(
      fc.asyncProperty(
        concurrencyArb,
        orderArb,
        queueSizeArb,
        sinkSizeArb,
        fc.integer({ min: 0, max: MAX_ITEMS }),
        latenciesArb(),
        fc.array(fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 }), {
          minLength: MAX_ITEMS,
          maxLength: MAX_ITEMS,
        }),
        async (concurrency, outputOrder, queueSize, sinkSize, count, latencies, drops) => {
          const finishingOrder: number[] = [];
          const tracker = new CallTracker();
          const pipeline = track(
            new PipelineBuilder()
              .addSource(range(count))
              .pipe(
                (item: number) => {
                  const index = tracker.start();
                  return after(latencies[item], () => {
                    tracker.end(index);
                    if (drops[item]) return undefined;
                    finishingOrder.push(item);
                    return item;
                  });
                },
                { concurrency, outputOrder, queueSize },
              )
              .addSink(sinkSize)
              .build(),
          );
          const output = await drain(pipeline);
          const kept = range(count).filter((item) => !drops[item]);
          if (outputOrder === "completion") expect(output).toEqual(finishingOrder);
          else expect(output).toEqual(kept);
          expect(tracker.maxInFlight).toBeLessThanOrEqual(concurrency);
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// 4. Bounded queues
// ---------------------------------------------------------------------------------------------

describe("4. queues are bounded: a never-ending source is pulled only as far as the pipeline holds", () => {
  /**
   * What a pipeline can hold at once: each queue its capacity, each stage one item per
   * concurrency slot (in flight, or finished and waiting for its turn or for room), the sink its
   * buffer; plus, at most, one item the source pulled and waits to put.
   */
  const holds = (stages: readonly StageSpec[], sinkSize: number) =>
    stages.reduce((sum, spec) => sum + spec.queueSize + spec.concurrency, 0) + sinkSize;

  /** A never-ending generator (sync or async) that counts what it hands out. */
  function infiniteSource(kind: "sync" | "async") {
    const state = { pulled: 0, consumed: 0, maxBacklog: 0, closed: false };
    const pull = (item: number) => {
      state.pulled++;
      state.maxBacklog = Math.max(state.maxBacklog, state.pulled - state.consumed);
      return item;
    };
    function* syncNumbers(): Generator<number> {
      try {
        for (let item = 0; ; item++) yield pull(item);
      } finally {
        state.closed = true;
      }
    }
    async function* asyncNumbers(): AsyncGenerator<number> {
      try {
        for (let item = 0; ; item++) yield pull(item);
      } finally {
        state.closed = true;
      }
    }
    return { state, numbers: kind === "sync" ? syncNumbers() : asyncNumbers() };
  }

  function buildOver(source: Iterable<number> | AsyncIterable<number>, stages: readonly StageSpec[], sinkSize: number): Pipeline<number> {
    let builder: PipelineBuilder<number> = new PipelineBuilder().addSource(source);
    stages.forEach((spec, s) => {
      builder = builder.pipe((item: number) => after(spec.latencies[item % MAX_ITEMS], () => item), {
        name: `s${s}`,
        concurrency: spec.concurrency,
        outputOrder: spec.outputOrder,
        queueSize: spec.queueSize,
      });
    });
    return track(builder.addSink(sinkSize).build());
  }

  const sourceKindArb = fc.constantFrom<"sync" | "async">("sync", "async");

  it("items pulled minus items consumed never exceed the queues + slots + sink buffer (+ source's item + reader's item)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stageSpecArb(), { minLength: 1, maxLength: 3 }),
        sinkSizeArb,
        sourceKindArb,
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.integer({ min: -1, max: 3 }), { minLength: 60, maxLength: 60 }),
        async (stages, sinkSize, sourceKind, reads, readPauses) => {
          // A slow first stage, so the fast source really runs ahead and meets backpressure.
          stages[0] = { ...stages[0], latencies: stages[0].latencies.map((latency) => Math.max(2, latency)) };
          // + 1: the item an async source pulled and waits to put; + 1: the item getItem took from
          // the sink, which the reader counts a few microtasks later (its slot is free already).
          const bound = holds(stages, sinkSize) + 2;
          const { state, numbers } = infiniteSource(sourceKind);
          const pipeline = buildOver(numbers, stages, sinkSize);
          try {
            pipeline.start();
            for (let read = 0; read < reads; read++) {
              await within(10_000, pipeline.getItem(), "getItem");
              state.consumed++;
              if (readPauses[read] >= 0) await sleep(readPauses[read]);
            }
            // Let the pipeline run ahead of a consumer that stopped reading.
            await sleep(12);
          } finally {
            await pipeline.stop();
          }
          expect(state.maxBacklog, `${describeStages(stages)} → sink(${sinkSize}), ${sourceKind} source`).toBeLessThanOrEqual(bound);
          // The slow first stage's slots and the queue in front of it fill: the bound is not vacuous.
          expect(state.maxBacklog).toBeGreaterThanOrEqual(stages[0].queueSize + stages[0].concurrency);
          expect(state.closed).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000);

  it("with no consumer the pipeline fills to that bound and stops pulling; addSink(n) bounds the last queue", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stageSpecArb(), { minLength: 1, maxLength: 3 }),
        sinkSizeArb,
        sourceKindArb,
        async (stages, sinkSize, sourceKind) => {
          const full = holds(stages, sinkSize);
          const { state, numbers } = infiniteSource(sourceKind);
          const pipeline = buildOver(numbers, stages, sinkSize);
          try {
            pipeline.start();
            // Calls take ≤ 5 ms: once nothing was pulled for 40 ms the pipeline is full.
            let last = -1;
            for (let polls = 0; state.pulled !== last && polls < 200; polls++) {
              last = state.pulled;
              await sleep(40);
            }
            const snapshot = pipeline.stats();
            const where = `${describeStages(stages)} → sink(${sinkSize}), ${sourceKind} source`;
            // Every queue, slot and the sink buffer hold an item; the source may hold one more.
            expect(state.pulled, where).toBeGreaterThanOrEqual(full);
            expect(state.pulled, where).toBeLessThanOrEqual(full + 1);
            expect(snapshot.queues.map((queue) => queue.depth)).toEqual(snapshot.queues.map((queue) => queue.capacity));
            expect(snapshot.queues.map((queue) => queue.capacity)).toEqual([...stages.map((spec) => spec.queueSize), sinkSize]);
            expect(snapshot.itemsDelivered).toBe(0);
          } finally {
            await pipeline.stop();
          }
          // stop() closes the source: a generator's finally blocks run.
          expect(state.closed).toBe(true);
          expect(pipeline.state).toBe("stopped");
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// 5. Live knobs: setConcurrency
// ---------------------------------------------------------------------------------------------

describe("5. setConcurrency during a run", () => {
  type Event = { kind: "start"; call: number } | { kind: "end"; call: number } | { kind: "change"; to: number };

  /**
   * Replays the log of call starts/ends and knob changes. For each change to n:
   *  - lowering (or any change): once every call in flight at the change has ended (the change
   *    has "settled"), in-flight calls stay ≤ n until the next change;
   *  - raising, when `checkReach`: in-flight (completion) or held slots (input order) reach n
   *    before the next change, provided at least n items were still to be taken.
   */
  function analyse(log: readonly Event[], initial: number, count: number, outputOrder: OutputOrder, checkReach: boolean): string[] {
    const problems: string[] = [];
    const changes = log.flatMap((event, position) => (event.kind === "change" ? [position] : []));
    changes.forEach((position, k) => {
      const to = (log[position] as { to: number }).to;
      const previous = k === 0 ? initial : (log[changes[k - 1]] as { to: number }).to;
      const windowEnd = k + 1 < changes.length ? changes[k + 1] : log.length;
      // Replay up to the change.
      const inFlight = new Set<number>();
      const finished = new Set<number>();
      let started = 0;
      for (const event of log.slice(0, position)) {
        if (event.kind === "start") {
          inFlight.add(event.call);
          started++;
        } else if (event.kind === "end") {
          inFlight.delete(event.call);
          finished.add(event.call);
        }
      }
      const startedBefore = started;
      const oldCalls = new Set(inFlight);
      let settled = oldCalls.size === 0;
      let maxAfterSettle = 0;
      let maxInFlight = inFlight.size;
      let prefix = 0;
      const advancePrefix = () => {
        while (finished.has(prefix)) prefix++;
      };
      advancePrefix();
      let maxHeld = started - prefix;
      for (const event of log.slice(position + 1, windowEnd)) {
        if (event.kind === "start") {
          inFlight.add(event.call);
          started++;
        } else if (event.kind === "end") {
          inFlight.delete(event.call);
          finished.add(event.call);
          advancePrefix();
          if (oldCalls.delete(event.call) && oldCalls.size === 0) settled = true;
        }
        maxInFlight = Math.max(maxInFlight, inFlight.size);
        maxHeld = Math.max(maxHeld, started - prefix);
        if (settled) maxAfterSettle = Math.max(maxAfterSettle, inFlight.size);
      }
      if (maxAfterSettle > to)
        problems.push(`change #${k + 1} ${previous}→${to}: ${maxAfterSettle} calls in flight after the change settled`);
      const remaining = count - startedBefore;
      if (checkReach && to > previous && remaining >= to) {
        const reached = outputOrder === "input" ? maxHeld : maxInFlight;
        if (reached < to)
          problems.push(
            `change #${k + 1} ${previous}→${to}: only ${reached} ${outputOrder === "input" ? "slots held" : "calls in flight"} with ${remaining} items left`,
          );
      }
    });
    return problems;
  }

  it("never loses or duplicates items; raising reaches the new level; lowering caps in-flight once settled", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          initial: concurrencyArb,
          outputOrder: orderArb,
          queueSize: queueSizeArb,
          sinkSize: sinkSizeArb,
          count: fc.integer({ min: 0, max: MAX_ITEMS }),
          /** slow: every call 2–5 ms (reach checks apply); mixed: at once or 0–5 ms. */
          slowOps: fc.boolean(),
          mixedLatencies: latenciesArb(),
          slowLatencies: latenciesArb(slowLatencyArb),
          /** A source slower than the stage (so its slots wait for input), or an array. */
          sourceDelays: fc.option(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: MAX_ITEMS, maxLength: MAX_ITEMS }), {
            nil: undefined,
          }),
          changes: fc.array(fc.record({ afterMs: fc.integer({ min: 1, max: 12 }), to: concurrencyArb }), { minLength: 1, maxLength: 6 }),
          drops: fc.array(fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }), {
            minLength: MAX_ITEMS,
            maxLength: MAX_ITEMS,
          }),
        }),
        async (run) => {
          const latencies = run.slowOps ? run.slowLatencies : run.mixedLatencies;
          const log: Event[] = [];
          let calls = 0;
          const source: Iterable<number> | AsyncIterable<number> = run.sourceDelays
            ? (async function* () {
                for (const item of range(run.count)) {
                  const delay = run.sourceDelays![item];
                  if (delay > 0) await sleep(delay);
                  yield item;
                }
              })()
            : range(run.count);
          const pipeline = track(
            new PipelineBuilder()
              .addSource(source)
              .pipe(
                (item: number) => {
                  const call = calls++;
                  log.push({ kind: "start", call });
                  return after(latencies[item], () => {
                    log.push({ kind: "end", call });
                    return run.drops[item] ? undefined : item;
                  });
                },
                { name: "knob", concurrency: run.initial, outputOrder: run.outputOrder, queueSize: run.queueSize },
              )
              .addSink(run.sinkSize)
              .build(),
          );

          // Changes are chained, each a timer set by the previous one, so no two land in one turn.
          let timer: NodeJS.Timeout | undefined;
          let ended = false;
          const applied: number[] = [];
          const schedule = (index: number) => {
            if (index >= run.changes.length) return;
            timer = setTimeout(() => {
              if (ended) return;
              const { to } = run.changes[index];
              // Logged first: setConcurrency may start calls synchronously.
              log.push({ kind: "change", to });
              applied.push(to);
              pipeline.setConcurrency("knob", to);
              schedule(index + 1);
            }, run.changes[index].afterMs);
          };
          schedule(0);
          let output: number[];
          try {
            output = await drain(pipeline);
          } finally {
            ended = true;
            clearTimeout(timer);
          }

          const kept = range(run.count).filter((item) => !run.drops[item]);
          expect(
            output.slice().sort(ascending),
            `lost or duplicated items after concurrency changes ${[run.initial, ...applied].join("→")}`,
          ).toEqual(kept);
          if (run.outputOrder === "input") expect(output).toEqual(kept);
          expect(calls).toBe(run.count);
          const problems = analyse(log, run.initial, run.count, run.outputOrder, run.slowOps && run.sourceDelays === undefined);
          expect(problems).toEqual([]);
          expect(pipeline.stats().stages.find((stage) => stage.name === "knob")!.concurrency).toBe(
            applied.length > 0 ? applied[applied.length - 1] : run.initial,
          );
        },
      ),
      { numRuns: 40 },
    );
  }, 90_000);

  // Focused reproductions of what the property above finds (see the report).
  it("lowering concurrency while ops resolve at once still delivers every item", async () => {
    const count = 20_000;
    const pipeline = track(
      new PipelineBuilder()
        .addSource(range(count))
        .pipe(async (item: number) => item, { name: "knob", concurrency: 4 })
        .addSink(2)
        .build(),
    );
    // The timer fires while the stage's loops are parked on the engine's event-loop yield.
    const timer = setTimeout(() => pipeline.setConcurrency("knob", 2), 3);
    const output = await drain(pipeline);
    clearTimeout(timer);
    expect(output.length).toBe(count);
  });

  it("lowering concurrency while the stage waits for input starts no more than the new limit", async () => {
    const tracker = new CallTracker();
    let lowered = false;
    let maxAfterLowering = 0;
    const source = (async function* () {
      for (const item of range(30)) {
        await sleep(5);
        yield item;
      }
    })();
    const pipeline = track(
      new PipelineBuilder()
        .addSource(source)
        .pipe(
          (item: number) => {
            const index = tracker.start();
            if (lowered) maxAfterLowering = Math.max(maxAfterLowering, tracker.inFlight);
            return after(8, () => {
              tracker.end(index);
              return item;
            });
          },
          { name: "knob", concurrency: 4 },
        )
        .addSink(2)
        .build(),
    );
    const timer = setTimeout(() => {
      // Items arrive every ~5 ms and take 8 ms: most of the four slots wait on the source.
      pipeline.setConcurrency("knob", 1);
      lowered = true;
    }, 20);
    const output = await drain(pipeline);
    clearTimeout(timer);
    expect(output.sort(ascending)).toEqual(range(30));
    expect(maxAfterLowering).toBe(1);
  });
});
