import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PipelineBuilder, poolTask } from "./index.js";
import { stageOp } from "./ops/create.js";
import { builtModuleUrl } from "./pool/builtModule.js";
import { collect, range } from "./testing/helpers.js";

const OPS = builtModuleUrl("./testing/poolOps.js", import.meta.url);

describe("generator ops (SPDL converts sync generators as async ones)", () => {
  it("a sync generator function emits each yielded value, not the generator object", async () => {
    function* twice(x: number) {
      yield x;
      yield x + 0.5;
    }
    const pipeline = new PipelineBuilder().addSource([1, 2, 3]).pipe(twice).addSink().build();
    expect(await collect(pipeline)).toEqual([1, 1.5, 2, 2.5, 3, 3.5]);
    expect(pipeline.stats().stages[1]).toMatchObject({ itemsIn: 3, itemsOut: 6, blocksEventLoop: true });
  });

  it("in input order, concurrent sync generators keep each input's values together and in order", async () => {
    function* three(x: number) {
      for (let i = 0; i < 3; i++) yield `${x}.${i}`;
    }
    const pipeline = new PipelineBuilder().addSource(range(20)).pipe(three, { concurrency: 4, outputOrder: "input" }).addSink().build();
    expect(await collect(pipeline)).toEqual(range(20).flatMap((x) => [0, 1, 2].map((i) => `${x}.${i}`)));
  });

  it("a sync generator that throws: the values before the throw pass, the item counts one failure", async () => {
    function* breaks(x: number) {
      yield x;
      if (x === 2) throw new Error("broken at 2");
      yield -x;
    }
    const pipeline = new PipelineBuilder().addSource([1, 2, 3]).pipe(breaks).addSink().build();
    expect(await collect(pipeline)).toEqual([1, -1, 2, 3, -3]);
    expect(pipeline.failures().map((failure) => [failure.itemPreview, failure.error.message])).toEqual([["2", "broken at 2"]]);
  });

  it("retries and timeouts are refused for sync generators, as for async ones", () => {
    function* gen(x: number) {
      yield x;
    }
    expect(() => new PipelineBuilder().addSource([1]).pipe(gen, { retries: 1 })).toThrow(/not supported for generator ops/);
  });

  it("on the pool, a generator export's values are collected in the worker and emitted in order", async () => {
    const pipeline = new PipelineBuilder()
      .addSource([1, 2, 3, 4])
      .pipe(poolTask<number, number>(OPS, "repeatTimes"), { concurrency: 4, outputOrder: "input" })
      .addSink()
      .build({ numThreads: 2 });
    expect(await collect(pipeline)).toEqual([10, 20, 21, 30, 31, 32, 40, 41, 42, 43]);
  });

  it("on the pool, an async generator export too; one that throws passes its values, then fails that item", async () => {
    const pipeline = new PipelineBuilder()
      .addSource([2, -2, 1])
      .pipe(poolTask<number, number>(OPS, "asyncRepeatTimes"), { outputOrder: "input", concurrency: 2 })
      .addSink()
      .build({ numThreads: 2 });
    expect(await collect(pipeline)).toEqual([20, 21, -20, -21, 10]);
    expect(pipeline.failures().map((failure) => [failure.itemPreview, failure.error.name, failure.error.message])).toEqual([
      ["-2", "RangeError", "negative -2"],
    ]);
  });

  it("user code on the event loop: a generator export's values are emitted", async () => {
    const folder = mkdtempSync(join(tmpdir(), "generator-module-"));
    const modulePath = join(folder, "split.mjs");
    writeFileSync(modulePath, "export function* split(text) { for (const word of text.split(' ')) yield word; }\n");
    const op = stageOp<string, string>("module", { path: modulePath, export: "split" }, { baseDir: folder, runOn: "loop" });
    const pipeline = new PipelineBuilder().addSource(["a b", "c"]).pipe(op).addSink().build();
    expect(await collect(pipeline)).toEqual(["a", "b", "c"]);
  });
});
