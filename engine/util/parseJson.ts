import { parseTree, printParseErrorCode, type ParseError } from "jsonc-parser";

/** Text that is not JSON; the message says where, never what is there. */
export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
}

/**
 * JSON.parse whose error quotes nothing of the text. Node's own message shows a stretch of it
 * ('Unexpected token, "root:$6$…" is not valid JSON'), and the text may be a file the user
 * named by mistake (/etc/shadow): line and column are enough to find the mistake.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new JsonSyntaxError(`not valid JSON${locateSyntaxError(text) ?? ""}`);
  }
}

/** Node's JSON.parse does not say where the error is; jsonc-parser (strict settings) does. */
function locateSyntaxError(text: string): string | undefined {
  const errors: ParseError[] = [];
  try {
    parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // jsonc-parser recurses: a few thousand unclosed brackets overflow the stack; the place stays unsaid then.
    return undefined;
  }
  const first = errors[0];
  if (!first) return undefined;
  const before = text.slice(0, first.offset).split("\n");
  return ` at line ${before.length}, column ${before[before.length - 1].length + 1}: ${printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()}`;
}
