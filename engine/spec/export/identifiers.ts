/**
 * Identifiers for generated TypeScript and Python, made from node ids: ids are free text, and an
 * id like "class", "2nd pass", "print" or one with a line break must name a variable that neither
 * breaks the program nor shadows what it uses. Everything else from a file is written by the
 * escapers in typescriptSyntax.ts and pythonSyntax.ts.
 */

/** Words of an id kept in a name: enough to recognise the node, not a 100 000-character identifier. */
const MAX_NAME_LENGTH = 40;

const TS_RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package " +
    "private protected public await async arguments eval undefined NaN Infinity globalThis console process"
  ).split(" "),
);

const PYTHON_RESERVED = new Set(
  // Keywords and soft keywords.
  (
    "False None True and as assert async await break class continue def del elif else except finally for from global if import in is " +
    "lambda nonlocal not or pass raise return try while with yield match case type _ " +
    // Every builtin a snake_case name can spell (Python 3.13): a module-level def of one would change what the
    // helpers mean (a stage named "memoryview" breaks as_bytes' isinstance check).
    "abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex copyright credits " +
    "delattr dict dir divmod enumerate eval exec exit filter float format frozenset getattr globals hasattr hash help hex id input " +
    "int isinstance issubclass iter len license list locals map max memoryview min next object oct open ord pow print property quit " +
    "range repr reversed round set setattr slice sorted staticmethod str sum super tuple vars zip"
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

/** The leading words of `text`, at most MAX_NAME_LENGTH letters in all (a longer first word is cut). */
function nameWords(text: string): string[] {
  const kept: string[] = [];
  let length = 0;
  for (const word of words(text)) {
    if (length + word.length > MAX_NAME_LENGTH) {
      if (kept.length === 0) kept.push(word.slice(0, MAX_NAME_LENGTH));
      break;
    }
    kept.push(word);
    length += word.length;
  }
  return kept;
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
  const parts = [...nameWords(text), ...words(suffix)];
  let base = parts.map((word, index) => (index === 0 ? word : word[0].toUpperCase() + word.slice(1))).join("") || "node";
  if (/^[0-9]/.test(base)) base = `n${base}`;
  return unique(base, taken, TS_RESERVED, "");
}

/**
 * A snake_case Python identifier for `text`, not a keyword or builtin and not in `taken`
 * (which it joins). On a clash `onClash` is tried as a last word ("gzip" → "gzip_stage") before
 * numbering, which would suggest a "gzip_1" somewhere.
 */
export function pyIdentifier(text: string, taken: Set<string>, suffix = "", onClash?: string): string {
  let base = [...nameWords(text), ...words(suffix)].join("_") || "node";
  if (/^[0-9]/.test(base)) base = `n_${base}`;
  return unique(base, taken, PYTHON_RESERVED, "_", onClash);
}

/** "jitterMs" → "jitter_ms": catalog param names as Python keyword arguments. */
export function snakeCase(name: string): string {
  return words(name).join("_");
}
