import { expect, it } from "vitest";
import { PipelineBuilder } from "./index.js";
import { collect, range, sleep } from "./testing/helpers.js";

it("scratch: lowering concurrency with at-once ops", async () => {
  const n = 20000;
  const p = new PipelineBuilder().addSource(range(n)).pipe(async (x: number) => x, { concurrency: 4, name: "s" }).addSink(2).build();
  setTimeout(() => p.setConcurrency("s", 2), 3);
  const out = await collect(p);
  console.log("got", out.length, "of", n, p.stats().stages.map(s => [s.name, s.itemsIn, s.itemsOut, s.state]));
});
