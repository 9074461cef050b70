/** A small StudioApi client over the ws package, for the server's tests. */
import { WebSocket } from "ws";
import type { RequestName, ServerMessage, StudioEvent } from "../../protocol.js";

export type ResponseMessage = Extract<ServerMessage, { kind: "response" }>;

export class TestClient {
  readonly events: StudioEvent[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, (message: ResponseMessage) => void>();
  private readonly eventWaiters = new Set<(event: StudioEvent) => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.kind === "event") {
        this.events.push(message.event);
        for (const waiter of this.eventWaiters) waiter(message.event);
      } else {
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
      }
    });
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once("open", () => resolve(new TestClient(ws)));
      ws.once("error", reject);
    });
  }

  /** Sends a raw text frame and waits for the response with the given id. */
  sendRaw(frame: string, id: number): Promise<ResponseMessage> {
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(frame);
    });
  }

  request(name: RequestName | string, params: unknown): Promise<ResponseMessage> {
    const id = this.nextId++;
    return this.sendRaw(JSON.stringify({ kind: "request", id, name, params }), id);
  }

  waitForEvent(predicate: (event: StudioEvent) => boolean): Promise<StudioEvent> {
    return new Promise((resolve) => {
      const waiter = (event: StudioEvent) => {
        if (!predicate(event)) return;
        this.eventWaiters.delete(waiter);
        resolve(event);
      };
      this.eventWaiters.add(waiter);
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

/** The HTTP status a refused WebSocket upgrade answers with (or "open" if it was accepted). */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number | "open"> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once("open", () => {
      ws.terminate();
      resolve("open");
    });
    ws.once("unexpected-response", (request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      request.destroy();
    });
    ws.once("error", (error) => {
      if (!/socket hang up|ECONNRESET/.test(error.message)) reject(error);
    });
  });
}
