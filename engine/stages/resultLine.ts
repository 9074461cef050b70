/**
 * Input-order results by sequence number: a growable ring from the oldest result not yet
 * emitted to the newest call started. No object per call, so nothing survives to old space.
 */
export class ResultLine {
  private values: unknown[] = new Array(16);
  private settled = new Uint8Array(16);
  private mask = 15;
  /** Sequence number of the next call to start. */
  private next = 0;
  /** Sequence number of the oldest call not yet emitted. */
  headSeq = 0;

  get isEmpty(): boolean {
    return this.headSeq === this.next;
  }

  get headSettled(): boolean {
    return this.settled[this.headSeq & this.mask] === 1;
  }

  get headValue(): unknown {
    return this.values[this.headSeq & this.mask];
  }

  /** A call starts: its sequence number. */
  open(): number {
    if (this.next - this.headSeq > this.mask) this.grow();
    return this.next++;
  }

  settle(seq: number, value: unknown): void {
    this.values[seq & this.mask] = value;
    this.settled[seq & this.mask] = 1;
  }

  shift(): void {
    const index = this.headSeq & this.mask;
    this.values[index] = undefined;
    this.settled[index] = 0;
    this.headSeq++;
  }

  clear(): void {
    this.values.fill(undefined);
    this.settled.fill(0);
    this.headSeq = this.next;
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    const values = new Array<unknown>(size);
    const settled = new Uint8Array(size);
    for (let seq = this.headSeq; seq < this.next; seq++) {
      values[seq & (size - 1)] = this.values[seq & this.mask];
      settled[seq & (size - 1)] = this.settled[seq & this.mask];
    }
    this.values = values;
    this.settled = settled;
    this.mask = size - 1;
  }
}
