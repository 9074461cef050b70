/**
 * Static files of the built renderer (dist/renderer/), shared by the browser-mode HTTP server and
 * the Electron app:// protocol: content types, "/" → index.html, and no path outside the folder.
 */
import { stat } from "node:fs/promises";
import { extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { readRegularFile } from "../../engine/util/readRegularFile.js";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
};

/** The renderer's largest bundle is a few megabytes. */
const MAX_STATIC_FILE_BYTES = 64 * 1024 * 1024;

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

/** dist/renderer/, from this module's place (host/server/ in source, dist/host/server/ when built). */
export function defaultRendererDir(): string {
  const here = fileURLToPath(new URL(".", import.meta.url));
  return import.meta.url.includes("/dist/host/") ? resolve(here, "../../renderer") : resolve(here, "../../dist/renderer");
}

/** The file a URL path names inside root, or null when it would leave root or is malformed. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  const relativePath = decoded === "/" || decoded === "" ? "index.html" : decoded.replace(/^\/+/, "");
  const rootPath = resolve(root);
  const file = resolve(rootPath, relativePath);
  const inside = relative(rootPath, file);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside) || inside.split(sep).includes("..")) return null;
  return file;
}

export interface StaticFile {
  path: string;
  body: Buffer;
  contentType: string;
}

/** Reads the file a URL path names inside root; null when there is none (or it is not a file). */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  const path = resolveStaticPath(root, urlPath);
  if (!path) return null;
  try {
    return { path, body: await readRegularFile(path, { maxBytes: MAX_STATIC_FILE_BYTES }), contentType: contentTypeFor(path) };
  } catch {
    return null;
  }
}

export async function rendererIsBuilt(root: string): Promise<boolean> {
  try {
    return (await stat(join(root, "index.html"))).isFile();
  } catch {
    return false;
  }
}

export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pipeline Studio</title></head>
<body><h1>Pipeline Studio</h1><p>The renderer is not built: run <code>npm run build</code>, then <code>npm start</code> again.</p></body></html>
`;
