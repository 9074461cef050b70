/**
 * The renderer's Content-Security-Policy, one definition for both transports: the browser-mode
 * server sends it as a header on every response, the Electron main process on every response of
 * its app:// protocol. No inline or eval'd script anywhere; inline styles are allowed because
 * React Flow injects its styles at run time.
 */
export function rendererCsp(options: { port?: number } = {}): string {
  const connect = ["'self'"];
  if (options.port !== undefined) connect.push(`ws://127.0.0.1:${options.port}`, `ws://localhost:${options.port}`);
  return [
    "default-src 'self'",
    "script-src 'self'",
    `connect-src ${connect.join(" ")}`,
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
