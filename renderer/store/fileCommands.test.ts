import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { PipelineFile } from "../api/types.js";
import { useDocument } from "./document.js";
import { save } from "./fileCommands.js";
import { setHostApi } from "./hostConnection.js";
import { fakeApi } from "./testing/fakeApi.js";

const seed = JSON.parse(
  readFileSync(new URL("../../examples/seed-download-preprocess.pipeline.json", import.meta.url), "utf8"),
) as PipelineFile;

describe("Save", () => {
  it("writes this page's own file, whatever another window opened on the host since", async () => {
    useDocument.getState().load({ spec: seed, path: "/pipelines/mine.pipeline.json", problems: [] });
    const api = fakeApi({ saveFile: async () => ({ path: "/pipelines/mine.pipeline.json" }) });
    setHostApi(api);
    expect(await save()).toBe(true);
    expect(api.params).toEqual([expect.objectContaining({ path: "/pipelines/mine.pipeline.json", overwrite: true })]);
    setHostApi(null);
  });
});
