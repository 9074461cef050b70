import { NOT_WAITING, OpWaits, waitedSince, type OpWaitStats } from "./stats/opWaits.js";
import { WaitEpisodes } from "./stats/waitEpisodes.js";
import { Fifo } from "./util/fifo.js";

/** Returned by tryGet when nothing is buffered. */
export const EMPTY: unique symbol = Symbol("queue.empty");
/** Returned by get/tryGet once the queue is closed and drained, or cancelled. */
export const END: unique symbol = Symbol("queue.end");

export type Taken<T> = T | typeof END;

interface Getter<T> {
  resolve: (value: Taken<T>) => void;
  /** When it began to wait (a clock reading, or UNTIMED_WAIT). */
  since: number;
  /** Set when a getItem timeout gave up on this waiter: it must not receive an item. */
  abandoned: boolean;
}

interface Putter<T> {
  item: T;
  since: number;
  resolve: (accepted: boolean) => void;
}

export interface QueueStats {
  depth: number;
  /** 0: unbounded. */
  capacity: number;
  puts: number;
  /** ms during which a consumer wanted an item and the queue was empty. */
  starvedMs: number;
  /** ms during which a producer had an item ready and the queue was full. */
  blockedMs: number;
  /** ms during which the queue held nothing (SPDL's empty time: from a get that empties it to the next put). */
  emptyMs: number;
  /** Items taken. */
  gets: number;
  /** Per put and per get: how long each waited (SPDL's StatsQueue). */
  putWait: OpWaitStats;
  getWait: OpWaitStats;
}

/**
 * A bounded FIFO between two stages, with backpressure both ways.
 *
 * Two ways to use each end. Stages use callbacks: the consumer registers onAvailable (called
 * after every put and at the end) and takes with tryGet; producers register a space listener
 * (called when a full queue frees a slot) and put with tryPut. No promise per item: a fast
 * pipeline moves an item through a stage in well under a microsecond. Async code (an async
 * source, generator ops, getItem) uses get / put, which wait with promises.
 * A queue may have several producers (a merge); it ends when the last one closes it.
 * Capacity 0 makes it unbounded (SPDL's add_sink(0)). Its memory follows the items it holds,
 * never its capacity.
 */
export class BoundedQueue<T> {
  private readonly items = new Fifo<T>();
  /** The capacity, with 0 (unbounded) as infinity. */
  private readonly limit: number;
  private readonly getters: Getter<T>[] = [];
  private readonly putters: Putter<T>[] = [];
  private readonly spaceListeners: (() => void)[] = [];
  private openProducers = 1;
  private cancelled = false;
  /** A producer found the queue full: tell the space listeners when a slot frees. */
  private producerBlocked = false;
  /** A consumer found the queue empty: the next put ends a starved episode. */
  private consumerStarved = false;
  /** The consumer stage's callback: an item (or the end) is available. */
  onAvailable: (() => void) | null = null;
  /** The error a producer closed with: the stage downstream passes it on after draining. */
  closeError: Error | undefined;

  private puts = 0;
  /** The last few items put, for peeking at an edge (off unless keepRecent was called). */
  private recent: unknown[] | null = null;
  private recentNext = 0;
  private readonly starved = new WaitEpisodes();
  private readonly blocked = new WaitEpisodes();
  private readonly empty = new WaitEpisodes();
  private readonly putWaits = new OpWaits();
  private readonly getWaits = new OpWaits();
  private gets = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`queue capacity must be an integer ≥ 0 (0: unbounded), got ${capacity}`);
    this.limit = capacity === 0 ? Number.POSITIVE_INFINITY : capacity;
  }

  /** Sets how many producers must close() before the queue ends (more than one after a merge). */
  expectProducers(producers: number): void {
    this.openProducers = producers;
  }

  /** Remembers the last `count` items put, for recentItems(). */
  keepRecent(count: number): void {
    this.recent = count > 0 ? [] : null;
    this.recentCapacity = count;
  }

  private recentCapacity = 0;

  /** The last items put, oldest first (empty unless keepRecent was called). */
  recentItems(): unknown[] {
    const recent = this.recent;
    if (!recent) return [];
    return recent.length < this.recentCapacity ? [...recent] : [...recent.slice(this.recentNext), ...recent.slice(0, this.recentNext)];
  }

  private remember(item: unknown): void {
    const recent = this.recent!;
    if (recent.length < this.recentCapacity) recent.push(item);
    else recent[this.recentNext] = item;
    this.recentNext = (this.recentNext + 1) % this.recentCapacity;
  }

  addSpaceListener(listener: () => void): void {
    this.spaceListeners.push(listener);
  }

  get depth(): number {
    return this.items.length;
  }

  /** True if a put would not wait; otherwise the space listeners are called once a slot frees (or on cancel). */
  hasSpaceOrNotify(): boolean {
    if (this.cancelled) return false;
    if (this.items.length < this.limit) return true;
    this.markProducerBlocked();
    return false;
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** Closed by every producer (or cancelled) and drained: nothing more will come. */
  get ended(): boolean {
    return this.items.length === 0 && (this.openProducers === 0 || this.cancelled);
  }

  /** Starts the clock of SPDL's occupancy: the queue is empty until the first put. */
  startTiming(): void {
    if (this.items.length === 0) this.empty.begin();
  }

  /** The run ended: the empty time stops with the elapsed time it is a share of. */
  stopTiming(): void {
    this.empty.end();
  }

  /**
   * Takes an item without waiting: EMPTY if none is buffered yet, END once closed and drained.
   * `waitingSince`: for the per-get wait, NOT_WAITING, or what beginGetWait() returned when this
   * consumer last found the queue empty (the clock is read only if an item is taken).
   */
  tryGet(waitingSince = NOT_WAITING): Taken<T> | typeof EMPTY {
    const items = this.items;
    if (items.length === 0) return this.nothingToGet();
    const item = items.shift();
    this.gets++;
    if (waitingSince !== NOT_WAITING) this.getWaits.record(waitedSince(waitingSince));
    if (items.length === 0) this.empty.begin();
    if (this.putters.length > 0) this.admitPutter();
    if (this.producerBlocked) this.notifySpace();
    return item;
  }

  /** tryGet on an empty queue: END once closed, else the consumer starts to starve. Kept apart so tryGet stays small enough to inline. */
  private nothingToGet(): typeof END | typeof EMPTY {
    if (this.openProducers === 0 || this.cancelled) return END;
    if (!this.consumerStarved) {
      this.consumerStarved = true;
      this.starved.begin();
    }
    return EMPTY;
  }

  /** Waits for an item; END once closed and drained. */
  get(): Promise<Taken<T>> {
    const taken = this.tryGet();
    if (taken !== EMPTY) return Promise.resolve(taken);
    return new Promise((resolve) => this.getters.push({ resolve, abandoned: false, since: this.getWaits.beginWait() }));
  }

  /**
   * Like get(), but gives up after timeoutMs. A timed-out call takes nothing: its waiter is
   * withdrawn before any later put, so no item can be lost to it.
   */
  getWithin(timeoutMs: number): Promise<Taken<T> | typeof EMPTY> {
    const taken = this.tryGet();
    if (taken !== EMPTY) return Promise.resolve(taken);
    return new Promise((resolve) => {
      const getter: Getter<T> = {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        abandoned: false,
        since: this.getWaits.beginWait(),
      };
      const timer = setTimeout(() => {
        getter.abandoned = true;
        const index = this.getters.indexOf(getter);
        if (index >= 0) this.getters.splice(index, 1);
        resolve(EMPTY);
      }, timeoutMs);
      this.getters.push(getter);
    });
  }

  /**
   * Puts without waiting; false when full. Items put after cancel() are discarded (returns true).
   * `waitingSince`: for the per-put wait, NOT_WAITING, or what beginPutWait() returned when this
   * producer found the queue full (the clock is read only if the item is accepted).
   */
  tryPut(item: T, waitingSince = NOT_WAITING): boolean {
    if (this.cancelled) return true;
    if (this.consumerStarved) {
      this.consumerStarved = false;
      this.starved.end();
    }
    if (this.getters.length > 0 && this.handToGetter(item, waitingSince)) return true;
    const items = this.items;
    if (items.length >= this.limit) {
      this.markProducerBlocked();
      return false;
    }
    if (items.length === 0) this.empty.end();
    items.push(item);
    this.puts++;
    if (waitingSince !== NOT_WAITING) this.putWaits.record(waitedSince(waitingSince));
    if (this.recent) this.remember(item);
    this.onAvailable?.();
    return true;
  }

  /** An async get() is waiting: the item goes straight to it (false if every waiter had given up). */
  private handToGetter(item: T, waitingSince: number): boolean {
    while (this.getters.length > 0) {
      const getter = this.getters.shift()!;
      if (getter.abandoned) continue;
      this.puts++;
      if (waitingSince !== NOT_WAITING) this.putWaits.record(waitedSince(waitingSince));
      // Handed straight to a waiting consumer: the queue was empty and stays so.
      this.empty.end();
      this.empty.begin();
      this.gets++;
      this.getWaits.record(waitedSince(getter.since));
      if (this.recent) this.remember(item);
      getter.resolve(item);
      return true;
    }
    return false;
  }

  /** Waits for room. Resolves false if the queue was cancelled (the item was discarded). */
  put(item: T): Promise<boolean> {
    if (this.tryPut(item)) return Promise.resolve(!this.cancelled);
    return new Promise((resolve) => this.putters.push({ item, resolve, since: this.putWaits.beginWait() }));
  }

  /** One producer is done; the queue ends when all are, after its items are taken. */
  close(error?: Error): void {
    if (error && !this.closeError) this.closeError = error;
    if (this.openProducers > 0) this.openProducers--;
    if (this.openProducers === 0) this.signalEnd();
  }

  /** Drops everything and releases every waiter: getters see END, putters see false. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.items.clear();
    for (const putter of this.putters.splice(0)) putter.resolve(false);
    this.notifySpace();
    this.signalEnd();
  }

  /** A callback consumer found the queue empty: when its wait began (maybe untimed), for tryGet's waitedMs. */
  beginGetWait(): number {
    return this.getWaits.beginWait();
  }

  /** A callback producer found the queue full: when its wait began (maybe untimed), for tryPut's waitedMs. */
  beginPutWait(): number {
    return this.putWaits.beginWait();
  }

  /** Called by the stats sampler so wait timing can adapt to how often waits happen. */
  adaptTiming(now: number, sinceLastMs: number): void {
    this.getWaits.adapt(sinceLastMs);
    this.putWaits.adapt(sinceLastMs);
    this.starved.adapt(now, sinceLastMs);
    this.blocked.adapt(now, sinceLastMs);
    this.empty.adapt(now, sinceLastMs);
  }

  stats(): QueueStats {
    const now = performance.now();
    return {
      depth: this.items.length,
      capacity: this.capacity,
      puts: this.puts,
      starvedMs: this.starved.elapsedMs(now),
      blockedMs: this.blocked.elapsedMs(now),
      emptyMs: this.empty.elapsedMs(now),
      gets: this.gets,
      putWait: this.putWaits.stats(this.puts),
      getWait: this.getWaits.stats(this.gets),
    };
  }

  private admitPutter(): void {
    const putter = this.putters.shift()!;
    if (this.items.length === 0) this.empty.end();
    this.items.push(putter.item);
    this.puts++;
    this.putWaits.record(waitedSince(putter.since));
    if (this.recent) this.remember(putter.item);
    putter.resolve(true);
  }

  private markProducerBlocked(): void {
    if (this.producerBlocked) return;
    this.producerBlocked = true;
    this.blocked.begin();
  }

  private notifySpace(): void {
    if (this.producerBlocked) {
      this.producerBlocked = false;
      this.blocked.end();
    }
    for (const listener of this.spaceListeners) listener();
  }

  private signalEnd(): void {
    if (this.items.length > 0 && !this.cancelled) return;
    if (this.consumerStarved) {
      this.consumerStarved = false;
      this.starved.end();
    }
    for (const getter of this.getters.splice(0)) getter.resolve(END);
    this.onAvailable?.();
  }
}
