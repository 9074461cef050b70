import type { PipelineFile } from "../../engine/spec/index.js";
import { UsageError } from "./exitCodes.js";

/** `run` and `tune` take the sink's consumer from the command line: `--consumer-step-ms MS [--consumer-batch N]`. */
export interface ConsumerOptions {
  consumerStepMs?: number;
  consumerBatch?: number;
}

/** --consumer-step-ms / --consumer-batch set the sink's consumer (a batch alone changes the file's consumer's batch). */
export function withConsumer(spec: PipelineFile, options: ConsumerOptions, applied: string[]): PipelineFile {
  if (options.consumerStepMs === undefined && options.consumerBatch === undefined) return spec;
  const sink = spec.nodes.find((node) => node.kind === "sink");
  const stepMs = options.consumerStepMs ?? sink?.consumer?.stepMs;
  if (!sink || stepMs === undefined) throw new UsageError("--consumer-batch needs --consumer-step-ms (the file's sink has no consumer)");
  const consumer = { stepMs, batch: options.consumerBatch ?? sink.consumer?.batch ?? 1 };
  applied.push(`${sink.id}.consumer=${consumer.stepMs} ms per ${consumer.batch}`);
  return { ...spec, nodes: spec.nodes.map((node) => (node === sink ? { ...node, consumer } : node)) };
}
