import { resolve } from "node:path";
import { ConfigError } from "../../engine/errors.js";
import { RemoteWorker } from "../../engine/remote/worker/remoteWorker.js";
import { ExitCode } from "./exitCodes.js";
import { interruptedExitCode, type InterruptSignal, type InterruptSource } from "./interrupts.js";
import type { CliIo } from "./output.js";

export interface WorkerCommandOptions {
  redis?: string;
  threads?: number;
  name?: string;
  root?: string;
}

export interface WorkerDependencies {
  io: CliIo;
  interrupts: InterruptSource;
  exitNow: (code: ExitCode) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * `pipeline-studio worker`: serves the remote stages of every run on one Redis until Ctrl-C or
 * SIGTERM, then lets its running jobs finish (a second signal quits at once; the jobs it held
 * are taken by another worker once their locks expire).
 */
export async function workerCommand(options: WorkerCommandOptions, deps: WorkerDependencies): Promise<ExitCode> {
  const env = deps.env ?? process.env;
  const redis = options.redis ?? env.PIPELINE_STUDIO_REDIS;
  if (!redis) {
    deps.io.stderr.write("pipeline-studio worker: name the Redis with --redis redis://host:6379 (or set PIPELINE_STUDIO_REDIS)\n");
    return ExitCode.usage;
  }
  // Tests and demos shorten the recovery from a dead worker (default about 15 s).
  const lockMs = env.PIPELINE_STUDIO_WORKER_LOCK_MS ? Number(env.PIPELINE_STUDIO_WORKER_LOCK_MS) : undefined;
  let worker: RemoteWorker;
  try {
    worker = await RemoteWorker.start({
      redis,
      threads: options.threads,
      name: options.name,
      root: resolve(options.root ?? "."),
      log: (line) => deps.io.stderr.write(`${line}\n`),
      ...(lockMs !== undefined && lockMs > 0 ? { lockDurationMs: lockMs, stalledIntervalMs: Math.max(500, lockMs / 2) } : {}),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    deps.io.stderr.write(`pipeline-studio ${error.message}\n`);
    return ExitCode.failure;
  }
  deps.io.stdout.write(`Worker ${worker.name} ready: ${worker.url}, ${worker.threads} threads\n`);
  const signal = await new Promise<InterruptSignal>((resolveSignal) => {
    const unsubscribe = deps.interrupts({
      first: (received) => {
        deps.io.stderr.write(`Worker ${worker.name} stopping: running jobs finish (a second signal quits at once)\n`);
        resolveSignal(received);
      },
      second: (received) => {
        unsubscribe();
        deps.exitNow(interruptedExitCode(received));
      },
    });
  });
  await worker.close();
  deps.io.stderr.write(`Worker ${worker.name} stopped\n`);
  return interruptedExitCode(signal);
}
