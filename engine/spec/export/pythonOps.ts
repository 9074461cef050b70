import { resolve } from "node:path";
import type { PipelineNode } from "../schema.js";
import { snakeCase } from "./identifiers.js";
import { pyComment, pyNumber, pyString, pyValue } from "./pythonSyntax.js";

/**
 * The catalog in Python: each op becomes a function the exported SPDL program defines itself, so
 * the program needs nothing beyond spdl and the standard library. Async ops (sleep, fail) become
 * `async def`, which SPDL awaits on its event loop; blocking or CPU work becomes a plain `def`,
 * which SPDL runs in the thread pool sized by build(num_threads=...).
 */

export interface PythonOpContext {
  /** The pipeline file's folder, absolute. */
  baseDir: string;
  node: PipelineNode;
}

interface MappingBase {
  /** The op's params this mapping carries over; any other is reported in the program as not ported. */
  params: readonly string[];
  /** Entries of PYTHON_HELPERS the mapping's code calls. */
  helpers: readonly string[];
}

export interface PythonSourceMapping extends MappingBase {
  kind: "source";
  /** An expression giving the items. */
  iterable(params: Record<string, unknown>, context: PythonOpContext): string;
}

export interface PythonStageMapping extends MappingBase {
  kind: "stage";
  /** Statements that bind `name` to the stage's function. */
  define(name: string, params: Record<string, unknown>, context: PythonOpContext): string;
}

export type PythonOpMapping = PythonSourceMapping | PythonStageMapping;

export interface PythonHelper {
  imports: readonly string[];
  /** Other helpers it calls (defined before it). */
  uses: readonly string[];
  /** Relative paths in it resolve against BASE_DIR, the pipeline file's folder. */
  usesBaseDir: boolean;
  code: string;
}

/** `make_x(a=1, b_c="2")` with the given params, in the mapping's order, as keyword arguments. */
function factoryCall(factory: string, names: readonly string[], params: Record<string, unknown>): string {
  return `${factory}(${names.map((name) => `${snakeCase(name)}=${pyValue(params[name])}`).join(", ")})`;
}

function factoryStage(factory: string, params: readonly string[], helpers: readonly string[]): PythonStageMapping {
  return {
    kind: "stage",
    params,
    helpers: [...helpers, factory],
    define: (name, values) => `${name} = ${factoryCall(factory, params, values)}`,
  };
}

export const pythonOps: ReadonlyMap<string, PythonOpMapping> = new Map<string, PythonOpMapping>([
  [
    "range",
    {
      kind: "source",
      params: ["count", "start"],
      helpers: [],
      iterable: ({ count, start }) => `range(${pyNumber(Number(start))}, ${pyNumber(Number(start) + Number(count))})`,
    },
  ],
  ["list", { kind: "source", params: ["items"], helpers: [], iterable: ({ items }) => pyValue(items) }],
  [
    "files",
    {
      kind: "source",
      params: ["folder", "pattern"],
      helpers: ["list_files"],
      iterable: ({ folder, pattern }) => `list_files(${pyValue(folder)}, ${pyValue(pattern)})`,
    },
  ],
  ["sleep", factoryStage("make_sleep", ["ms", "jitterMs", "distribution", "seed"], [])],
  ["cpu", factoryStage("make_cpu", ["ms"], [])],
  ["fail", factoryStage("make_fail", ["fraction", "seed", "message"], ["SimulatedFailure"])],
  ["readFile", factoryStage("make_read_file", [], [])],
  ["httpGet", factoryStage("make_http_get", ["responseType", "timeoutMs"], [])],
  ["gzip", factoryStage("make_gzip", ["level"], ["split_bytes"])],
  ["gunzip", factoryStage("make_gunzip", [], ["split_bytes"])],
  ["sha256", factoryStage("make_sha256", ["encoding"], ["split_bytes"])],
  ["jsonParse", factoryStage("make_json_parse", [], ["split_bytes"])],
  ["jsonStringify", factoryStage("make_json_stringify", ["indent"], [])],
  ["routeBy", factoryStage("make_route_by", ["field", "values", "otherwise", "modulo"], [])],
  [
    "module",
    {
      kind: "stage",
      params: ["path", "export", "args"],
      helpers: [],
      define: (name, { path, export: exportName, args }, { baseDir, node }) => {
        const file = typeof path === "string" && path !== "" ? resolve(baseDir, path) : null;
        const where = node.runOn === "loop" ? "on its event loop" : "on its worker pool";
        const what = `export ${pyString(String(exportName))} of ${file ?? "a module the pipeline file has not chosen yet"}`;
        return [
          pyComment(`User code, to port by hand: Pipeline Studio called ${what}`),
          pyComment(`as fn(item, args) with args ${pyValue(args)}, ${where}. A plain def like this runs in`),
          "# SPDL's thread pool; make it an async def if the port awaits I/O.",
          `def ${name}(item):`,
          `    raise NotImplementedError(${pyString(`port ${what} to Python`)})`,
        ].join("\n");
      },
    },
  ],
]);

/** A snippet that is not a helper: it needs the file's folder, so the exporter writes it. */
export const BASE_DIR = "BASE_DIR";

export const PYTHON_HELPERS: ReadonlyMap<string, PythonHelper> = new Map<string, PythonHelper>([
  [
    "make_route_by",
    {
      imports: ["import json"],
      uses: [],
      usesBaseDir: false,
      code: `def make_route_by(field, values, otherwise, modulo):
    # As Pipeline Studio's routeBy: values[i] (or any of values[i], a list) sends an item down path i,
    # compared as JSON; without values, an integer goes to value % modulo, anything else by the
    # FNV-1a hash of its JSON text (over UTF-16 code units, as JavaScript reads a string).
    steps = field.split(".") if field is not None else []

    def key(value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    def read(item):
        value = item
        for step in steps:
            if not isinstance(value, dict) or step not in value:
                raise KeyError(f"the item has no field {field}")
            value = value[step]
        return value

    if values is None:
        count = modulo if modulo is not None else 2

        def fnv1a(text):
            hash_ = 0x811C9DC5
            data = text.encode("utf-16-le")
            for index in range(0, len(data), 2):
                hash_ ^= data[index] | (data[index + 1] << 8)
                hash_ = (hash_ * 0x01000193) & 0xFFFFFFFF
            return hash_

        def route_by_hash(item):
            value = read(item)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, int) and not isinstance(value, bool):
                return value % count
            return fnv1a(key(value)) % count

        return route_by_hash

    path_of = {}
    for index, entry in enumerate(values):
        for value in entry if isinstance(entry, list) else [entry]:
            path_of.setdefault(key(value), index)

    def route_by_value(item):
        value = read(item)
        path = path_of.get(key(value))
        if path is not None:
            return path
        if otherwise != "fail":
            return otherwise
        raise ValueError(f"{field} is {key(value)}, which values does not list")

    return route_by_value`,
    },
  ],
  [
    "pass_through",
    {
      imports: [],
      uses: [],
      usesBaseDir: false,
      code: `async def pass_through(item):
    # An empty path of a route: SPDL needs a stage on every path; this one passes items on.
    return item`,
    },
  ],
  [
    "list_files",
    {
      imports: [],
      uses: [],
      usesBaseDir: true,
      code: `def list_files(folder, pattern):
    # Sorted, and hidden files left out, as Pipeline Studio's files source lists them, so every
    # machine sees the same items in the same order.
    root = BASE_DIR / folder
    if not root.is_dir():
        raise FileNotFoundError(f"files: the folder {root} does not exist")
    return sorted(
        str(path)
        for path in root.glob(pattern)
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )`,
    },
  ],
  [
    "make_sleep",
    {
      imports: ["import asyncio", "import math", "import random"],
      uses: [],
      usesBaseDir: false,
      code: `def make_sleep(ms, jitter_ms, distribution, seed):
    # An async def: SPDL awaits it on its event loop without holding a thread, as Pipeline Studio
    # runs sleep on its loop. Seeded so a run repeats; the numbers differ from Pipeline Studio's
    # generator, the distribution does not.
    rng = random.Random(seed)

    async def sleep(item):
        if distribution == "exponential":
            delay_ms = -math.log(1.0 - rng.random()) * ms
        else:
            delay_ms = max(0.0, ms + (rng.random() * 2 - 1) * jitter_ms)
        await asyncio.sleep(delay_ms / 1000)
        return item

    return sleep`,
    },
  ],
  [
    "make_cpu",
    {
      imports: ["import time"],
      uses: [],
      usesBaseDir: false,
      code: `def make_cpu(ms):
    # A plain def, so SPDL runs it in the thread pool of build(num_threads=...). Spinning in pure
    # Python holds the GIL, so these calls take turns instead of overlapping as they do on Pipeline
    # Studio's worker threads; real CPU work in C extensions (NumPy, PIL, zlib) releases the GIL.
    def cpu(item):
        until = time.perf_counter() + ms / 1000
        while time.perf_counter() < until:
            pass
        return item

    return cpu`,
    },
  ],
  [
    "SimulatedFailure",
    {
      imports: [],
      uses: [],
      usesBaseDir: false,
      code: `class SimulatedFailure(Exception):
    pass`,
    },
  ],
  [
    "make_fail",
    {
      imports: ["import math", "import random"],
      uses: ["SimulatedFailure"],
      usesBaseDir: false,
      code: `def make_fail(fraction, seed, message):
    # Each block of 100 calls fails exactly its share (the remainder carries over), as in Pipeline
    # Studio, so a max_failures limit trips after the same number of calls; which calls fail differs.
    rng = random.Random(seed)
    plan = []
    owed = 0.0

    async def fail(item):
        nonlocal owed
        if not plan:
            owed += 100 * fraction
            count = math.floor(round(owed, 9))
            owed -= count
            plan.extend([True] * count + [False] * (100 - count))
            rng.shuffle(plan)
        if plan.pop():
            raise SimulatedFailure(message)
        return item

    return fail`,
    },
  ],
  [
    "split_bytes",
    {
      imports: [],
      uses: [],
      usesBaseDir: false,
      code: `def split_bytes(item, op_name):
    # Bytes ops take bytes, text (as UTF-8) or a dict with a "bytes" field whose other fields flow
    # on, as Pipeline Studio's do, so they chain after read_file the same way.
    if isinstance(item, dict) and "bytes" in item:
        rest = {key: value for key, value in item.items() if key != "bytes"}
        return as_bytes(item["bytes"], op_name), rest
    return as_bytes(item, op_name), None


def as_bytes(value, op_name):
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{op_name}: expected bytes, a string, or a dict with a bytes field; got {type(value).__name__}")


def shape_result(rest, field, value):
    return value if rest is None else {**rest, field: value}`,
    },
  ],
  [
    "make_read_file",
    {
      imports: [],
      uses: [],
      usesBaseDir: true,
      code: `def make_read_file():
    # Blocking file I/O belongs in SPDL's thread pool (a plain def), not on its event loop.
    def read_file(item):
        path, rest = (item, {}) if isinstance(item, str) else (item["path"], item)
        absolute = BASE_DIR / path
        return {**rest, "path": str(absolute), "bytes": absolute.read_bytes()}

    return read_file`,
    },
  ],
  [
    "make_http_get",
    {
      imports: ["import json", "import urllib.request"],
      uses: [],
      usesBaseDir: false,
      code: `def make_http_get(response_type, timeout_ms):
    # urllib blocks, so a plain def that SPDL runs in its thread pool; an aiohttp coroutine would
    # keep more requests in flight per thread, but needs a package beyond spdl.
    timeout = None if timeout_ms is None else timeout_ms / 1000

    def http_get(item):
        url = item["url"] if isinstance(item, dict) else item
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read()
        if response_type == "bytes":
            return body
        text = body.decode("utf-8")
        return json.loads(text) if response_type == "json" else text

    return http_get`,
    },
  ],
  [
    "make_gzip",
    {
      imports: ["import gzip"],
      uses: ["split_bytes"],
      usesBaseDir: false,
      code: `def make_gzip(level):
    # zlib releases the GIL, so SPDL's threads compress in parallel as libuv's threads do for
    # Pipeline Studio. mtime=0, as Node writes, keeps the output the same from run to run.
    def compress(item):
        data, rest = split_bytes(item, "gzip")
        return shape_result(rest, "bytes", gzip.compress(data, compresslevel=level, mtime=0))

    return compress`,
    },
  ],
  [
    "make_gunzip",
    {
      imports: ["import gzip"],
      uses: ["split_bytes"],
      usesBaseDir: false,
      code: `def make_gunzip():
    def decompress(item):
        data, rest = split_bytes(item, "gunzip")
        return shape_result(rest, "bytes", gzip.decompress(data))

    return decompress`,
    },
  ],
  [
    "make_sha256",
    {
      imports: ["import base64", "import hashlib"],
      uses: ["split_bytes"],
      usesBaseDir: false,
      code: `def make_sha256(encoding):
    def sha256(item):
        data, rest = split_bytes(item, "sha256")
        digest = hashlib.sha256(data)
        text = digest.hexdigest() if encoding == "hex" else base64.b64encode(digest.digest()).decode("ascii")
        return shape_result(rest, "sha256", text)

    return sha256`,
    },
  ],
  [
    "make_json_parse",
    {
      imports: ["import json"],
      uses: ["split_bytes"],
      usesBaseDir: false,
      code: `def make_json_parse():
    def json_parse(item):
        if isinstance(item, str):
            return json.loads(item)
        data, rest = split_bytes(item, "jsonParse")
        return shape_result(rest, "value", json.loads(data.decode("utf-8")))

    return json_parse`,
    },
  ],
  [
    "make_json_stringify",
    {
      imports: ["import json"],
      uses: [],
      usesBaseDir: false,
      code: `def make_json_stringify(indent):
    # Compact separators and raw non-ASCII, as JavaScript's JSON.stringify writes; bytes become
    # lists of numbers, as Pipeline Studio writes a Uint8Array.
    def json_stringify(item):
        if indent > 0:
            return json.dumps(item, indent=indent, ensure_ascii=False, default=list)
        return json.dumps(item, separators=(",", ":"), ensure_ascii=False, default=list)

    return json_stringify`,
    },
  ],
]);

/** Every name a helper defines at module level, so node functions never shadow one. */
export function helperNames(): string[] {
  const names: string[] = [];
  for (const helper of PYTHON_HELPERS.values()) {
    for (const match of helper.code.matchAll(/^(?:def|class) ([A-Za-z_][A-Za-z0-9_]*)/gm)) names.push(match[1]);
  }
  return names;
}
