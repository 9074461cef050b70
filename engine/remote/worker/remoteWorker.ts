/**
 * A worker process's core (`pipeline-studio worker`): it serves every run on one Redis. Runs
 * announce their remote stages (a key per run with a TTL, and a message on the control channel);
 * the worker checks it has the same code, opens a BullMQ Worker per stage queue, and closes it
 * when the run ends or its announcement expires (the run's process died). Jobs run on the
 * worker's own thread pool, up to its threads at once; it publishes its state every second.
 */
import { availableParallelism, hostname } from "node:os";
import { Queue, Worker, type ConnectionOptions, type Job } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { SIZE_BOUNDS } from "../../bounds.js";
import { ConfigError } from "../../errors.js";
import { WorkerPool } from "../../pool/workerPool.js";
import { PACKAGE_VERSION, resolveCode } from "../code.js";
import {
  BULL_PREFIX,
  CONTROL_CHANNEL,
  LOCK_DURATION_MS,
  RUN_KEY_PATTERN,
  STALLED_INTERVAL_MS,
  WORKER_HEARTBEAT_MS,
  WORKER_KEY_TTL_MS,
  workerKey,
  type AnnouncedStage,
  type ControlMessage,
  type JobData,
  type RunAnnouncement,
  type WorkerState,
} from "../protocol.js";
import { probeRedis, redactRedisUrl, redisOptionsFromUrl } from "../redisUrl.js";
import { runJob } from "./jobRunner.js";

export interface RemoteWorkerOptions {
  redis: string;
  /** Jobs run at once (each on a thread of its own). Default: the machine's cores. */
  threads?: number;
  /** Default: host-pid. */
  name?: string;
  /** Module paths in jobs resolve under this folder. Default: the working directory. */
  root?: string;
  /** Where the worker says what it does (refusals, runs served). Default: stderr. */
  log?: (line: string) => void;
  /** A dead worker's jobs are taken again after about lockDuration + stalledInterval (default 10 s + 5 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

interface ServedQueue {
  runId: string;
  stage: AnnouncedStage;
  worker: Worker | null;
  refused: string | null;
  threads: number;
  busy: number;
  done: number;
}

const SYNC_MS = 2_000;

export class RemoteWorker {
  readonly name: string;
  readonly threads: number;
  readonly url: string;
  private readonly root: string;
  private readonly connection: RedisOptions;
  private readonly log: (line: string) => void;
  private readonly served = new Map<string, ServedQueue>();
  private readonly pool: WorkerPool;
  private readonly startedAt = Date.now();
  private redis!: Redis;
  private subscriber!: Redis;
  private timers: NodeJS.Timeout[] = [];
  private closing: Promise<void> | undefined;
  private syncing: Promise<void> = Promise.resolve();
  /** Runs that said they ended (rather than whose announcement merely expired): their queues may be cleaned. */
  private readonly ended = new Set<string>();

  private constructor(private readonly options: RemoteWorkerOptions) {
    this.url = redactRedisUrl(options.redis);
    this.connection = redisOptionsFromUrl(options.redis);
    this.threads = options.threads ?? Math.min(availableParallelism(), SIZE_BOUNDS.numThreads.max);
    if (!Number.isInteger(this.threads) || this.threads < 1 || this.threads > SIZE_BOUNDS.numThreads.max) {
      throw new ConfigError(`worker: --threads must be an integer from 1 to ${SIZE_BOUNDS.numThreads.max}, got ${options.threads}`);
    }
    this.name = options.name ?? `${hostname()}-${process.pid}`;
    if (!/^[\w.@-]+$/.test(this.name))
      throw new ConfigError(`worker: --name may hold letters, digits and . _ - @ only, got "${this.name}"`);
    this.root = options.root ?? process.cwd();
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.pool = new WorkerPool({ numThreads: this.threads, maxThreads: SIZE_BOUNDS.numThreads.max, batchBelowMs: 0 });
  }

  /** Connects (a clear error naming the URL if Redis does not answer), then serves the runs already announced. */
  static async start(options: RemoteWorkerOptions): Promise<RemoteWorker> {
    const worker = new RemoteWorker(options);
    try {
      await worker.open();
    } catch (error) {
      await worker.close();
      throw error;
    }
    return worker;
  }

  private async open(): Promise<void> {
    const reason = await probeRedis(this.connection);
    if (reason !== null) throw new ConfigError(`worker: cannot reach Redis at ${this.url}: ${reason}`);
    this.redis = new Redis({ ...this.connection, maxRetriesPerRequest: null, connectionName: `pipeline-studio-worker-${this.name}` });
    this.subscriber = new Redis({ ...this.connection, maxRetriesPerRequest: null });
    let lastLogged = "";
    const onError = (error: Error) => {
      // ioredis retries by itself; say each distinct trouble once rather than every retry.
      if (error.message !== lastLogged) this.log(`Worker ${this.name}: Redis at ${this.url}: ${(lastLogged = error.message)}`);
    };
    this.redis.on("error", onError);
    this.subscriber.on("error", onError);
    this.subscriber.on("message", (_channel: string, message: string) => this.onControl(message));
    await this.subscriber.subscribe(CONTROL_CHANNEL);
    await this.publishState();
    await this.sync();
    this.timers = [
      setInterval(() => void this.publishState().catch(() => undefined), WORKER_HEARTBEAT_MS),
      setInterval(() => void this.sync(), SYNC_MS),
    ];
  }

  private onControl(text: string): void {
    let message: ControlMessage;
    try {
      message = JSON.parse(text) as ControlMessage;
    } catch {
      return;
    }
    if (message.type === "end") this.ended.add(message.runId);
    if (message.type === "threads") {
      const served = this.served.get(message.queue);
      if (served) this.setThreads(served, message.threads);
      return;
    }
    void this.sync();
  }

  /** Brings the served queues in line with the runs announced in Redis (also catches messages missed while away). */
  private sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.syncOnce()).catch((error: Error) => this.log(`Worker ${this.name}: ${error.message}`));
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    if (this.closing || this.redis.status !== "ready") return;
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await this.redis.scan(cursor, "MATCH", RUN_KEY_PATTERN, "COUNT", 200);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== "0");
    const runs = (keys.length > 0 ? await this.redis.mget(keys) : []).flatMap((value) =>
      value ? [JSON.parse(value) as RunAnnouncement] : [],
    );
    const announced = new Set<string>();
    for (const run of runs) {
      if (run.ended) {
        this.ended.add(run.runId);
        continue;
      }
      for (const stage of run.stages) {
        announced.add(stage.queue);
        const served = this.served.get(stage.queue);
        if (!served) this.serve(run, stage);
        else if (stage.threads !== null && stage.threads !== served.threads) this.setThreads(served, stage.threads);
      }
    }
    const ended = [...this.served.values()].filter((served) => !announced.has(served.stage.queue));
    await Promise.all(ended.map((served) => this.stopServing(served)));
    const servedRuns = new Set([...this.served.values()].map((served) => served.runId));
    for (const runId of this.ended) if (!servedRuns.has(runId)) this.ended.delete(runId);
  }

  private serve(run: RunAnnouncement, stage: AnnouncedStage): void {
    const resolved = resolveCode(stage.code, this.root);
    const served: ServedQueue = {
      runId: run.runId,
      stage,
      worker: null,
      refused: null,
      threads: stage.threads ?? this.threads,
      busy: 0,
      done: 0,
    };
    this.served.set(stage.queue, served);
    if ("refused" in resolved) {
      served.refused = resolved.refused;
      served.threads = 0;
      this.log(`Worker ${this.name} refuses stage '${stage.stage}' of run ${run.runId} from ${run.from}: ${resolved.refused}`);
      return;
    }
    const context = { worker: this.name, queue: stage.queue, task: resolved.task, pool: this.pool, redis: this.redis };
    const worker = new Worker<JobData>(
      stage.queue,
      async (job: Job<JobData>) => {
        served.busy++;
        try {
          return await runJob(job, context);
        } finally {
          served.busy--;
          served.done++;
        }
      },
      {
        connection: this.connection as ConnectionOptions,
        prefix: BULL_PREFIX,
        concurrency: served.threads,
        lockDuration: this.options.lockDurationMs ?? LOCK_DURATION_MS,
        stalledInterval: this.options.stalledIntervalMs ?? STALLED_INTERVAL_MS,
        // A job whose workers keep dying is retried by the pipeline's policy, not forever here.
        maxStalledCount: 2,
        name: this.name,
      },
    );
    worker.on("error", (error: Error) => this.log(`Worker ${this.name}, stage '${stage.stage}': ${error.message}`));
    served.worker = worker;
    this.fitPool();
    this.log(`Worker ${this.name} serves stage '${stage.stage}' of run ${run.runId} from ${run.from} (${served.threads} at once)`);
  }

  private setThreads(served: ServedQueue, threads: number): void {
    if (!served.worker || threads < 1 || threads > SIZE_BOUNDS.numThreads.max) return;
    served.threads = threads;
    served.worker.concurrency = threads;
    this.fitPool();
  }

  /** The pool has as many threads as the busiest stage may run jobs at once. */
  private fitPool(): void {
    const wanted = Math.max(this.threads, ...[...this.served.values()].map((served) => served.threads));
    if (wanted !== this.pool.numThreads) this.pool.setNumThreads(Math.min(wanted, this.pool.maxThreads));
  }

  private async stopServing(served: ServedQueue): Promise<void> {
    this.served.delete(served.stage.queue);
    if (!served.worker) return;
    // The run is over: its results are no longer awaited, so running jobs need not finish.
    await served.worker.close(true).catch(() => undefined);
    this.fitPool();
    this.log(`Worker ${this.name} done with stage '${served.stage.stage}' of run ${served.runId}: ${served.done} jobs`);
    // Only a run that said it ended: an announcement that expired may belong to a run that is merely slow.
    if (!this.ended.has(served.runId)) return;
    // A job that finished after the run removed its queue left a few keys behind (its result, an event): remove them too.
    const leftovers = new Queue(served.stage.queue, { connection: this.redis, prefix: BULL_PREFIX, skipMetasUpdate: true });
    await leftovers.obliterate({ force: true }).catch(() => undefined);
    await leftovers.close().catch(() => undefined);
  }

  state(): WorkerState {
    const queues: WorkerState["queues"] = {};
    let busy = 0;
    let done = 0;
    for (const served of this.served.values()) {
      queues[served.stage.queue] = {
        busy: served.busy,
        done: served.done,
        threads: served.threads,
        ...(served.refused ? { refused: served.refused } : {}),
      };
      busy += served.busy;
      done += served.done;
    }
    return {
      name: this.name,
      host: hostname(),
      pid: process.pid,
      threads: this.pool.numThreads,
      busy,
      done,
      startedAt: this.startedAt,
      heartbeatAt: Date.now(),
      version: PACKAGE_VERSION,
      queues,
    };
  }

  private async publishState(): Promise<void> {
    await this.redis.set(workerKey(this.name), JSON.stringify(this.state()), "PX", WORKER_KEY_TTL_MS);
  }

  /** Stops taking jobs, lets running ones finish, leaves Redis. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const timer of this.timers) clearInterval(timer);
      await this.syncing.catch(() => undefined);
      await Promise.allSettled([...this.served.values()].map((served) => served.worker?.close()));
      this.served.clear();
      if (this.redis?.status === "ready") await this.redis.del(workerKey(this.name)).catch(() => undefined);
      this.redis?.disconnect();
      this.subscriber?.disconnect();
      await this.pool.destroy();
    })();
    return this.closing;
  }
}
