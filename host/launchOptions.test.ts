import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findElectronBinary } from "./electronBinary.js";
import { UsageError, electronLaunchFile, parseLaunchOptions } from "./launchOptions.js";
import { browserCommand, hasDisplay } from "./openBrowser.js";

describe("launch options", () => {
  it("parses the flags, with defaults", () => {
    expect(parseLaunchOptions([])).toEqual({ browser: false, open: true, port: 0, help: false, file: null });
    expect(parseLaunchOptions(["--browser", "--no-open", "--port", "8123"])).toEqual({
      browser: true,
      open: false,
      port: 8123,
      help: false,
      file: null,
    });
    expect(parseLaunchOptions(["--port=0", "-h"])).toMatchObject({ port: 0, help: true });
  });

  it("refuses bad ports and unknown flags", () => {
    expect(() => parseLaunchOptions(["--port", "-1"])).toThrow(UsageError);
    expect(() => parseLaunchOptions(["--port", "65536"])).toThrow("--port must be an integer from 0 to 65535, got '65536'");
    expect(() => parseLaunchOptions(["--port", "1.5"])).toThrow(UsageError);
    expect(() => parseLaunchOptions(["--electron"])).toThrow(UsageError);
    expect(() => parseLaunchOptions(["a.pipeline.json", "b.pipeline.json"])).toThrow("one pipeline file at most, got 2");
  });

  it("Electron's command line: the file after the main script (or the binary, packaged), Chromium's switches skipped, relative to cwd", () => {
    const cwd = "/home/ada/pipelines";
    expect(electronLaunchFile(["/usr/bin/electron", "dist/electron/main.js"], { packaged: false, cwd })).toBeNull();
    expect(electronLaunchFile(["/usr/bin/electron", "dist/electron/main.js", "/data/a.pipeline.json"], { packaged: false, cwd })).toBe(
      "/data/a.pipeline.json",
    );
    expect(
      electronLaunchFile(["/usr/bin/electron", "main.js", "--enable-logging", "--lang=fr", "b.pipeline.json"], { packaged: false, cwd }),
    ).toBe("/home/ada/pipelines/b.pipeline.json");
    expect(electronLaunchFile(["/opt/Pipeline Studio/studio", "c.pipeline.json"], { packaged: true, cwd })).toBe(
      "/home/ada/pipelines/c.pipeline.json",
    );
    expect(electronLaunchFile(["/opt/Pipeline Studio/studio", "--no-sandbox"], { packaged: true, cwd })).toBeNull();
  });

  it("a FILE to open: relative to where the command was typed, absolute as given", () => {
    expect(parseLaunchOptions(["sub/a.pipeline.json", "--browser"], "/home/me/work")).toMatchObject({
      browser: true,
      file: "/home/me/work/sub/a.pipeline.json",
    });
    expect(parseLaunchOptions(["/data/b.pipeline.json"], "/home/me")).toMatchObject({ file: "/data/b.pipeline.json" });
  });
});

describe("Electron binary detection (by file presence only)", () => {
  it("finds the binary only when path.txt names a file under dist/", async () => {
    const dir = await mkdtemp(join(tmpdir(), "studio-electron-"));
    try {
      expect(findElectronBinary(dir, {})).toBeNull(); // no path.txt (what npm install leaves here)
      await writeFile(join(dir, "path.txt"), "electron");
      expect(findElectronBinary(dir, {})).toBeNull(); // named, but not downloaded
      await mkdir(join(dir, "dist"));
      await mkdir(join(dir, "dist", "electron"));
      expect(findElectronBinary(dir, {})).toBeNull(); // a folder is not the binary
      await rm(join(dir, "dist", "electron"), { recursive: true });
      await writeFile(join(dir, "dist", "electron"), "");
      expect(findElectronBinary(dir, {})).toBe(join(dir, "dist", "electron"));
      expect(findElectronBinary(null, {})).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("on this machine, without a downloaded binary, chooses browser mode", () => {
    // The real package: npm install leaves no path.txt where the binary could not be fetched.
    const found = findElectronBinary();
    if (found !== null) expect(found).toMatch(/electron/i);
  });
});

describe("opening the browser", () => {
  it("needs a display on Linux", () => {
    expect(hasDisplay("linux", {})).toBe(false);
    expect(hasDisplay("linux", { DISPLAY: ":0" })).toBe(true);
    expect(hasDisplay("linux", { WAYLAND_DISPLAY: "wayland-0" })).toBe(true);
    expect(hasDisplay("darwin", {})).toBe(true);
  });

  it("uses the platform's opener", () => {
    expect(browserCommand("http://127.0.0.1:1/?token=t", "linux")).toEqual({ command: "xdg-open", args: ["http://127.0.0.1:1/?token=t"] });
    expect(browserCommand("http://127.0.0.1:1/", "darwin").command).toBe("open");
    expect(browserCommand("http://127.0.0.1:1/", "win32").command).toBe("cmd");
  });
});
