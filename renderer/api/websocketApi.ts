import type {
  ClientMessage,
  RequestName,
  RequestParams,
  RequestResult,
  ServerMessage,
  SpecProblem,
  StudioApi,
  StudioEvent,
} from "./types.js";

export type ConnectionState = "connecting" | "open" | "closed";

/** An error answered by the host, shown to users verbatim. */
export class HostError extends Error {
  readonly problems: SpecProblem[];
  constructor(name: string, message: string, problems: SpecProblem[] = []) {
    super(message);
    this.name = name;
    this.problems = problems;
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * StudioApi over the host's WebSocket (browser mode). Requests carry ids; answers settle the
 * matching pending promise. No reconnection: when the socket closes, pending requests fail and
 * the app shows "disconnected".
 */
export class WebSocketStudioApi implements StudioApi {
  private readonly socket: WebSocket;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: StudioEvent) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly opened: Promise<void>;
  private nextId = 1;
  state: ConnectionState = "connecting";

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.addEventListener("open", () => {
        this.setState("open");
        resolve();
      });
      this.socket.addEventListener("close", () => {
        this.setState("closed");
        reject(new Error("disconnected from the host"));
        for (const [, pending] of this.pending) pending.reject(new Error("disconnected from the host"));
        this.pending.clear();
      });
    });
    this.opened.catch(() => undefined);
    this.socket.addEventListener("message", (message) => this.receive(message.data));
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  onConnectionState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private receive(data: unknown): void {
    if (typeof data !== "string") return;
    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    if (message.kind === "event") {
      for (const listener of this.listeners) listener(message.event);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new HostError(message.error.name, message.error.message, message.error.problems));
  }

  async request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<RequestResult<N>> {
    await this.opened;
    if (this.state !== "open") throw new Error("disconnected from the host");
    const id = this.nextId++;
    const message: ClientMessage = { kind: "request", id, name, params };
    return new Promise<RequestResult<N>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify(message));
    });
  }

  onEvent(listener: (event: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
