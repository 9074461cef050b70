import { describe, expect, it } from "vitest";
import type { OpDescription } from "../api/types.js";
import { opEntries, searchOps } from "./opEntries.js";

/** The palette's and the quick-add picker's search: names, synonyms, then descriptions. */

const op = (name: string, description: string, synonyms: string[], category: OpDescription["category"] = "real"): OpDescription => ({
  name,
  kind: category === "sources" ? "source" : "stage",
  category,
  execution: "loop",
  router: false,
  description,
  synonyms,
  paramsSchema: { type: "object" },
  defaults: {},
});

const catalog = [
  op("range", "Yields the integers start, start+1, …", ["numbers", "count"], "sources"),
  op("sha256", "SHA-256 digest of bytes or a string", ["hash", "digest", "checksum"]),
  op("gunzip", "Decompresses gzip bytes", ["decompress", "unzip", "inflate"]),
  op("gzip", "Compresses bytes with gzip", ["compress", "zip"]),
  op("sleep", "Waits ms, then passes the item on", ["wait", "delay"], "simulated"),
];
const names = (query: string) => searchOps(opEntries(catalog), query).map((entry) => entry.key);

describe("op search", () => {
  it("lists every op and the structural nodes in palette order when the query is empty", () => {
    expect(names("")).toEqual(["range", "sleep", "sha256", "gunzip", "gzip", "aggregate", "disaggregate", "sink"]);
  });

  it("finds an op by a synonym: hash → sha256, unzip and decompress → gunzip", () => {
    expect(names("hash")).toEqual(["sha256"]);
    expect(names("unzip")).toEqual(["gunzip"]);
    expect(names("decompress")).toEqual(["gunzip"]);
    expect(names("batch")).toEqual(["aggregate", "disaggregate"]);
  });

  it("ranks a name match before a synonym and a synonym before a description", () => {
    expect(names("gz")).toEqual(["gzip", "gunzip"]);
    expect(names("gzip")).toEqual(["gzip", "gunzip"]);
    expect(names("inflate")).toEqual(["gunzip"]);
    expect(names("digest")).toEqual(["sha256"]);
    expect(names("bytes")).toEqual(["sha256", "gunzip", "gzip"]);
  });

  it("needs every word of the query, in any field, case-insensitive", () => {
    expect(names("GZIP bytes")).toEqual(["gzip", "gunzip"]);
    expect(names("sleep nothing-like-this")).toEqual([]);
  });
});
