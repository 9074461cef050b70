import { spawn } from "node:child_process";

/** Whether a browser window could appear: on Linux and BSDs that needs an X or Wayland display. */
export function hasDisplay(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): boolean {
  if (platform === "darwin" || platform === "win32") return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** The command that opens a URL in the default browser on this platform. */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): { command: string; args: string[] } {
  if (platform === "darwin") return { command: "open", args: [url] };
  if (platform === "win32") return { command: "cmd", args: ["/c", "start", '""', `"${url}"`] };
  return { command: "xdg-open", args: [url] };
}

/** Opens the URL in the default browser, detached; failures are ignored (the URL is printed anyway). */
export function openBrowser(url: string): void {
  const { command, args } = browserCommand(url);
  try {
    const child = spawn(command, args, { detached: true, stdio: "ignore", windowsVerbatimArguments: process.platform === "win32" });
    child.on("error", () => {});
    child.unref();
  } catch {
    // no opener on this machine: the printed URL is enough
  }
}
