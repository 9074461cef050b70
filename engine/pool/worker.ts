/**
 * The pool's worker entry: loads a task's module once, then calls its export on each item of a
 * batch as `fn(item, params)`. One item's error fails only that item; before each item it records
 * which one runs, so that if the item ends the thread, the pool knows which call to blame.
 */
import { workerData } from "node:worker_threads";
import { move, transferableSymbol, valueSymbol } from "piscina";
import { markRunning, NO_SLOT } from "./batchProgress.js";
import { serializeError, type CallResult, type WorkerBatch, type WorkerData, type WorkerReply } from "./messages.js";
import { ownedArrayBuffers } from "./transfer.js";
import { isGeneratorObject } from "../generatedValues.js";

type TaskFunction = (item: unknown, params: unknown) => unknown;

const progress = (workerData as WorkerData).progress;

const loadedExports = new Map<string, Promise<TaskFunction>>();

function loadExport(moduleUrl: string, exportName: string): Promise<TaskFunction> {
  const key = `${moduleUrl}#${exportName}`;
  let loaded = loadedExports.get(key);
  if (!loaded) {
    loaded = import(moduleUrl).then((module: Record<string, unknown>) => {
      const fn = module[exportName];
      if (typeof fn !== "function") {
        const available = Object.keys(module).filter((name) => typeof module[name] === "function");
        throw new Error(`${moduleUrl} has no exported function '${exportName}' (exports: ${available.join(", ") || "none"})`);
      }
      return fn as TaskFunction;
    });
    loadedExports.set(key, loaded);
    loaded.catch(() => loadedExports.delete(key));
  }
  return loaded;
}

export default async function runBatch(batch: WorkerBatch): Promise<unknown> {
  const fn = await loadExport(batch.moduleUrl, batch.exportName);
  const results: CallResult[] = new Array(batch.items.length);
  const transfers: ArrayBuffer[] = [];
  const slot = batch.progressSlot;
  for (let i = 0; i < batch.items.length; i++) {
    if (slot !== NO_SLOT) markRunning(progress, slot, i);
    try {
      let value = fn(batch.items[i], batch.params);
      if (value instanceof Promise) value = await value;
      if (isGeneratorObject(value)) {
        results[i] = await collect(value, transfers);
        continue;
      }
      ownedArrayBuffers(value, transfers);
      results[i] = { ok: true, value };
    } catch (error) {
      results[i] = { ok: false, error: serializeError(error) };
    }
  }
  if (slot !== NO_SLOT) markRunning(progress, slot, batch.items.length);
  const reply: WorkerReply = { results };
  if (transfers.length === 0) return reply;
  return move({ [transferableSymbol]: transfers, [valueSymbol]: reply } as never);
}

/** A generator export's values, in order (the stage emits each); what it threw after them travels too. */
async function collect(generator: Generator | AsyncGenerator, transfers: ArrayBuffer[]): Promise<CallResult> {
  const values: unknown[] = [];
  try {
    for await (const value of generator) {
      ownedArrayBuffers(value, transfers);
      values.push(value);
    }
    return { ok: true, value: values, generated: true };
  } catch (error) {
    return { ok: true, value: values, generated: true, error: serializeError(error) };
  }
}
