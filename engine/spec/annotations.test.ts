import { describe, expect, it } from "vitest";
import { compilePipeline } from "./compile.js";
import { exportPython, exportTypeScript } from "./export/index.js";
import { serializePipelineFile } from "./file.js";
import { formatProblem } from "./problems.js";
import { validatePipelineFile } from "./validateFile.js";

function validFile(): Record<string, any> {
  return {
    format: "pipeline-studio/1",
    nodes: [
      { id: "numbers", kind: "source", op: "range", params: { count: 3 }, position: { x: 0, y: 0 } },
      { id: "wait", kind: "stage", op: "sleep", params: { ms: 1 }, position: { x: 240, y: 0 } },
      { id: "sink", kind: "sink", position: { x: 480, y: 0 } },
    ],
    edges: [
      { from: "numbers", to: "wait" },
      { from: "wait", to: "sink" },
    ],
    notes: [{ id: "note-1", text: "Slow stage:\nraise its concurrency", position: { x: 240, y: -120 }, size: { width: 200, height: 80 } }],
    groups: [
      { id: "group-1", label: "Work", nodeIds: ["numbers", "wait"], position: { x: -20, y: -40 }, size: { width: 480, height: 140 } },
    ],
  };
}

function messagesFor(mutate: (file: Record<string, any>) => void): string[] {
  const file = validFile();
  mutate(file);
  return validatePipelineFile(file).problems.map(formatProblem);
}

describe("canvas notes and groups in the file", () => {
  it("are read, kept and saved, with every field written", () => {
    const { spec, problems } = validatePipelineFile(validFile());
    expect(problems).toEqual([]);
    expect(spec!.notes).toEqual(validFile().notes);
    expect(spec!.groups).toEqual(validFile().groups);
    const saved = JSON.parse(serializePipelineFile(spec!));
    expect(Object.keys(saved)).toEqual(["format", "name", "description", "nodes", "edges", "build", "notes", "groups"]);
    expect(saved.notes).toEqual(validFile().notes);
  });

  it("default to none: a file written before they existed opens", () => {
    const file = validFile();
    delete file.notes;
    delete file.groups;
    const { spec, problems } = validatePipelineFile(file);
    expect(problems).toEqual([]);
    expect(spec!.notes).toEqual([]);
    expect(spec!.groups).toEqual([]);
  });

  it("fill in an empty text and label", () => {
    const file = validFile();
    delete file.notes[0].text;
    delete file.groups[0].label;
    const { spec } = validatePipelineFile(file);
    expect(spec!.notes[0]!.text).toBe("");
    expect(spec!.groups[0]!.label).toBe("");
  });

  const malformed: [string, (file: Record<string, any>) => void, string[]][] = [
    ["notes not an array", (f) => void (f.notes = {}), ["notes: must be an array of notes, got {}"]],
    ["a note's text not a string", (f) => void (f.notes[0].text = 42), ["notes[0].text: must be a string, got 42"]],
    ["a negative width", (f) => void (f.notes[0].size.width = -10), ["notes[0].size.width: must be a number > 0, got -10"]],
    ["a zero height", (f) => void (f.groups[0].size.height = 0), ["groups[0].size.height: must be a number > 0, got 0"]],
    ["a note without a position", (f) => void delete f.notes[0].position, ["notes[0].position: is required"]],
    ["an empty note id", (f) => void (f.notes[0].id = ""), ['notes[0].id: must be a non-empty string, got ""']],
    ["an unknown field", (f) => void (f.groups[0].colour = "red"), ["groups[0].colour: unknown field"]],
    [
      "a duplicate note id",
      (f) => void f.notes.push({ ...f.notes[0] }),
      ['notes[1].id: duplicate id (first used by notes[0]); ids must be unique, got "note-1"'],
    ],
    [
      "a duplicate group id",
      (f) => void f.groups.push({ ...f.groups[0], nodeIds: ["sink"] }),
      ['groups[1].id: duplicate id (first used by groups[0]); ids must be unique, got "group-1"'],
    ],
    [
      "an unknown node in a group",
      (f) => void f.groups[0].nodeIds.push("ghost"),
      ['groups[0].nodeIds[2]: no node has this id, got "ghost"'],
    ],
    [
      "a node twice in a group",
      (f) => void f.groups[0].nodeIds.push("wait"),
      ['groups[0].nodeIds[2]: is listed twice in this group, got "wait"'],
    ],
    [
      "a node in two groups",
      (f) => void f.groups.push({ ...f.groups[0], id: "group-2", nodeIds: ["wait"] }),
      ['groups[1].nodeIds[0]: is already in groups[0]; a node belongs to one group at most, got "wait"'],
    ],
    ["a node id not a string", (f) => void (f.groups[0].nodeIds = [7]), ["groups[0].nodeIds[0]: must be a node id (a string), got 7"]],
  ];

  it.each(malformed)("refuses %s, naming the JSON path", (_name, mutate, expected) => {
    expect(messagesFor(mutate)).toEqual(expected);
  });

  it("are judged even when a node is wrong too", () => {
    const messages = messagesFor((f) => {
      f.nodes[1].concurrency = 0;
      f.groups[0].nodeIds.push("ghost");
    });
    expect(messages).toContain('groups[0].nodeIds[2]: no node has this id, got "ghost"');
    expect(messages).toContain("nodes[1].concurrency: must be an integer ≥ 1, got 0");
  });

  it("never reach what runs or what is exported", () => {
    const { spec } = validatePipelineFile(validFile());
    const bare = validatePipelineFile({ ...validFile(), notes: [], groups: [] }).spec!;
    expect(exportTypeScript(spec!, { baseDir: "/x" })).toBe(exportTypeScript(bare, { baseDir: "/x" }));
    expect(exportPython(spec!, { baseDir: "/x" })).toBe(exportPython(bare, { baseDir: "/x" }));
    expect(() => compilePipeline(spec!, { baseDir: "/x" })).not.toThrow();
  });
});
