import { describe, expect, it } from "vitest";
import { problemsFromIssues } from "../spec/problems.js";
import { catalog, describeCatalog } from "./index.js";

const EXPECTED_OPS = [
  "range",
  "list",
  "files",
  "sleep",
  "cpu",
  "fail",
  "readFile",
  "httpGet",
  "gzip",
  "gunzip",
  "sha256",
  "jsonParse",
  "jsonStringify",
  "routeBy",
  "module",
];

describe("the built-in catalog", () => {
  it("registers every built-in op under its own name", () => {
    expect([...catalog.keys()]).toEqual(EXPECTED_OPS);
    for (const [name, op] of catalog) expect(op.name).toBe(name);
  });

  it("describes each op with a one-line description, a category, an execution, a JSON schema and defaults", () => {
    const descriptions = describeCatalog();
    expect(descriptions.map((op) => op.name)).toEqual(EXPECTED_OPS);
    for (const op of descriptions) {
      expect(op.description.length, op.name).toBeGreaterThan(10);
      expect(op.description, op.name).not.toContain("\n");
      // Synonyms are lower-case words a search can match; each op has some.
      expect(op.synonyms.length, op.name).toBeGreaterThan(0);
      for (const word of op.synonyms) expect(word, op.name).toMatch(/^[a-z][a-z0-9 ]*$/);
      expect(["sources", "simulated", "real", "routing", "user code"], op.name).toContain(op.category);
      expect(["loop", "pool", "own-threads"], op.name).toContain(op.execution);
      expect(op.paramsSchema.type, op.name).toBe("object");
      expect(op.paramsSchema.additionalProperties, op.name).toBe(false);
      // Every declared param has a default, so a new node is valid as dropped on the canvas.
      const properties = op.paramsSchema.properties as Record<string, { default?: unknown }>;
      expect(Object.keys(op.defaults).sort(), op.name).toEqual(Object.keys(properties).sort());
      for (const [key, property] of Object.entries(properties)) expect(property.default, `${op.name}.${key}`).toEqual(op.defaults[key]);
    }
  });

  it("marks sources as sources, the synchronous ops as pool ops and zlib as own-threads", () => {
    const byName = new Map(describeCatalog().map((op) => [op.name, op]));
    expect(["range", "list", "files"].map((name) => byName.get(name)?.kind)).toEqual(["source", "source", "source"]);
    expect(["cpu", "sha256", "jsonParse", "jsonStringify", "module"].map((name) => byName.get(name)?.execution)).toEqual([
      "pool",
      "pool",
      "pool",
      "pool",
      "pool",
    ]);
    expect(["gzip", "gunzip"].map((name) => byName.get(name)?.execution)).toEqual(["own-threads", "own-threads"]);
    expect(byName.get("module")?.category).toBe("user code");
  });

  it("accepts its own defaults back, as a saved file writes them out", () => {
    for (const op of catalog.values()) {
      const defaults = op.params.parse({});
      expect(op.params.parse(structuredClone(defaults)), op.name).toEqual(defaults);
    }
  });

  it("rejects unknown params by name", () => {
    for (const op of catalog.values()) {
      const result = op.params.safeParse({ colour: "blue" });
      expect(result.success, op.name).toBe(false);
      if (!result.success)
        expect(problemsFromIssues(result.error.issues, ["params"]), op.name).toEqual([{ path: "params.colour", message: "unknown field" }]);
    }
  });
});
