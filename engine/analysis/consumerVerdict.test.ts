import { describe, expect, it } from "vitest";
import { findBottleneck, formatVerdict } from "./bottleneck.js";
import { seedSnapshot } from "./testing/reports.js";

describe("the bottleneck verdict with a consumer", () => {
  it("says how much of the time the consumer waits for items; the line keeps its shape", () => {
    const withConsumer = findBottleneck(seedSnapshot({ elapsedMs: 10_000, readiness: 0.2 }));
    expect(withConsumer.reason).toMatch(/; the consumer waits for items 80% of the time$/);
    expect(formatVerdict(withConsumer)).toMatch(/^Bottleneck: \S+ — .+; the consumer waits for items 80% of the time$/);
    const without = findBottleneck(seedSnapshot({ elapsedMs: 10_000 }));
    expect(without.reason).not.toContain("consumer waits");
    expect(without.stage).toBe(withConsumer.stage);
  });
});
