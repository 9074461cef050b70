// A pool op that holds its worker thread for `ms` without using the CPU, as a synchronous read
// does: analysis tests measure thread-bound stages with it, and what they measure then depends on
// the pool's threads rather than on how much CPU a loaded machine lends them.
const cell = new Int32Array(new SharedArrayBuffer(4));

export function holdThread(item, { ms }) {
  Atomics.wait(cell, 0, 0, ms);
  return item;
}
