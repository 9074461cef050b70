/**
 * The remote executor of one run: connects to the run's Redis (refusing to start, with the URL in
 * the message, when it cannot), opens one BullMQ queue per remote stage, announces the stages to
 * the workers on the control channel (and in a key with a TTL that workers joining later read),
 * and keeps the run's figures about its workers. Stage code sees only submit().
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Redis, RedisOptions } from "ioredis";
import { ConfigError, RemoteUnavailableError } from "../errors.js";
import type { RemoteTask } from "../opTypes.js";
import { describeCode } from "./code.js";
import {
  CONTROL_CHANNEL,
  DEFAULT_DEADLINE_MS,
  RUN_HEARTBEAT_MS,
  RUN_KEY_TTL_MS,
  runKey,
  type AnnouncedStage,
  type ControlMessage,
  type RunAnnouncement,
} from "./protocol.js";
import { DEFAULT_CONNECT_TIMEOUT_MS, probeRedis, redactRedisUrl, redisOptionsFromUrl } from "./redisUrl.js";
import type { RedisConnection, RemoteStageSnapshot } from "../stats/snapshot.js";
import type { RemoteStageQueue } from "./remoteStageQueue.js";
import { WorkerRegistry } from "./workerRegistry.js";

export interface RemoteOptions {
  /** redis://[:password@]host:port, rediss://…, or unix:///path/redis.sock. */
  redis: string;
  /** A call's deadline when its stage has no timeoutMs (default 60 s: above a dead worker's recovery). */
  deadlineMs?: number;
  /** How long start() waits for Redis before it gives up (default 5 s). */
  connectTimeoutMs?: number;
}

const POLL_MS = 1_000;
/** Redis away for longer than this reads "lost" rather than "reconnecting". */
const REDIS_LOST_AFTER_MS = 5_000;

interface StagePlan {
  name: string;
  task: RemoteTask;
  deadlineMs: number;
  threads: number | null;
  queue?: RemoteStageQueue;
}

export class RemoteExecutor {
  readonly runId = `${Date.now().toString(36)}${randomBytes(4).toString("hex")}`;
  private readonly plans = new Map<string, StagePlan>();
  private readonly connection: RedisOptions;
  private redis: Redis | undefined;
  private readonly registry: WorkerRegistry;
  private started: Promise<void> | undefined;
  private timers: NodeJS.Timeout[] = [];
  private closing: Promise<void> | undefined;
  /** When the connection to Redis last stopped being ready (0 while it is). */
  private lostSince = 0;
  /** Redis has answered this run at least once (before that the connection is "connecting"). */
  private wasReady = false;
  /** Called once if Redis stays away longer than the calls' deadline: the run cannot go on. */
  onLost: ((error: RemoteUnavailableError) => void) | undefined;

  constructor(
    private readonly options: RemoteOptions,
    /** The run's clock (its snapshots' elapsedMs): worker events are placed on it. */
    elapsedMs: () => number = () => 0,
  ) {
    this.connection = redisOptionsFromUrl(options.redis);
    this.registry = new WorkerRegistry(() => this.redis, elapsedMs);
  }

  get url(): string {
    return redactRedisUrl(this.options.redis);
  }

  /** A remote stage of this run; its calls go through submit() once start() resolved. */
  addStage(name: string, task: RemoteTask, timeoutMs: number | undefined): void {
    this.plans.set(name, { name, task, deadlineMs: timeoutMs ?? this.options.deadlineMs ?? DEFAULT_DEADLINE_MS, threads: null });
  }

  /** Connects, opens the stages' queues and announces them. Rejects with RemoteUnavailableError naming the URL. */
  start(): Promise<void> {
    this.started ??= this.open();
    return this.started;
  }

  private async open(): Promise<void> {
    const firstStage = [...this.plans.keys()][0] ?? "remote";
    const codes = await Promise.all([...this.plans.values()].map((plan) => describeCode(plan.name, plan.task.code)));
    await this.probe(firstStage);
    // BullMQ and ioredis load only when a run has a remote stage: importing them takes a few hundred ms.
    const [{ Redis }, { RemoteStageQueue }] = await Promise.all([import("ioredis"), import("./remoteStageQueue.js")]);
    const redis = new Redis({ ...this.connection, maxRetriesPerRequest: null, connectionName: `pipeline-studio-run-${this.runId}` });
    redis.on("error", () => {
      // Reconnection is automatic; calls meanwhile wait up to their deadline.
    });
    redis.on("close", () => (this.lostSince ||= Date.now()));
    redis.on("ready", () => {
      this.lostSince = 0;
      this.wasReady = true;
    });
    this.redis = redis;
    let index = 0;
    for (const [i, plan] of [...this.plans.values()].entries()) {
      const queue = new RemoteStageQueue(plan.name, `r${this.runId}-s${index++}`, codes[i], redis, this.connection, plan.deadlineMs);
      this.registry.watch(queue.queueName);
      queue.onJobStalled = (jobId, worker) =>
        this.registry.record(
          queue.queueName,
          "jobStalled",
          worker ?? "",
          `job ${jobId} stalled${worker ? ` on ${worker}` : ""}: its lock expired, so another worker takes it`,
        );
      plan.queue = queue;
    }
    try {
      await Promise.all(this.queues().map((queue) => queue.open()));
      await this.announce();
      await redis.publish(CONTROL_CHANNEL, JSON.stringify({ type: "announce", runId: this.runId } satisfies ControlMessage));
    } catch (error) {
      await this.close();
      throw new RemoteUnavailableError(
        firstStage,
        `Redis at ${this.url} failed while the run opened its queues: ${(error as Error).message}`,
      );
    }
    this.timers = [
      setInterval(() => void this.announce().catch(() => undefined), RUN_HEARTBEAT_MS),
      setInterval(() => void this.poll(), POLL_MS),
    ];
    for (const timer of this.timers) timer.unref();
    void this.poll();
  }

  private async probe(stage: string): Promise<void> {
    const reason = await probeRedis(this.connection, this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    if (reason === null) return;
    throw new RemoteUnavailableError(
      stage,
      `Cannot reach Redis at ${this.url} for remote stage '${stage}': ${reason}. Start Redis there, or give another with run --redis URL or PIPELINE_STUDIO_REDIS`,
    );
  }

  private announcement(): RunAnnouncement {
    const stages: AnnouncedStage[] = [...this.plans.values()].map((plan) => ({
      queue: plan.queue!.queueName,
      stage: plan.name,
      code: plan.queue!.code,
      threads: plan.threads,
    }));
    return { runId: this.runId, from: `${hostname()}:${process.pid}`, stages };
  }

  private async announce(): Promise<void> {
    await this.redis!.set(runKey(this.runId), JSON.stringify(this.announcement()), "PX", RUN_KEY_TTL_MS);
  }

  private queues(): RemoteStageQueue[] {
    return [...this.plans.values()].flatMap((plan) => (plan.queue ? [plan.queue] : []));
  }

  private async poll(): Promise<void> {
    this.checkLost();
    await Promise.allSettled([this.registry.refresh(), ...this.queues().flatMap((queue) => [queue.poll(), queue.reconcile()])]);
  }

  /** Redis gone for longer than every remote call's deadline: no call can succeed, so the run fails, saying so. */
  private checkLost(): void {
    if (this.lostSince === 0 || !this.onLost || this.closing) return;
    const awayMs = Date.now() - this.lostSince;
    const deadlineMs = Math.max(...[...this.plans.values()].map((plan) => plan.deadlineMs));
    if (awayMs < deadlineMs) return;
    const stage = [...this.plans.keys()][0];
    const onLost = this.onLost;
    this.onLost = undefined;
    onLost(
      new RemoteUnavailableError(
        stage,
        `Lost Redis at ${this.url}: unreachable for ${Math.round(awayMs / 1000)} s, longer than the remote calls' deadline (${deadlineMs} ms); the run cannot go on`,
      ),
    );
  }

  submit(stage: string, item: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    const queue = this.plans.get(stage)?.queue;
    if (!queue) return Promise.reject(new Error(`Stage '${stage}': the remote executor is not open`));
    return queue.submit(item, signal);
  }

  /** Live knob: jobs each worker serving `stage` runs at once; running workers follow within a moment. */
  setWorkerThreads(stage: string, threads: number): void {
    const plan = this.plans.get(stage);
    if (!plan)
      throw new ConfigError(
        `setWorkerThreads: '${stage}' is not a remote stage (remote stages: ${[...this.plans.keys()].join(", ") || "none"})`,
      );
    plan.threads = threads;
    const redis = this.redis;
    if (!redis || !plan.queue) return;
    const message: ControlMessage = { type: "threads", runId: this.runId, queue: plan.queue.queueName, threads };
    void this.announce()
      .then(() => redis.publish(CONTROL_CHANNEL, JSON.stringify(message)))
      .catch(() => undefined);
  }

  snapshot(stage: string): RemoteStageSnapshot | null {
    const plan = this.plans.get(stage);
    if (!plan?.queue) return null;
    const queue = plan.queue;
    const workers = this.registry.forQueue(queue.queueName);
    for (const worker of workers) worker.done = queue.doneByWorker.get(worker.name) ?? 0;
    for (const [name, done] of queue.doneByWorker) {
      // A worker that came and went between two readings of the registry.
      if (!workers.some((worker) => worker.name === name)) {
        workers.push({
          name,
          host: "",
          threads: 0,
          busy: 0,
          done,
          itemsPerSecond: 0,
          heartbeatAgeMs: 0,
          refused: null,
          connected: false,
          stalled: false,
        });
      }
    }
    workers.sort((a, b) => a.name.localeCompare(b.name));
    return {
      ...queue.stats(),
      workerThreads: plan.threads,
      workerSlots: workers.reduce((sum, worker) => sum + (worker.refused || !worker.connected ? 0 : worker.threads), 0),
      workers,
      redisUrl: this.url,
      ...this.connectionState(),
      redisStatus: this.redis?.status ?? "connecting",
      lastError: queue.lastError?.message ?? null,
      workerEvents: this.registry.events(queue.queueName),
    };
  }

  private connectionState(): { redisConnection: RedisConnection; redisAwayMs: number } {
    if (this.closing) return { redisConnection: "closed", redisAwayMs: 0 };
    if (this.redis?.status === "ready") return { redisConnection: "connected", redisAwayMs: 0 };
    if (!this.wasReady) return { redisConnection: "connecting", redisAwayMs: 0 };
    const awayMs = this.lostSince === 0 ? 0 : Date.now() - this.lostSince;
    return { redisConnection: awayMs >= REDIS_LOST_AFTER_MS ? "lost" : "reconnecting", redisAwayMs: awayMs };
  }

  /** The workers that served each stage (for run reports). */
  workersByStage(): Record<string, string[]> {
    const served: Record<string, string[]> = {};
    for (const plan of this.plans.values()) if (plan.queue) served[plan.name] = [...plan.queue.doneByWorker.keys()].sort();
    return served;
  }

  /** Ends the run's remote side: waiting jobs removed, late results ignored, the workers told, connections closed. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const timer of this.timers) clearInterval(timer);
      const redis = this.redis;
      if (redis && redis.status === "ready") {
        await this.registry.refresh().catch(() => undefined);
        const ended: RunAnnouncement = { ...this.announcement(), ended: true };
        await redis.set(runKey(this.runId), JSON.stringify(ended), "PX", RUN_KEY_TTL_MS).catch(() => undefined);
        await redis
          .publish(CONTROL_CHANNEL, JSON.stringify({ type: "end", runId: this.runId } satisfies ControlMessage))
          .catch(() => undefined);
      }
      if (redis && redis.status !== "ready") redis.disconnect();
      await Promise.allSettled(this.queues().map((queue) => queue.close()));
      redis?.disconnect();
    })();
    return this.closing;
  }
}
