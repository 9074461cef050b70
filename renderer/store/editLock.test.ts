import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PipelineFile } from "../api/types.js";
import { useAnalysis } from "./analysis.js";
import { useDocument } from "./document.js";
import { lockEditsWhileBusy } from "./editLock.js";
import { showError, useNotice } from "./notice.js";
import { useRun } from "./run.js";

/** The edit lock follows the host's state; a refusal it caused goes when it lifts, an error the user must read stays. */
const seed = JSON.parse(
  readFileSync(new URL("../../examples/seed-download-preprocess.pipeline.json", import.meta.url), "utf8"),
) as PipelineFile;

let stop: () => void = () => undefined;
beforeEach(() => {
  useDocument.getState().load({ spec: seed, path: null, problems: [] });
  useRun.setState({ status: "idle", id: null, hostActivity: null });
  useAnalysis.setState({ profile: { status: "idle", steps: [], result: null, error: null }, adopted: null });
  useNotice.setState({ notice: null });
  stop = lockEditsWhileBusy();
});
afterEach(() => stop());

describe("the edit lock", () => {
  it("locks while another page's run goes on; an edit refused meanwhile says why, and the message goes when the lock lifts", () => {
    useRun.setState({ hostActivity: "run" });
    expect(useDocument.getState().editLock).toBe("Stop the run to change the graph");
    useDocument.getState().deleteSelection();
    expect(useNotice.getState().notice?.text).toBe("Stop the run to change the graph");
    useRun.setState({ hostActivity: null });
    expect(useDocument.getState().editLock).toBeNull();
    expect(useNotice.getState().notice).toBeNull();
  });

  it("an error the user must read (a file that did not save) outlives a change of the lock", () => {
    showError("could not write /data/a.pipeline.json: disk full");
    useRun.setState({ hostActivity: "profile" });
    expect(useDocument.getState().editLock).toBe("Cancel the profile to change the graph");
    useRun.setState({ hostActivity: null });
    expect(useNotice.getState().notice?.text).toBe("could not write /data/a.pipeline.json: disk full");
  });
});
