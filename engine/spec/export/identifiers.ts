/**
 * Turning what a pipeline file holds (node ids, params, paths) into source text that is safe in
 * TypeScript and Python: node ids are free text, and an id like "class", "2nd pass" or one with a
 * line break must neither break the program nor end a comment early.
 */

const TS_RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package " +
    "private protected public await async arguments eval undefined NaN Infinity globalThis console process"
  ).split(" "),
);

const PYTHON_RESERVED = new Set(
  (
    // Keywords and soft keywords.
    "False None True and as assert async await break class continue def del elif else except finally for from global if import in is " +
    "lambda nonlocal not or pass raise return try while with yield match case type _ " +
    // Builtins a generated program or a reader may lean on.
    "abs all any bool bytearray bytes callable chr dict dir divmod enumerate filter float format frozenset getattr hasattr hash hex id " +
    "input int isinstance issubclass iter len list map max min next object open ord pow print property range repr reversed round set " +
    "setattr slice sorted str sum super tuple vars zip Exception TypeError ValueError NotImplementedError FileNotFoundError"
  ).split(" "),
);

/** Splits free text into lowercase words: "Download images (v2)" → ["download", "images", "v2"]; "jitterMs" → ["jitter", "ms"]. */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

function unique(base: string, taken: Set<string>, reserved: Set<string>, separator: string, onClash?: string): string {
  const clashes = (name: string): boolean => taken.has(name) || reserved.has(name);
  if (onClash !== undefined && clashes(base)) base = `${base}${separator}${onClash}`;
  let candidate = base;
  for (let n = 2; clashes(candidate); n++) candidate = `${base}${separator}${n}`;
  taken.add(candidate);
  return candidate;
}

/** A camelCase TypeScript identifier for `text`, not reserved and not in `taken` (which it joins). */
export function tsIdentifier(text: string, taken: Set<string>, suffix = ""): string {
  const parts = [...words(text), ...words(suffix)];
  let base = parts.map((word, index) => (index === 0 ? word : word[0].toUpperCase() + word.slice(1))).join("") || "node";
  if (/^[0-9]/.test(base)) base = `n${base}`;
  return unique(base, taken, TS_RESERVED, "");
}

/**
 * A snake_case Python identifier for `text`, not a keyword or common builtin and not in `taken`
 * (which it joins). On a clash `onClash` is tried as a last word ("gzip" → "gzip_stage") before
 * numbering, which would suggest a "gzip_1" somewhere.
 */
export function pyIdentifier(text: string, taken: Set<string>, suffix = "", onClash?: string): string {
  let base = [...words(text), ...words(suffix)].join("_") || "node";
  if (/^[0-9]/.test(base)) base = `n_${base}`;
  return unique(base, taken, PYTHON_RESERVED, "_", onClash);
}

/** "jitterMs" → "jitter_ms": catalog param names as Python keyword arguments. */
export function snakeCase(name: string): string {
  return words(name).join("_");
}

/**
 * A double-quoted string literal valid in both languages. JSON's escapes (\n, \", \\, \uXXXX) mean
 * the same in TypeScript and Python; JSON leaves U+2028/U+2029 raw, which older JavaScript reads
 * as line breaks, so they are escaped too.
 */
export function stringLiteral(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** Text for a line comment: anything that would start a new line (and so end the comment) is escaped. */
export function commentText(text: string): string {
  return text.replace(/[\r\n\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]/g, (character) => {
    if (character === "\n") return "\\n";
    if (character === "\r") return "\\r";
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** A value as a comment shows it: JSON, kept to one line. */
export function shownValue(value: unknown): string {
  return commentText(JSON.stringify(value) ?? String(value));
}

const TS_PROPERTY_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JSON value as a TypeScript expression: `{ ms: 20, tags: ["a"] }`. */
export function tsLiteral(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return "{}";
    const fields = entries.map(([key, field]) => `${TS_PROPERTY_NAME.test(key) ? key : stringLiteral(key)}: ${tsLiteral(field)}`);
    return `{ ${fields.join(", ")} }`;
  }
  return "null";
}

/** A JSON value as a Python expression: None/True/False, lists, dicts. */
export function pyLiteral(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return `[${value.map(pyLiteral).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([key, field]) => `${stringLiteral(key)}: ${pyLiteral(field)}`).join(", ")}}`;
  }
  return "None";
}
