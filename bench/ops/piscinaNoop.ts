/** Raw-piscina worker for the tiny-op comparison: one run() per item, nothing else. */
import { noop } from "./cpu.js";

export default function noopTask(item: number): number {
  return noop(item);
}
