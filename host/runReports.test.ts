import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunReport } from "../engine/analysis/index.js";
import { seedReport } from "../engine/analysis/testing/reports.js";
import { listRunReports, readRunReport, readSavedRun, reportFileName, runsFolderFor, saveRunReport, writeRunReport } from "./runReports.js";

let folder: string;
let pipeline: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "run-reports-"));
  pipeline = join(folder, "seed.pipeline.json");
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** A report of a run started `minute` minutes past noon, delivering at `perSecond` items/s. */
function reportAt(minute: number, perSecond = 100, outcome: RunReport["outcome"] = "completed"): RunReport {
  const download = Math.abs(minute) + 1;
  const report = seedReport({ download }, { elapsedMs: 200_000 / perSecond, download: { concurrency: download } });
  const startedAt = new Date(Date.UTC(2025, 4, 6, 12, minute, 0, 250)).toISOString();
  return { ...report, startedAt, outcome };
}

describe("run reports beside the pipeline file", () => {
  it("names the runs folder after the pipeline file and each report after its start and outcome", () => {
    expect(runsFolderFor("/data/seed.pipeline.json")).toBe("/data/seed.runs");
    expect(runsFolderFor("/data/other.json")).toBe("/data/other.runs");
    expect(reportFileName(reportAt(3, 100, "failed"))).toBe("2025-05-06T12-03-00.250Z-failed.run.json");
  });

  it("saves a report that reads back the same, and lists it with its summary", async () => {
    const report = reportAt(0);
    const saved = await saveRunReport(pipeline, report);
    expect(saved).toEqual({ id: "2025-05-06T12-00-00.250Z-completed.run.json", path: join(folder, "seed.runs", saved.id) });
    expect(JSON.parse(await readFile(saved.path, "utf8"))).toEqual(report);
    expect(await readSavedRun(pipeline, saved.id)).toEqual(report);
    // No temporary file left behind by the atomic write.
    expect(await readdir(join(folder, "seed.runs"))).toEqual([saved.id]);
    const listing = await listRunReports(pipeline);
    expect(listing).toEqual({
      folder: join(folder, "seed.runs"),
      notices: [],
      runs: [
        expect.objectContaining({
          id: saved.id,
          path: saved.path,
          outcome: "completed",
          itemsPerSecond: 100,
          settings: "3 threads · download ×1 · preprocess ×2",
        }),
      ],
    });
  });

  it("lists newest first and keeps only the newest 20, leaving the user's own files alone", async () => {
    await mkdir(runsFolderFor(pipeline), { recursive: true });
    await writeFile(join(runsFolderFor(pipeline), "baseline.run.json"), JSON.stringify(reportAt(-1)));
    for (let minute = 0; minute < 23; minute++) await saveRunReport(pipeline, reportAt(minute));
    const names = await readdir(runsFolderFor(pipeline));
    expect(names.length).toBe(21);
    expect(names).toContain("baseline.run.json");
    const { runs } = await listRunReports(pipeline);
    expect(runs.map((run) => run.startedAt.slice(11, 16))).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `12:${String(22 - i).padStart(2, "0")}`),
      "11:59",
    ]);
  });

  it("numbers a second report started in the same millisecond instead of overwriting the first", async () => {
    const first = await saveRunReport(pipeline, reportAt(0));
    const second = await saveRunReport(pipeline, reportAt(0));
    expect(second.id).toBe("2025-05-06T12-00-00.250Z-completed-2.run.json");
    expect(first.id).not.toBe(second.id);
    expect((await listRunReports(pipeline)).runs.length).toBe(2);
  });

  it("skips unreadable and malformed reports with a notice each, listing the rest", async () => {
    await saveRunReport(pipeline, reportAt(1));
    const runs = runsFolderFor(pipeline);
    await writeFile(join(runs, "truncated.run.json"), '{ "format": "pipeline-studio-run/1", ');
    await writeFile(join(runs, "wrong.run.json"), JSON.stringify({ ...reportAt(2), figures: null }));
    await mkdir(join(runs, "folder.run.json"));
    const listing = await listRunReports(pipeline);
    expect(listing.runs.length).toBe(1);
    expect(listing.notices).toEqual([
      `skipped ${join(runs, "folder.run.json")}: not a readable run report: is a folder, not a file`,
      expect.stringMatching(new RegExp(`^skipped ${join(runs, "truncated.run.json")}: not a readable run report: not valid JSON`)),
      `skipped ${join(runs, "wrong.run.json")}: not a readable run report: figures: Invalid input: expected object, received null`,
    ]);
  });

  it("lists nothing for a pipeline never run, and refuses ids that leave the runs folder", async () => {
    expect(await listRunReports(pipeline)).toEqual({ folder: join(folder, "seed.runs"), runs: [], notices: [] });
    await expect(readSavedRun(pipeline, "../seed.pipeline.json")).rejects.toThrow("is not a run report id");
    await expect(readSavedRun(pipeline, "missing.run.json")).rejects.toThrow(
      /missing\.run\.json: not a readable run report: no such file$/,
    );
  });

  it("writes a report to a chosen path, creating its folder", async () => {
    const target = join(folder, "reports", "nightly.run.json");
    expect(await writeRunReport(target, reportAt(4))).toBe(target);
    expect(await readRunReport(target)).toEqual(reportAt(4));
  });
});
