/** Raw-piscina worker: piscina calls the default export with the task; params come in workerData. */
import { workerData } from "node:worker_threads";
import { spin, type SpinParams } from "./cpu.js";

const params = workerData as SpinParams;

export default function spinTask(item: number): number {
  return spin(item, params);
}
