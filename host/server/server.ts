/**
 * Browser mode's transport: an HTTP server on 127.0.0.1 that serves the built renderer, and a
 * WebSocket endpoint (/api) that carries the StudioApi's ClientMessage / ServerMessage frames to a
 * StudioSession and broadcasts its events. A thin adapter: the session does the work.
 *
 * Security (docs/security.md, "Browser mode"): bound to 127.0.0.1 only; the WebSocket upgrade needs the
 * per-launch token (?token=…; missing → 401, wrong → 403) and refuses any Origin other than the
 * server's own (403); Host headers other than 127.0.0.1:PORT / localhost:PORT are refused (DNS
 * rebinding). The page itself carries no pipeline data, so it is served without the token.
 *
 * Frames: each text frame is one ClientMessage; the answer is one ServerMessage response with the
 * same id (a frame too broken to carry an id is answered with id -1). Requests are answered as
 * they complete, not in order; events go to every connected client.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { rendererCsp } from "../csp.js";
import type { ClientMessage, ServerMessage, StudioEvent } from "../protocol.js";
import { RequestError, answerRequest, toWireError } from "../requests.js";
import type { StudioSession } from "../session.js";
import { NOT_BUILT_PAGE, defaultRendererDir, readStaticFile, rendererIsBuilt } from "./staticFiles.js";

export const LOOPBACK_HOST = "127.0.0.1";
export const API_PATH = "/api";
/** Largest frame a client may send: an uploaded pipeline file of the 16 MiB limit, as base64, fits. */
const MAX_PAYLOAD_BYTES = 24 * 1024 * 1024;
/** A client this far behind misses live snapshots (the next one supersedes them) rather than piling them up. */
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;

export interface StudioServerOptions {
  session: StudioSession;
  /** 0 (default): any free port. */
  port?: number;
  /** The built renderer; default dist/renderer/. */
  rendererDir?: string;
  /** Default: a fresh random token (24 random bytes, base64url). */
  token?: string;
}

export interface StudioServer {
  readonly port: number;
  readonly token: string;
  /** The page with its token: what the terminal prints. */
  readonly url: string;
  readonly httpServer: Server;
  /** Connected WebSocket clients. */
  readonly clientCount: number;
  /** Disconnects every client and stops listening. Does not close the session. */
  close(): Promise<void>;
}

export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const { session } = options;
  const token = options.token ?? newToken();
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  let port = options.port ?? 0;

  const httpServer = createServer((request, response) => {
    serveStatic(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendText(response, 500, `internal error: ${(error as Error).message}`);
      else response.destroy();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });

  const allowedHosts = () => new Set([`${LOOPBACK_HOST}:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://${LOOPBACK_HOST}:${port}`, `http://localhost:${port}`]);

  function securityHeaders(): Record<string, string> {
    return {
      "Content-Security-Policy": rendererCsp({ port }),
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "X-Frame-Options": "DENY",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Resource-Policy": "same-origin",
    };
  }

  function sendText(response: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
    const body = Buffer.from(text);
    response.writeHead(status, {
      ...securityHeaders(),
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": body.length,
      "Cache-Control": "no-store",
      ...extra,
    });
    response.end(body);
  }

  async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts().has(request.headers.host ?? "")) return sendText(response, 403, "forbidden: unexpected Host header");
    if (request.method !== "GET" && request.method !== "HEAD") return sendText(response, 405, "method not allowed", { Allow: "GET, HEAD" });
    const pathname = new URL(request.url ?? "/", `http://${LOOPBACK_HOST}`).pathname;
    if (pathname === API_PATH) return sendText(response, 426, "this endpoint takes a WebSocket", { Upgrade: "websocket" });
    const isPage = pathname === "/" || pathname === "/index.html";
    if (isPage && !(await rendererIsBuilt(rendererDir))) {
      const body = Buffer.from(NOT_BUILT_PAGE);
      response.writeHead(503, {
        ...securityHeaders(),
        "Content-Type": "text/html; charset=utf-8",
        "Content-Length": body.length,
        "Cache-Control": "no-store",
      });
      response.end(request.method === "HEAD" ? undefined : body);
      return;
    }
    const file = await readStaticFile(rendererDir, pathname);
    if (!file && pathname === "/favicon.ico") {
      // browsers ask for it unprompted; no icon is not an error worth a console message
      response.writeHead(204, { ...securityHeaders(), "Cache-Control": "no-cache" });
      response.end();
      return;
    }
    if (!file) return sendText(response, 404, "not found");
    response.writeHead(200, {
      ...securityHeaders(),
      "Content-Type": file.contentType,
      "Content-Length": file.body.length,
      "Cache-Control": file.contentType.startsWith("text/html") ? "no-store" : "no-cache",
    });
    response.end(request.method === "HEAD" ? undefined : file.body);
  }

  function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
    const body = `${reason}\n`;
    socket.once("finish", () => socket.destroy());
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }

  httpServer.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    let url: URL;
    try {
      url = new URL(request.url ?? "/", `http://${LOOPBACK_HOST}`);
    } catch {
      return refuseUpgrade(socket, 400, "bad request");
    }
    if (url.pathname !== API_PATH) return refuseUpgrade(socket, 404, "not found");
    if (!allowedHosts().has(request.headers.host ?? "")) return refuseUpgrade(socket, 403, "forbidden: unexpected Host header");
    const origin = request.headers.origin;
    // Browsers always send Origin; a local non-browser client may omit it and still needs the token.
    if (origin !== undefined && !allowedOrigins().has(origin)) return refuseUpgrade(socket, 403, "forbidden: foreign Origin");
    const given = url.searchParams.get("token");
    if (!given) return refuseUpgrade(socket, 401, "unauthorized: open the URL that the terminal printed (it carries a token)");
    if (!sameToken(given, token)) return refuseUpgrade(socket, 403, "forbidden: wrong token; open the URL that the terminal printed");
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
  });

  wss.on("connection", (ws: WebSocket) => {
    ws.on("error", () => ws.terminate());
    ws.on("message", (data: RawData, isBinary: boolean) => {
      void answer(ws, data, isBinary);
    });
  });

  async function answer(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    let message: ClientMessage;
    try {
      message = parseClientMessage(data, isBinary);
    } catch (error) {
      send(ws, {
        kind: "response",
        id: error instanceof ProtocolError && error.id !== undefined ? error.id : -1,
        ok: false,
        error: toWireError(error),
      });
      return;
    }
    send(ws, { kind: "response", id: message.id, ...(await answerRequest(session, message.name, message.params)) });
  }

  function send(ws: WebSocket, message: ServerMessage): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  }

  const offEvents = session.onEvent((event: StudioEvent) => {
    if (wss.clients.size === 0) return;
    const frame = JSON.stringify({ kind: "event", event } satisfies ServerMessage);
    for (const ws of wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (event.type === "runStats" && ws.bufferedAmount > SLOW_CLIENT_BYTES) continue;
      ws.send(frame);
    }
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, LOOPBACK_HOST, () => {
      httpServer.off("error", reject);
      resolve();
    });
  }).catch((error: unknown) => {
    offEvents();
    throw error;
  });
  port = (httpServer.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    port,
    token,
    url: `http://${LOOPBACK_HOST}:${port}/?token=${token}`,
    httpServer,
    get clientCount() {
      return wss.clients.size;
    },
    close() {
      closing ??= (async () => {
        offEvents();
        for (const ws of wss.clients) ws.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

/** A frame that is not a well-formed request (bad JSON, wrong kind, no id). */
class ProtocolError extends RequestError {
  override name = "ProtocolError";
  constructor(
    message: string,
    readonly id?: number,
  ) {
    super(message);
  }
}

function parseClientMessage(data: RawData, isBinary: boolean): ClientMessage {
  if (isBinary) throw new ProtocolError("frames must be text (JSON), not binary");
  const text = Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data as ArrayBuffer).toString("utf8");
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new ProtocolError("a frame is not valid JSON");
  }
  if (typeof message !== "object" || message === null || Array.isArray(message)) throw new ProtocolError("a frame must be a JSON object");
  const { kind, id, name, params } = message as Record<string, unknown>;
  const validId = typeof id === "number" && Number.isSafeInteger(id) ? id : undefined;
  if (validId === undefined) throw new ProtocolError("a request needs an integer id");
  if (kind !== "request")
    throw new ProtocolError(`unknown frame kind ${JSON.stringify(kind) ?? "undefined"} (expected "request")`, validId);
  return { kind, id: validId, name: name as ClientMessage["name"], params };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
