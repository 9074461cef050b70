import { afterEach, describe, expect, it, vi } from "vitest";
import { AbortError, sleepUnlessAborted } from "./abortableSleep.js";

describe("sleepUnlessAborted", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("resolves after its time, with or without a signal", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    let done = 0;
    void sleepUnlessAborted(50, controller.signal).then(() => done++);
    void sleepUnlessAborted(50).then(() => done++);
    await vi.advanceTimersByTimeAsync(49);
    expect(done).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(2);
  });

  it("rejects every pending wait of a signal when it aborts, and leaves no timer behind", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const waits = [10, 1_000, 60_000].map((ms) => sleepUnlessAborted(ms, controller.signal));
    const other = sleepUnlessAborted(20, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(10);
    await expect(waits[0]).resolves.toBeUndefined();
    controller.abort(new Error("stopped"));
    for (const wait of waits.slice(1)) {
      const error = await wait.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AbortError);
      expect(error).toMatchObject({ name: "AbortError", code: "ABORT_ERR", message: "The operation was aborted" });
      expect((error as Error).cause).toEqual(new Error("stopped"));
    }
    // The other signal's wait still runs; once it has, no timer is left.
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(10);
    await expect(other).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects at once for a signal already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(sleepUnlessAborted(60_000, controller.signal)).rejects.toThrow(AbortError);
  });
});
