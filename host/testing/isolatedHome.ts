/**
 * Vitest setup (every test file): the app's home folder — recent files, settings — is a fresh
 * temporary folder, removed afterwards, so no test (nor a process it spawns, which inherits the
 * environment) reads or writes the user's own ~/.pipeline-studio.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const home = mkdtempSync(join(tmpdir(), "pipeline-studio-test-home-"));
process.env.PIPELINE_STUDIO_HOME = home;
afterAll(() => rmSync(home, { recursive: true, force: true }));
