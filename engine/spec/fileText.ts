/**
 * A pipeline file's bytes as text. UTF-8 is the format's encoding; a byte-order mark is allowed
 * (Windows editors write one), and a UTF-16 file with its mark is read too. Anything else gets a
 * sentence saying what to do instead of a JSON syntax error at line 1, column 1.
 */
export function decodeFileText(bytes: Uint8Array): { text: string } | { problem: string } {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? "utf-16le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf-16be" : "utf-8";
  if (encoding === "utf-8" && bytes.includes(0)) {
    return {
      problem:
        "holds NUL bytes, so it is not UTF-8 text (UTF-16 or UTF-32 without a byte-order mark, or not a text file); save it as UTF-8",
    };
  }
  try {
    // fatal: a byte that is not part of the encoding is an error, not a silent U+FFFD. The mark is dropped.
    return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch {
    return { problem: `is not valid ${encoding.toUpperCase()} text; save it as UTF-8` };
  }
}
