import { describe, expect, it } from "vitest";
import { reportInternalError, trackWrites } from "./internalError.js";

function capture() {
  const written = { stdout: "", stderr: "" };
  const io = {
    stdout: trackWrites({ write: (text: string) => (written.stdout += text) }),
    stderr: { write: (text: string) => (written.stderr += text) },
  };
  return { io, written };
}

describe("an error no command caught", () => {
  it("goes to stderr with its stack, and a --json command still prints its one document", () => {
    const { io, written } = capture();
    expect(io.stdout.used).toBe(false);
    expect(reportInternalError(io, new RangeError("Maximum call stack size exceeded"), true)).toBe(1);
    expect(written.stderr).toMatch(/^error: internal error: RangeError: Maximum call stack size exceeded\n {4}at /);
    expect(JSON.parse(written.stdout)).toEqual({
      outcome: "error",
      error: { name: "RangeError", message: "Maximum call stack size exceeded" },
      problems: [{ path: "$", message: "internal error: Maximum call stack size exceeded" }],
    });
    expect(io.stdout.used).toBe(true);
  });

  it("prints no second document when one was written", () => {
    const { io, written } = capture();
    reportInternalError(io, "thrown text", false);
    expect(written.stdout).toBe("");
    expect(written.stderr).toBe("error: internal error: thrown text\n");
  });
});
