import { describe, expect, it } from "vitest";
import type { PipelineSnapshot } from "../engine/stats/snapshot.js";
import { SnapshotTrail } from "./snapshotTrail.js";

const at = (elapsedMs: number) => ({ elapsedMs }) as PipelineSnapshot;

describe("a run's snapshot trail", () => {
  it("keeps two a second, and always the latest last", () => {
    const trail = new SnapshotTrail();
    for (let ms = 0; ms <= 1250; ms += 100) trail.record(at(ms));
    expect(trail.history().map((s) => s.elapsedMs)).toEqual([0, 500, 1000, 1200]);
    expect(trail.latest?.elapsedMs).toBe(1200);
  });

  it("holds the charts' five minutes at most", () => {
    const trail = new SnapshotTrail();
    for (let ms = 0; ms <= 10 * 60 * 1000; ms += 100) trail.record(at(ms));
    const history = trail.history();
    expect(history).toHaveLength(600);
    expect(history[0]!.elapsedMs).toBe(10 * 60 * 1000 - 599 * 500);
  });

  it("is empty before the first snapshot", () => {
    expect(new SnapshotTrail().history()).toEqual([]);
  });
});
