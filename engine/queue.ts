import { performance } from "node:perf_hooks";
import { WaitEpisodes } from "./stats/waitEpisodes.js";

/** Returned by tryGet when nothing is buffered. */
export const EMPTY: unique symbol = Symbol("queue.empty");
/** Returned by get/tryGet once the queue is closed and drained, or cancelled. */
export const END: unique symbol = Symbol("queue.end");

export type Taken<T> = T | typeof END;

/** Receives the position (0, 1, 2, …) of the item a get took, counted at the moment it is taken. */
export interface TakeTicket {
  index: number;
}

interface Getter<T> {
  resolve: (value: Taken<T>) => void;
  ticket: TakeTicket | undefined;
  /** Set when a getItem timeout gave up on this waiter: it must not receive an item. */
  abandoned: boolean;
}

interface Putter<T> {
  item: T;
  resolve: (accepted: boolean) => void;
}

export interface QueueStats {
  depth: number;
  capacity: number;
  puts: number;
  /** ms during which at least one consumer waited on an empty queue. */
  starvedMs: number;
  /** ms during which at least one producer waited on a full queue. */
  blockedMs: number;
}

/**
 * A bounded FIFO between two stages, with backpressure both ways.
 *
 * The hot path (tryGet / tryPut) takes no promise and reads no clock; waiting paths do both, so
 * wait times are exact while a free-flowing queue costs a few array operations per item.
 * A queue may have several producers (a merge); it ends when the last one closes it.
 */
export class BoundedQueue<T> {
  private readonly ring: (T | undefined)[];
  private head = 0;
  private size = 0;
  private readonly getters: Getter<T>[] = [];
  private readonly putters: Putter<T>[] = [];
  private openProducers = 1;
  private cancelled = false;
  /** The error a producer closed with: the stage downstream passes it on after draining. */
  closeError: Error | undefined;

  private puts = 0;
  /** Items taken so far: gives input-order stages the sequence of each item they take. */
  private taken = 0;
  private readonly starved = new WaitEpisodes();
  private readonly blocked = new WaitEpisodes();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity must be an integer ≥ 1, got ${capacity}`);
    this.ring = new Array<T | undefined>(capacity);
  }

  /** Sets how many producers must close() before the queue ends (more than one after a merge). */
  expectProducers(producers: number): void {
    this.openProducers = producers;
  }

  get depth(): number {
    return this.size;
  }

  get ended(): boolean {
    return this.cancelled || (this.openProducers === 0 && this.size === 0);
  }

  /**
   * Takes an item without waiting: EMPTY if none is buffered yet, END once closed and drained.
   * A ticket receives the item's position in take order (a waiting getter's continuation may
   * run after a later tryGet, so the order callers resume in is not the order items left).
   */
  tryGet(ticket?: TakeTicket): Taken<T> | typeof EMPTY {
    if (this.size === 0) return this.openProducers === 0 || this.cancelled ? END : EMPTY;
    if (ticket) ticket.index = this.taken;
    this.taken++;
    const item = this.ring[this.head] as T;
    this.ring[this.head] = undefined;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    this.size--;
    if (this.putters.length > 0) this.admitPutter();
    return item;
  }

  /** Waits for an item; END once closed and drained. */
  get(ticket?: TakeTicket): Promise<Taken<T>> {
    const taken = this.tryGet(ticket);
    if (taken !== EMPTY) return Promise.resolve(taken);
    return new Promise((resolve) => this.addGetter({ resolve, ticket, abandoned: false }));
  }

  /**
   * Like get(), but gives up after timeoutMs. A timed-out call takes nothing: the waiter is
   * withdrawn before the next put, so no item can be lost to it.
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
        ticket: undefined,
        abandoned: false,
      };
      const timer = setTimeout(() => {
        getter.abandoned = true;
        this.removeGetter(getter);
        resolve(EMPTY);
      }, timeoutMs);
      this.addGetter(getter);
    });
  }

  /** Puts without waiting; false when full. Items put after cancel() are dropped (returns true). */
  tryPut(item: T): boolean {
    if (this.cancelled) return true;
    while (this.getters.length > 0) {
      const getter = this.getters.shift()!;
      if (getter.abandoned) continue;
      if (this.getters.length === 0) this.starved.end();
      this.puts++;
      if (getter.ticket) getter.ticket.index = this.taken;
      this.taken++;
      getter.resolve(item);
      return true;
    }
    if (this.size === this.capacity) return false;
    this.pushItem(item);
    return true;
  }

  /** Waits for room. Resolves false if the queue was cancelled (the item was discarded). */
  put(item: T): Promise<boolean> {
    if (this.tryPut(item)) return Promise.resolve(!this.cancelled);
    return new Promise((resolve) => {
      if (this.putters.length === 0) this.blocked.begin();
      this.putters.push({ item, resolve });
    });
  }

  /** One producer is done; the queue ends when all are, after its items are taken. */
  close(error?: Error): void {
    if (error && !this.closeError) this.closeError = error;
    if (this.openProducers > 0) this.openProducers--;
    if (this.openProducers === 0 && this.size === 0) this.releaseGetters();
  }

  /** Drops everything and releases every waiter: getters see END, putters see false. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.ring.fill(undefined);
    this.size = 0;
    if (this.putters.length > 0) this.blocked.end();
    for (const putter of this.putters.splice(0)) putter.resolve(false);
    this.releaseGetters();
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  stats(): QueueStats {
    const now = performance.now();
    return {
      depth: this.size,
      capacity: this.capacity,
      puts: this.puts,
      starvedMs: this.starved.elapsedMs(now),
      blockedMs: this.blocked.elapsedMs(now),
    };
  }

  private pushItem(item: T): void {
    let tail = this.head + this.size;
    if (tail >= this.capacity) tail -= this.capacity;
    this.ring[tail] = item;
    this.size++;
    this.puts++;
  }

  private admitPutter(): void {
    const putter = this.putters.shift()!;
    if (this.putters.length === 0) this.blocked.end();
    this.pushItem(putter.item);
    putter.resolve(true);
  }

  private addGetter(getter: Getter<T>): void {
    if (this.getters.length === 0) this.starved.begin();
    this.getters.push(getter);
  }

  private removeGetter(getter: Getter<T>): void {
    const index = this.getters.indexOf(getter);
    if (index < 0) return;
    this.getters.splice(index, 1);
    if (this.getters.length === 0) this.starved.end();
  }

  private releaseGetters(): void {
    if (this.getters.length === 0) return;
    this.starved.end();
    for (const getter of this.getters.splice(0)) getter.resolve(END);
  }
}
