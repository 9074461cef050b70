import { seededRandom } from "../../engine/ops/random.js";

/**
 * Hostile pipeline files, made from a valid one by a list of mutations: wrong types, sizes past
 * every bound (huge, negative, NaN-like, fractional), deep nesting, prototype keys, huge strings,
 * duplicate and unicode ids, broken graphs, and at the text level truncation, byte-order marks,
 * UTF-16, bytes that are not UTF-8. The suite runs a fixed table of them (curatedMutants), `npm run
 * fuzz` thousands drawn at random (randomMutant).
 */

export type JsonObject = Record<string, unknown>;

export interface Mutant {
  /** What was done, e.g. "nodes[1].queueSize = 2147483648, then truncated at 312". */
  name: string;
  bytes: Uint8Array;
}

/**
 * A file being mutated: the value, and raw JSON tokens to splice in where the value holds
 * their placeholder (text JSON.stringify cannot write: 1e999, 100,000 brackets, a repeated key).
 */
interface Draft {
  value: JsonObject;
  raw: Map<string, string>;
}

type Random = () => number;

/** Values the JSON text holds as written; `1e999` parses to Infinity, a nesting token to a deep array. */
export const SIZE_TOKENS = [
  "0",
  "-1",
  "1.5",
  "-0",
  "1e-300",
  "2",
  "101",
  "128",
  "129",
  "1024",
  "1025",
  "100000",
  "100001",
  "1000000",
  "1000001",
  "2147483647",
  "2147483648",
  "9007199254740993",
  "1e21",
  "1e308",
  "1e999",
  "-1e999",
];
export const TYPE_TOKENS = ['"4"', '"NaN"', '"Infinity"', "true", "false", "null", "[]", "{}", "[1]", '{"a":1}', '""'];
// Paths stay inside the mutant's folder or lead nowhere: a run must not read the machine's own files.
export const STRING_TOKENS = [
  '" "',
  '"数据🚀"',
  '"\\u0000"',
  '"\\ud800"',
  '"a.b[0]"',
  '"$"',
  '"\\u202eevil"',
  '"../no-such-folder"',
  '"C:\\\\x"',
];
export const PROTOTYPE_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "prototype", "valueOf"];
const ODD_KEYS = [...PROTOTYPE_KEYS, "", "数据", "a.b", "[0]"];
const OP_NAMES = [
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
  "module",
  "slep",
  "",
  "__proto__",
];

/** Deep values: nested arrays and objects just past and far past the 1000-level bound. */
function deepToken(kind: "array" | "object", levels: number): string {
  return kind === "array" ? `${"[".repeat(levels)}${"]".repeat(levels)}` : `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
}
export const DEEP_TOKENS = [deepToken("array", 1001), deepToken("object", 1200), deepToken("array", 5000), deepToken("array", 100_000)];
const HUGE_STRING = `"${"x".repeat(1_000_000)}"`;

/** The fields of a node and of build that hold sizes, and where params hold them. */
const NODE_SIZE_FIELDS = ["concurrency", "queueSize", "timeoutMs", "retries", "maxFailures"];
const PARAM_SIZE_FIELDS = ["ms", "jitterMs", "count", "start", "fraction", "seed", "size", "level", "indent", "timeoutMs"];

interface ValueMutation {
  name: string;
  apply(draft: Draft, random: Random): string;
}

/** A mutation of the value, or of its text once written. */
interface TextMutation {
  name: string;
  apply(text: string, random: Random): { label: string; bytes: Uint8Array };
}

const pick = <T>(values: readonly T[], random: Random): T => values[Math.floor(random() * values.length)];

/** The file's node objects (a copy of the list: add nodes with nodeList). */
function nodesOf(draft: Draft): JsonObject[] {
  return nodeList(draft).filter((node): node is JsonObject => typeof node === "object" && node !== null && !Array.isArray(node));
}

/** The file's own list of nodes, made if a mutation took it away. */
function nodeList(draft: Draft): unknown[] {
  if (!Array.isArray(draft.value.nodes)) draft.value.nodes = [];
  return draft.value.nodes as unknown[];
}

function edgesOf(draft: Draft): JsonObject[] {
  if (!Array.isArray(draft.value.edges)) draft.value.edges = [];
  return draft.value.edges as JsonObject[];
}

/** Puts a raw token at `key` of `target` (a placeholder now, the token when written). */
function setRaw(draft: Draft, target: JsonObject | unknown[], key: string | number, token: string): void {
  const placeholder = `@@raw${draft.raw.size}@@`;
  draft.raw.set(placeholder, token);
  Object.defineProperty(target, key, { value: placeholder, writable: true, enumerable: true, configurable: true });
}

function randomNode(draft: Draft, random: Random): { node: JsonObject; index: number } | undefined {
  const nodes = nodesOf(draft);
  if (nodes.length === 0) return undefined;
  const index = Math.floor(random() * nodes.length);
  return { node: nodes[index], index };
}

/** Every object in the value with its path, for mutations that may land anywhere. */
function objectsIn(value: unknown): { path: string; object: JsonObject | unknown[] }[] {
  const found: { path: string; object: JsonObject | unknown[] }[] = [];
  const stack: { path: string; value: unknown }[] = [{ path: "$", value }];
  while (stack.length > 0) {
    const { path, value: current } = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    found.push({ path, object: current as JsonObject });
    for (const [key, entry] of Object.entries(current))
      stack.push({ path: Array.isArray(current) ? `${path}[${key}]` : `${path}.${key}`, value: entry });
  }
  return found;
}

const setNodeSize = (tokens: readonly string[], label: string): ValueMutation => ({
  name: `a node's size field = ${label}`,
  apply(draft, random) {
    const chosen = randomNode(draft, random);
    if (!chosen) return "no node";
    const field = pick(NODE_SIZE_FIELDS, random);
    const token = pick(tokens, random);
    setRaw(draft, chosen.node, field, token);
    return `nodes[${chosen.index}].${field} = ${token.slice(0, 20)}`;
  },
});

const setParam = (tokens: readonly string[], label: string): ValueMutation => ({
  name: `a param = ${label}`,
  apply(draft, random) {
    const chosen = randomNode(draft, random);
    if (!chosen) return "no node";
    if (typeof chosen.node.params !== "object" || chosen.node.params === null) chosen.node.params = {};
    const params = chosen.node.params as JsonObject;
    const known = Object.keys(params);
    const field = known.length > 0 && random() < 0.6 ? pick(known, random) : pick(PARAM_SIZE_FIELDS, random);
    const token = pick(tokens, random);
    setRaw(draft, params, field, token);
    return `nodes[${chosen.index}].params.${field} = ${token.slice(0, 20)}`;
  },
});

const setBuild = (tokens: readonly string[], label: string): ValueMutation => ({
  name: `build = ${label}`,
  apply(draft, random) {
    if (typeof draft.value.build !== "object" || draft.value.build === null) draft.value.build = {};
    const field = pick(["numThreads", "maxFailures"], random);
    const token = pick(tokens, random);
    setRaw(draft, draft.value.build as JsonObject, field, token);
    return `build.${field} = ${token.slice(0, 20)}`;
  },
});

const anywhere = (tokens: readonly string[], label: string): ValueMutation => ({
  name: `anything = ${label}`,
  apply(draft, random) {
    const objects = objectsIn(draft.value);
    const { path, object } = pick(objects, random);
    const keys = Object.keys(object);
    if (keys.length === 0) return `${path}: empty`;
    const key = pick(keys, random);
    const token = pick(tokens, random);
    setRaw(draft, object, Array.isArray(object) ? Number(key) : key, token);
    return `${path}.${key} = ${token.slice(0, 20)}`;
  },
});

/** Settings inside every bound that change how a run goes: files that run, time out, retry, fail. */
const KNOBS_WITHIN_BOUNDS: Record<string, readonly unknown[]> = {
  concurrency: [1, 2, 16, 1024],
  queueSize: [0, 1, 100_000],
  timeoutMs: [1, 5, 2_147_483_647, null],
  retries: [0, 3, 100],
  maxFailures: [0, 0.5, 1000, null],
  outputOrder: ["input", "completion"],
};

export const VALUE_MUTATIONS: readonly ValueMutation[] = [
  {
    name: "a knob within its bounds",
    apply(draft, random) {
      if (random() < 0.25) {
        const numThreads = pick([1, 2, 4], random);
        draft.value.build = { ...(draft.value.build as JsonObject), numThreads };
        return `build.numThreads = ${numThreads}`;
      }
      const chosen = randomNode(draft, random);
      if (!chosen) return "no node";
      const field = pick(Object.keys(KNOBS_WITHIN_BOUNDS), random);
      chosen.node[field] = pick(KNOBS_WITHIN_BOUNDS[field], random);
      return `nodes[${chosen.index}].${field} = ${JSON.stringify(chosen.node[field])}`;
    },
  },
  setNodeSize(SIZE_TOKENS, "a size"),
  setNodeSize(TYPE_TOKENS, "a wrong type"),
  setParam(SIZE_TOKENS, "a size"),
  setParam(TYPE_TOKENS, "a wrong type"),
  setParam(STRING_TOKENS, "an odd string"),
  setParam(DEEP_TOKENS, "deep nesting"),
  setBuild(SIZE_TOKENS, "a size"),
  setBuild(TYPE_TOKENS, "a wrong type"),
  anywhere(TYPE_TOKENS, "a wrong type"),
  anywhere(SIZE_TOKENS, "a size"),
  anywhere(DEEP_TOKENS, "deep nesting"),
  anywhere([HUGE_STRING], "a 1 MB string"),
  {
    name: "a prototype or odd key",
    apply(draft, random) {
      const { path, object } = pick(
        objectsIn(draft.value).filter(({ object }) => !Array.isArray(object)),
        random,
      );
      const key = pick(ODD_KEYS, random);
      setRaw(draft, object, key, pick(['{"ms":5,"concurrency":9}', "1", "null", "[]"], random));
      return `${path}["${key}"] added`;
    },
  },
  {
    name: "a key removed",
    apply(draft, random) {
      const { path, object } = pick(objectsIn(draft.value), random);
      const keys = Object.keys(object);
      if (keys.length === 0) return `${path}: empty`;
      const key = pick(keys, random);
      if (Array.isArray(object)) object.splice(Number(key), 1);
      else delete object[key];
      return `${path}.${key} removed`;
    },
  },
  {
    name: "a node's id changed",
    apply(draft, random) {
      const chosen = randomNode(draft, random);
      if (!chosen) return "no node";
      const others = nodesOf(draft).map((node) => node.id);
      const id = pick([...others, "数据🚀", "", " padded ", "a".repeat(100_000), "sink", "\u0000", "__proto__"], random);
      chosen.node.id = id;
      return `nodes[${chosen.index}].id = ${JSON.stringify(id).slice(0, 20)}`;
    },
  },
  {
    name: "a node repeated",
    apply(draft, random) {
      const chosen = randomNode(draft, random);
      if (!chosen) return "no node";
      nodeList(draft).push(structuredClone(chosen.node));
      return `nodes[${chosen.index}] repeated`;
    },
  },
  {
    name: "a node's kind or op changed",
    apply(draft, random) {
      const chosen = randomNode(draft, random);
      if (!chosen) return "no node";
      if (random() < 0.4) {
        chosen.node.kind = pick(["source", "stage", "aggregate", "disaggregate", "sink", "filter"], random);
        return `nodes[${chosen.index}].kind = ${String(chosen.node.kind)}`;
      }
      chosen.node.op = pick(OP_NAMES, random);
      chosen.node.params = chosen.node.op === "module" ? { path: pick(["", "missing.mjs", "op.ts", "."], random) } : {};
      return `nodes[${chosen.index}].op = ${String(chosen.node.op)}`;
    },
  },
  {
    name: "an edge added, removed or turned",
    apply(draft, random) {
      const edges = edgesOf(draft);
      const ids = nodesOf(draft).map((node) => node.id);
      const choice = Math.floor(random() * 4);
      if (choice === 0 || edges.length === 0) {
        const edge = { from: pick([...ids, "nowhere"], random), to: pick([...ids, "nowhere"], random) };
        edges.push(edge);
        return `edge ${JSON.stringify(edge).slice(0, 40)} added`;
      }
      const index = Math.floor(random() * edges.length);
      if (choice === 1) {
        edges.splice(index, 1);
        return `edges[${index}] removed`;
      }
      if (choice === 2) {
        edges[index] = { from: edges[index].to, to: edges[index].from };
        return `edges[${index}] turned around`;
      }
      edges.push({ ...edges[index] });
      return `edges[${index}] repeated`;
    },
  },
  {
    name: "a long chain or deep merges",
    apply(draft, random) {
      const nodes = nodeList(draft);
      const sink = nodesOf(draft).find((node) => node.kind === "sink");
      const edges = edgesOf(draft);
      const intoSink = edges.find((edge) => edge.to === sink?.id);
      if (!sink || !intoSink) return "no sink";
      const merges = random() < 0.5;
      const length = merges ? 300 : 1500;
      let last = intoSink.from;
      for (let index = 0; index < length; index++) {
        const id = `extra${index}`;
        nodes.push({ id, kind: "stage", op: "sleep", params: { ms: 0 } });
        edges.push({ from: last, to: id });
        if (merges) {
          nodes.push({ id: `more${index}`, kind: "source", op: "range", params: { count: 1 } });
          edges.push({ from: `more${index}`, to: id });
        }
        last = id;
      }
      intoSink.from = last;
      return merges ? `${length} merges nested` : `a chain of ${length} more stages`;
    },
  },
  {
    name: "a repeated key in the text",
    apply(draft, random) {
      const chosen = randomNode(draft, random);
      if (!chosen) return "no node";
      // JSON.parse keeps the last one; the placeholder writes both.
      setRaw(draft, chosen.node, "concurrency", `1, "concurrency": ${pick(TYPE_TOKENS, random)}`);
      return `nodes[${chosen.index}].concurrency written twice`;
    },
  },
];

const encoder = new TextEncoder();
const utf8 = (text: string) => encoder.encode(text);

function utf16(text: string, order: "le" | "be", mark: boolean): Uint8Array {
  const bytes = Buffer.from(`${mark ? "\ufeff" : ""}${text}`, "utf16le");
  return order === "be" ? bytes.swap16() : bytes;
}

function withBytes(text: string, at: number, inserted: number[]): Uint8Array {
  const bytes = utf8(text);
  const offset = Math.min(at, bytes.length);
  return new Uint8Array([...bytes.subarray(0, offset), ...inserted, ...bytes.subarray(offset)]);
}

export const TEXT_MUTATIONS: readonly TextMutation[] = [
  {
    name: "truncated",
    apply: (text, random) =>
      ((at) => ({ label: `truncated at ${at}`, bytes: utf8(text.slice(0, at)) }))(Math.floor(random() * text.length)),
  },
  {
    name: "a UTF-8 byte-order mark",
    apply: (text) => ({ label: "UTF-8 with a byte-order mark", bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]) }),
  },
  { name: "UTF-16LE with its mark", apply: (text) => ({ label: "UTF-16LE with a byte-order mark", bytes: utf16(text, "le", true) }) },
  { name: "UTF-16BE with its mark", apply: (text) => ({ label: "UTF-16BE with a byte-order mark", bytes: utf16(text, "be", true) }) },
  { name: "UTF-16 without a mark", apply: (text) => ({ label: "UTF-16LE without a mark", bytes: utf16(text, "le", false) }) },
  {
    name: "a byte that is not UTF-8",
    apply: (text, random) => ((at) => ({ label: `0xFF at ${at}`, bytes: withBytes(text, at, [0xff]) }))(Math.floor(random() * text.length)),
  },
  {
    name: "an overlong UTF-8 sequence",
    apply: (text, random) =>
      ((at) => ({ label: `0xC0 0xAF at ${at}`, bytes: withBytes(text, at, [0xc0, 0xaf]) }))(Math.floor(random() * text.length)),
  },
  {
    name: "a NUL byte",
    apply: (text, random) => ((at) => ({ label: `NUL at ${at}`, bytes: withBytes(text, at, [0]) }))(Math.floor(random() * text.length)),
  },
  { name: "CRLF line ends", apply: (text) => ({ label: "CRLF line ends", bytes: utf8(text.replace(/\n/g, "\r\n")) }) },
  { name: "trailing garbage", apply: (text) => ({ label: "trailing garbage", bytes: utf8(`${text} }`) }) },
  { name: "a trailing comma", apply: (text) => ({ label: "a trailing comma", bytes: utf8(text.replace(/\n}\s*$/, ",\n}")) }) },
  { name: "a comment", apply: (text) => ({ label: "a comment", bytes: utf8(`// pipeline\n${text}`) }) },
  {
    name: "not an object",
    apply: (_text, random) =>
      ((token) => ({ label: `the file is ${token || "empty"}`, bytes: utf8(token) }))(
        pick(["", "   \n", "null", "[]", "1", '"pipeline"', "{}", "[[[[", "\ufeff"], random),
      ),
  },
];

/** The file written out, placeholders replaced by their raw tokens. */
function writeDraft(draft: Draft): string {
  let text = JSON.stringify(draft.value, null, 2);
  for (const [placeholder, token] of draft.raw) text = text.split(JSON.stringify(placeholder)).join(token);
  return text;
}

function draftOf(base: JsonObject): Draft {
  return { value: structuredClone(base), raw: new Map() };
}

/** One mutant drawn at random: one to three value mutations, and now and then a text one on top. */
export function randomMutant(bases: readonly { name: string; value: JsonObject }[], random: Random): Mutant {
  const base = pick(bases, random);
  const draft = draftOf(base.value);
  const steps: string[] = [];
  // Mostly one mutation, so that a fair share of the files still runs.
  const count = random() < 0.7 ? 1 : 2 + Math.floor(random() * 2);
  for (let step = 0; step < count; step++) steps.push(pick(VALUE_MUTATIONS, random).apply(draft, random));
  const text = writeDraft(draft);
  if (random() < 0.25) {
    const { label, bytes } = pick(TEXT_MUTATIONS, random).apply(text, random);
    return { name: `${base.name}: ${[...steps, label].join(", then ")}`, bytes };
  }
  return { name: `${base.name}: ${steps.join(", then ")}`, bytes: utf8(text) };
}

/**
 * The suite's fixed table: every value mutation and every text mutation, each a few times
 * with its own seed, on each base in turn. The same table on every run.
 */
export function curatedMutants(bases: readonly { name: string; value: JsonObject }[], perMutation = 8): Mutant[] {
  const mutants: Mutant[] = [];
  let seed = 1;
  const next = (): Random => seededRandom(seed++);
  for (const mutation of VALUE_MUTATIONS) {
    for (let round = 0; round < perMutation; round++) {
      const base = bases[round % bases.length];
      const draft = draftOf(base.value);
      const label = mutation.apply(draft, next());
      mutants.push({ name: `${base.name}: ${label}`, bytes: utf8(writeDraft(draft)) });
    }
  }
  for (const mutation of TEXT_MUTATIONS) {
    for (let round = 0; round < Math.ceil(perMutation / 2); round++) {
      const base = bases[round % bases.length];
      const { label, bytes } = mutation.apply(writeDraft(draftOf(base.value)), next());
      mutants.push({ name: `${base.name}: ${label}`, bytes });
    }
  }
  return mutants;
}
