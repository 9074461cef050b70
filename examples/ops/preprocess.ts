/** The seed example's preprocessing step: synchronous CPU work, so it runs on the worker pool. */

export interface Downloaded {
  url: string;
  bytes: ArrayBuffer;
}

export interface Preprocessed {
  url: string;
  size: number;
  checksum: number;
}

/** Simulates decoding and resizing an image: ~`cpuMs` of busy CPU, then a small summary. */
export function preprocess(item: Downloaded, params: { size: number; cpuMs: number }): Preprocessed {
  const until = performance.now() + params.cpuMs;
  const view = new Uint8Array(item.bytes);
  let checksum = 0;
  while (performance.now() < until) {
    for (let i = 0; i < view.length; i += 64) checksum = (checksum * 31 + view[i]) >>> 0;
  }
  return { url: item.url, size: params.size, checksum };
}
