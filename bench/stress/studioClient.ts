/** StudioApi over the app server's WebSocket, from Node (the renderer's client uses the browser's WebSocket). */
import { WebSocket } from "ws";
import type { RequestName, RequestParams, RequestResult, ServerMessage, StudioApi, StudioEvent } from "../../host/protocol.js";

export class StudioClient implements StudioApi {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Set<(event: StudioEvent) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data) => this.receive(JSON.parse(String(data)) as ServerMessage));
    ws.on("close", () => {
      for (const pending of this.pending.values()) pending.reject(new Error("the server closed the connection"));
      this.pending.clear();
    });
  }

  /** `url` is what the server printed (http://127.0.0.1:PORT/?token=…). */
  static connect(url: string, apiPath: string): Promise<StudioClient> {
    const page = new URL(url);
    const api = `ws://${page.host}${apiPath}?token=${encodeURIComponent(page.searchParams.get("token") ?? "")}`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(api);
      ws.once("open", () => resolve(new StudioClient(ws)));
      ws.once("error", reject);
    });
  }

  request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<RequestResult<N>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.ws.send(JSON.stringify({ kind: "request", id, name, params }));
    });
  }

  onEvent(listener: (event: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.ws.close();
  }

  private receive(message: ServerMessage): void {
    if (message.kind === "event") {
      for (const listener of this.listeners) listener(message.event);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new Error(message.error.message));
  }
}
