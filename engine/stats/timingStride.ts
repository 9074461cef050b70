import { performance } from "node:perf_hooks";

/** Above this many events a second, timing one in SAMPLED_STRIDE is precise enough and much cheaper. */
const FREQUENT_PER_SECOND = 10_000;
const SAMPLED_STRIDE = 16;
/** Every this many events the rate is judged afresh (one clock read), so a fast run samples within a millisecond. */
const JUDGE_EVERY = 256;

/**
 * Which events of one kind (waits on a queue) read the clock: every one, or one in 16 while they
 * come more than 10,000 a second — a fast pipeline has one per item, and a clock read (~65 ns)
 * would then cost more than moving the item. The rate is judged every 256 events (so sampling
 * starts early in a fast run) and by the stats sampler (adapt), so a stream that slows down is
 * timed in full again without waiting for 256 more events.
 */
export class TimingStride {
  /** `clock`: injectable for tests; read once per 256 events. */
  constructor(private readonly clock: () => number = () => performance.now()) {}

  private stride = 1;
  private countdown = 0;
  private untilJudged = 0;
  private judgedAt = 0;
  private events = 0;
  private eventsAtSample = 0;

  /** An event begins; true if it is to be timed. */
  next(): boolean {
    this.events++;
    if (--this.untilJudged <= 0) this.judge();
    if (--this.countdown > 0) return false;
    this.countdown = this.stride;
    return true;
  }

  /** How many events one timed event stands for. */
  get weight(): number {
    return this.stride;
  }

  /** Called by the stats sampler: picks the stride from the event rate since the last call. */
  adapt(sinceLastMs: number): void {
    const events = this.events - this.eventsAtSample;
    this.eventsAtSample = this.events;
    this.setFrequent(sinceLastMs > 0 && (events * 1000) / sinceLastMs > FREQUENT_PER_SECOND);
  }

  private judge(): void {
    const now = this.clock();
    const frequent = this.judgedAt !== 0 && ((now - this.judgedAt) * FREQUENT_PER_SECOND) / 1000 < JUDGE_EVERY;
    this.judgedAt = now;
    this.untilJudged = JUDGE_EVERY;
    this.setFrequent(frequent);
  }

  private setFrequent(frequent: boolean): void {
    this.stride = frequent ? SAMPLED_STRIDE : 1;
    if (this.countdown > this.stride) this.countdown = this.stride;
  }
}
