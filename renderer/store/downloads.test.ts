import { afterEach, describe, expect, it } from "vitest";
import { useDocument } from "./document.js";
import { documentBaseName, exportFileName } from "./downloads.js";

const initial = useDocument.getState();
afterEach(() => useDocument.setState(initial, true));

describe("the name a download takes", () => {
  it("is the file's name without .pipeline.json, else the upload's, else the pipeline's name made a file name, else untitled", () => {
    useDocument.setState({ path: "/work/pipes/seed.pipeline.json", uploaded: null, name: "Seed" });
    expect(documentBaseName()).toBe("seed");
    expect(exportFileName("ts")).toBe("seed.ts");
    expect(exportFileName("python")).toBe("seed.py");
    useDocument.setState({ path: null, uploaded: { name: "mine.json", baseDir: "/work" }, name: "" });
    expect(documentBaseName()).toBe("mine");
    useDocument.setState({ path: null, uploaded: null, name: "  Route by kind / v2 " });
    expect(documentBaseName()).toBe("route-by-kind-v2");
    useDocument.setState({ path: null, uploaded: null, name: "../.." });
    expect(documentBaseName()).toBe("untitled");
  });
});
