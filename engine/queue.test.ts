import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BoundedQueue, EMPTY, END } from "./queue.js";
import { sleep } from "./testing/helpers.js";

/** Lets every queued promise callback run (a few macrotask turns). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Records whether (and with what) a promise has settled, without awaiting it. */
function track<T>(promise: Promise<T>): { readonly done: boolean; readonly value: T | undefined } {
  const state: { done: boolean; value: T | undefined } = { done: false, value: undefined };
  void promise.then((value) => {
    state.done = true;
    state.value = value;
  });
  return state;
}

describe("BoundedQueue", () => {
  it("rejects a capacity that is not an integer ≥ 0", () => {
    expect(() => new BoundedQueue(-1)).toThrow(RangeError);
    expect(() => new BoundedQueue(1.5)).toThrow("integer ≥ 0");
  });

  it("takes memory for the items it holds, not for its capacity, also when cancelled", () => {
    const before = process.memoryUsage().heapUsed;
    const queues = Array.from({ length: 200 }, (_, index) => {
      const queue = new BoundedQueue<number>(100_000);
      queue.tryPut(index);
      if (index % 2 === 0) queue.cancel();
      return queue;
    });
    const grown = process.memoryUsage().heapUsed - before;
    // A slot per unit of capacity would be 200 × 100,000 × 8 bytes = 160 MB.
    expect(grown).toBeLessThan(16 * 1024 * 1024);
    expect(queues.filter((queue) => queue.depth === 1)).toHaveLength(100);
  });

  it("with capacity 0 is unbounded: puts never wait, and cancel drops what it held", () => {
    const queue = new BoundedQueue<number>(0);
    for (let item = 0; item < 1000; item++) expect(queue.tryPut(item)).toBe(true);
    expect(queue.hasSpaceOrNotify()).toBe(true);
    expect(queue.depth).toBe(1000);
    expect([queue.tryGet(), queue.tryGet()]).toEqual([0, 1]);
    queue.cancel();
    expect(queue.depth).toBe(0);
    expect(queue.tryGet()).toBe(END);
  });

  it("is FIFO, also when the ring wraps around", () => {
    const queue = new BoundedQueue<number>(3);
    const taken: number[] = [];
    let next = 0;
    // Interleave puts and gets so the head and tail cross the end of the ring many times.
    for (let round = 0; round < 20; round++) {
      while (queue.tryPut(next)) next++;
      expect(queue.depth).toBe(3);
      for (let k = 0; k < 1 + (round % 3); k++) taken.push(queue.tryGet() as number);
    }
    for (let item = queue.tryGet(); item !== EMPTY; item = queue.tryGet()) taken.push(item as number);
    expect(taken).toEqual(Array.from({ length: next }, (_, index) => index));
  });

  it("tryPut refuses when full and tryGet returns EMPTY when empty (never waiting)", () => {
    const queue = new BoundedQueue<string>(2);
    expect(queue.tryGet()).toBe(EMPTY);
    expect(queue.tryPut("a")).toBe(true);
    expect(queue.tryPut("b")).toBe(true);
    expect(queue.tryPut("c")).toBe(false);
    expect(queue.depth).toBe(2);
    expect(queue.tryGet()).toBe("a");
    expect(queue.tryPut("c")).toBe(true);
    expect([queue.tryGet(), queue.tryGet(), queue.tryGet()]).toEqual(["b", "c", EMPTY]);
    expect(queue.stats().puts).toBe(3);
  });

  it("matches an array model for any sequence of tryPut / tryGet / close", () => {
    type Command = { kind: "put"; item: number } | { kind: "get" } | { kind: "close" };
    const command = fc.oneof<fc.Arbitrary<Command>[]>(
      fc.nat(1000).map((item) => ({ kind: "put" as const, item })),
      fc.constant({ kind: "get" as const }),
      fc.constant({ kind: "close" as const }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(command, { maxLength: 60 }),
        (capacity, producers, commands) => {
          const queue = new BoundedQueue<number>(capacity);
          queue.expectProducers(producers);
          const model: number[] = [];
          let open = producers;
          for (const step of commands) {
            if (step.kind === "put") {
              const accepted = queue.tryPut(step.item);
              expect(accepted).toBe(model.length < capacity);
              if (accepted) model.push(step.item);
            } else if (step.kind === "get") {
              const expected = model.length > 0 ? model.shift() : open === 0 ? END : EMPTY;
              expect(queue.tryGet()).toBe(expected);
            } else {
              queue.close();
              open = Math.max(0, open - 1);
            }
            expect(queue.depth).toBe(model.length);
            expect(queue.ended).toBe(open === 0 && model.length === 0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("put waits while the queue is full and resumes, in order, as room appears", async () => {
    const queue = new BoundedQueue<number>(2);
    expect(await queue.put(1)).toBe(true);
    expect(await queue.put(2)).toBe(true);
    const third = track(queue.put(3));
    const fourth = track(queue.put(4));
    await settle();
    expect(third.done).toBe(false);
    expect(fourth.done).toBe(false);
    expect(queue.depth).toBe(2);

    expect(queue.tryGet()).toBe(1);
    await settle();
    expect(third).toEqual({ done: true, value: true });
    expect(fourth.done).toBe(false);
    expect(queue.depth).toBe(2);

    expect(queue.tryGet()).toBe(2);
    await settle();
    expect(fourth).toEqual({ done: true, value: true });
    expect([queue.tryGet(), queue.tryGet(), queue.tryGet()]).toEqual([3, 4, EMPTY]);
  });

  it("get waits for an item; waiting getters are served first come, first served", async () => {
    const queue = new BoundedQueue<string>(1);
    const first = track(queue.get());
    const second = track(queue.get());
    await settle();
    expect(first.done || second.done).toBe(false);
    expect(queue.tryPut("x")).toBe(true);
    expect(queue.depth).toBe(0); // handed straight to the waiting getter
    await settle();
    expect(first).toEqual({ done: true, value: "x" });
    expect(second.done).toBe(false);
    await queue.put("y");
    await settle();
    expect(second).toEqual({ done: true, value: "y" });
  });

  it("with several producers, ends only when the last one closes, after its items are taken", async () => {
    const queue = new BoundedQueue<string>(4);
    queue.expectProducers(3);
    const producers = ["a", "b", "c"].map(async (name, index) => {
      for (let k = 0; k < 3; k++) {
        await queue.put(`${name}${k}`);
        await sleep(index);
      }
      queue.close();
    });
    const taken: string[] = [];
    for (let item = await queue.get(); item !== END; item = await queue.get()) taken.push(item);
    await Promise.all(producers);
    expect(taken.sort()).toEqual(["a0", "a1", "a2", "b0", "b1", "b2", "c0", "c1", "c2"]);
    expect(queue.ended).toBe(true);
    expect(queue.tryGet()).toBe(END);
  });

  it("a waiting getter sees END only when the last producer closes; earlier closes keep it waiting", async () => {
    const queue = new BoundedQueue<number>(2);
    queue.expectProducers(2);
    queue.tryPut(7);
    queue.close(); // first producer done: the buffered item still comes, the queue is not over
    expect(queue.tryGet()).toBe(7);
    const waiting = track(queue.get());
    await settle();
    expect(waiting.done).toBe(false);
    expect(queue.ended).toBe(false);
    queue.close(new Error("upstream broke"));
    await settle();
    expect(waiting).toEqual({ done: true, value: END });
    expect(queue.closeError?.message).toBe("upstream broke");
  });

  it("cancel releases every waiter: getters see END, putters false; later puts are dropped", async () => {
    const empty = new BoundedQueue<number>(1);
    const getters = [track(empty.get()), track(empty.get()), track(empty.getWithin(10_000))];
    const full = new BoundedQueue<number>(1);
    full.tryPut(1);
    const putters = [track(full.put(2)), track(full.put(3))];
    await settle();
    empty.cancel();
    full.cancel();
    await settle();
    expect(getters.map((g) => ({ ...g }))).toEqual([
      { done: true, value: END },
      { done: true, value: END },
      { done: true, value: END },
    ]);
    expect(putters.map((p) => ({ ...p }))).toEqual([
      { done: true, value: false },
      { done: true, value: false },
    ]);
    expect(full.depth).toBe(0);
    expect(full.tryGet()).toBe(END);
    expect(full.isCancelled).toBe(true);
    expect(full.tryPut(4)).toBe(true); // accepted and discarded, so producers never hang
    expect(await full.put(5)).toBe(false);
    expect(full.tryGet()).toBe(END);
    expect(await full.get()).toBe(END);
  });

  it("getWithin returns an item that is there or arrives in time", async () => {
    const queue = new BoundedQueue<number>(2);
    queue.tryPut(1);
    expect(await queue.getWithin(5)).toBe(1);
    const pending = queue.getWithin(1000);
    setTimeout(() => queue.tryPut(2), 5);
    const startedAt = performance.now();
    expect(await pending).toBe(2);
    expect(performance.now() - startedAt).toBeLessThan(900);
  });

  it("a timed-out getWithin takes nothing: the next put goes to the next getter or stays buffered", async () => {
    const queue = new BoundedQueue<number>(2);
    const timedOut = queue.getWithin(5);
    const later = track(queue.get());
    expect(await timedOut).toBe(EMPTY);
    // The timed-out waiter is gone; the plain getter behind it is served.
    expect(queue.tryPut(42)).toBe(true);
    await settle();
    expect(later).toEqual({ done: true, value: 42 });

    // Nobody waiting now: after another timeout the item stays in the queue for the next reader.
    expect(await queue.getWithin(5)).toBe(EMPTY);
    expect(queue.tryPut(43)).toBe(true);
    expect(queue.depth).toBe(1);
    expect(queue.tryGet()).toBe(43);
    expect(queue.stats().puts).toBe(2);
  });

  it("many racing getWithin timeouts and puts never lose or duplicate an item", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 25 }),
        async (plan) => {
          const queue = new BoundedQueue<number>(2);
          const received: number[] = [];
          // Each reader makes a short getWithin attempt, then a blocking get: only the get should ever win an item it then keeps.
          const readers = plan.map(async ([, wait]) => {
            const first = await queue.getWithin(wait);
            if (first !== EMPTY && first !== END) received.push(first);
            else {
              const second = await queue.get();
              if (second !== END) received.push(second);
            }
          });
          for (const [index, [delay]] of plan.entries()) {
            await sleep(delay);
            await queue.put(index);
          }
          queue.close();
          await Promise.all(readers);
          expect(received.sort((a, b) => a - b)).toEqual(plan.map((_, index) => index));
        },
      ),
      { numRuns: 25 },
    );
  });

  it("starvedMs grows while a consumer waits on an empty queue, then stops growing", async () => {
    const queue = new BoundedQueue<number>(1);
    expect(queue.stats().starvedMs).toBe(0);
    const waiting = queue.get();
    await sleep(30);
    const during = queue.stats().starvedMs;
    expect(during).toBeGreaterThanOrEqual(20);
    queue.tryPut(1);
    expect(await waiting).toBe(1);
    const after = queue.stats().starvedMs;
    await sleep(20);
    expect(queue.stats().starvedMs).toBe(after); // nobody waits: the total is frozen
    expect(after).toBeGreaterThanOrEqual(during);
    expect(queue.stats().blockedMs).toBe(0);
  });

  it("blockedMs grows while a producer waits on a full queue, then stops growing", async () => {
    const queue = new BoundedQueue<number>(1);
    queue.tryPut(1);
    const waiting = queue.put(2);
    await sleep(30);
    const during = queue.stats().blockedMs;
    expect(during).toBeGreaterThanOrEqual(20);
    expect(queue.tryGet()).toBe(1);
    expect(await waiting).toBe(true);
    const after = queue.stats().blockedMs;
    await sleep(20);
    expect(queue.stats().blockedMs).toBe(after);
    expect(queue.stats().starvedMs).toBe(0);
  });

  // Short episodes (a waiter served at once) make the stats time only one episode in 16 and count
  // it 16-fold; a long episode that falls between two timed ones must still show up, as
  // stats/waitEpisodes.ts promises ("timed every time when they are long").
  it("a long consumer wait is counted even right after a burst of µs-short waits", async () => {
    const queue = new BoundedQueue<number>(1);
    for (let k = 0; k < 5; k++) {
      const served = queue.get();
      queue.tryPut(k);
      await served;
    }
    const before = queue.stats().starvedMs;
    const waiting = queue.get();
    await sleep(30);
    const during = queue.stats().starvedMs - before;
    queue.tryPut(99);
    await waiting;
    const after = queue.stats().starvedMs - before;
    expect(Math.min(during, after), `starvedMs grew by ${during} ms during and ${after} ms after a 30 ms wait`).toBeGreaterThanOrEqual(20);
  });

  it("a long producer wait is counted even right after a burst of µs-short waits", async () => {
    const queue = new BoundedQueue<number>(1);
    for (let k = 0; k < 5; k++) {
      queue.tryPut(k);
      const blocked = queue.put(k);
      queue.tryGet();
      await blocked;
      queue.tryGet();
    }
    const before = queue.stats().blockedMs;
    queue.tryPut(1);
    const blocked = queue.put(2);
    await sleep(30);
    const during = queue.stats().blockedMs - before;
    queue.tryGet();
    await blocked;
    const after = queue.stats().blockedMs - before;
    expect(Math.min(during, after), `blockedMs grew by ${during} ms during and ${after} ms after a 30 ms wait`).toBeGreaterThanOrEqual(20);
  });
});
