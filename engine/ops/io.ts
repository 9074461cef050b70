import { constants as bufferConstants } from "node:buffer";
import { resolve } from "node:path";
import { z } from "zod";
import { timeoutMs as timeoutMsField } from "../spec/fields.js";
import type { StageOpDefinition } from "./catalog.js";
import { readRegularFile } from "../util/readRegularFile.js";
import { describeValue, isPlainObject, ownedBytes } from "./bytes.js";

export const readFile: StageOpDefinition<Record<string, never>> = {
  name: "readFile",
  synonyms: ["load", "open", "disk", "read"],
  kind: "stage",
  category: "real",
  execution: "loop",
  description: "Reads the file at the item's path (or its {path} field) into { path, bytes } (a Uint8Array)",
  params: z.strictObject({}),
  createOp(_params, { baseDir }) {
    return async function readFile(item: unknown, { signal }) {
      const { path, rest } = pathOf(item);
      const absolute = resolve(baseDir, path);
      // Regular files only: a named pipe among the paths would hold a file-system thread for good.
      const bytes = ownedBytes(await readRegularFile(absolute, { signal, maxBytes: bufferConstants.MAX_LENGTH }));
      return { ...rest, path: absolute, bytes };
    };
  },
};

function pathOf(item: unknown): { path: string; rest: Record<string, unknown> } {
  if (typeof item === "string" && item.length > 0) return { path: item, rest: {} };
  if (isPlainObject(item) && typeof item.path === "string" && item.path.length > 0) return { path: item.path, rest: item };
  throw new TypeError(`readFile: expected a file path or a record with a path field, got ${describeValue(item)}`);
}

/** A response outside 200–299; its message names the status and the URL. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    readonly url: string,
    statusText: string,
  ) {
    super(`GET ${url} answered ${status}${statusText ? ` ${statusText}` : ""}`);
  }
}

/** The request took longer than the op's own timeoutMs. */
export class HttpTimeoutError extends Error {
  override name = "HttpTimeoutError";
}

type ResponseType = "text" | "bytes" | "json";

interface HttpGetParams {
  responseType: ResponseType;
  timeoutMs: number | null;
}

export const httpGet: StageOpDefinition<HttpGetParams> = {
  name: "httpGet",
  synonyms: ["download", "fetch", "request", "url", "web", "api"],
  kind: "stage",
  category: "real",
  execution: "loop",
  description: "GETs the item's URL (a string or {url}) and returns the body as text, bytes or parsed JSON",
  params: z.strictObject({
    responseType: z.enum(["text", "bytes", "json"]).default("text"),
    timeoutMs: timeoutMsField().nullable().default(null),
  }),
  createOp({ responseType, timeoutMs }) {
    return async function httpGet(item: unknown, { signal }) {
      const url = urlOf(item);
      // Our own controller rather than AbortSignal.any: it tells our timeout apart from a stop.
      const controller = new AbortController();
      const forwardAbort = (): void => controller.abort(signal.reason);
      if (signal.aborted) forwardAbort();
      else signal.addEventListener("abort", forwardAbort, { once: true });
      let timedOut = false;
      const timer =
        timeoutMs === null
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              controller.abort();
            }, timeoutMs);
      try {
        const response = await fetch(url, { signal: controller.signal });
        if (!response.ok) {
          // Unread bodies hold their connection until garbage collection.
          await response.body?.cancel();
          throw new HttpError(response.status, url, response.statusText);
        }
        return await readBody(response, responseType, url);
      } catch (error) {
        if (timedOut) throw new HttpTimeoutError(`GET ${url} took longer than ${timeoutMs} ms`);
        throw error;
      } finally {
        clearTimeout(timer);
        signal.removeEventListener("abort", forwardAbort);
      }
    };
  },
};

async function readBody(response: Response, responseType: ResponseType, url: string): Promise<unknown> {
  if (responseType === "bytes") return new Uint8Array(await response.arrayBuffer());
  if (responseType === "text") return response.text();
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SyntaxError(`GET ${url}: the body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function urlOf(item: unknown): string {
  const candidate = isPlainObject(item) ? item.url : item;
  if (typeof candidate === "string" && URL.canParse(candidate)) return candidate;
  if (typeof candidate === "string") throw new TypeError(`httpGet: '${candidate}' is not an absolute URL`);
  throw new TypeError(`httpGet: expected a URL string or a record with a url field, got ${describeValue(item)}`);
}
