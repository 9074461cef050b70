import { existsSync, readFileSync } from "node:fs";
import { expect, test as base, type Locator, type Page } from "@playwright/test";

/** The URL the app printed (with its token), written by e2e/support/serve.mjs. */
export async function studioUrl(): Promise<string> {
  const file = process.env.STUDIO_E2E_URL_FILE;
  if (!file) throw new Error("STUDIO_E2E_URL_FILE is not set: run through playwright.config.ts");
  for (let i = 0; i < 100; i++) {
    if (existsSync(file)) {
      const url = readFileSync(file, "utf8").trim();
      if (url) return url;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the app never printed its URL (${file})`);
}

export class Studio {
  constructor(readonly page: Page) {}

  node(id: string): Locator {
    return this.page.getByTestId(`node-${id}`);
  }
  litSlots(id: string): Locator {
    return this.page.locator(`[data-testid="slots-${id}"] .slot.lit`);
  }
  queue(from: string, to: string): Locator {
    return this.page.getByTestId(`queue-${from}->${to}`);
  }
  get runButton(): Locator {
    return this.page.getByRole("button", { name: "▶ Run" });
  }
  get stopButton(): Locator {
    return this.page.getByRole("button", { name: "■ Stop" });
  }
  get delivered(): Locator {
    return this.page.getByTestId("items-delivered");
  }
  get runState(): Locator {
    return this.page.getByTestId("run-state");
  }

  /** Opens the app as a user does: the URL the terminal printed; the seed example loads. */
  async open(): Promise<void> {
    await this.page.goto(await studioUrl());
    await expect(this.page.getByTestId("connection")).toHaveText("connected");
    await expect(this.node("download")).toBeVisible();
    await expect(this.runButton).toBeEnabled();
  }

  async newPipeline(): Promise<void> {
    await this.page.getByRole("button", { name: "New", exact: true }).click();
    await expect(this.page.locator(".react-flow__node")).toHaveCount(0);
  }

  /** Sets a field in the inspector (a number or text input) by its test id. */
  async setField(testId: string, value: string | number): Promise<void> {
    await this.page.getByTestId(testId).fill(String(value));
  }

  async selectNode(id: string): Promise<void> {
    await this.node(id).locator(".node-title").click();
    await expect(this.page.getByTestId("node-inspector")).toContainText(id);
  }

  async clearSelection(): Promise<void> {
    await this.page.locator(".react-flow__pane").click({ position: { x: 30, y: 30 } });
    await expect(this.page.getByTestId("pipeline-inspector")).toBeVisible();
  }

  /** Waits until the host has answered the validation of the latest edit. */
  async validationSettled(): Promise<void> {
    await expect(this.page.getByTestId("canvas")).toHaveAttribute("data-validating", "false");
  }

  /** Runs the seed example with a source long enough (100,000 items) to outlast the spec; the run is under way on return. */
  async startLongRun(): Promise<void> {
    await this.selectNode("urls");
    await this.setField("param-count", 100_000);
    await this.clearSelection();
    await this.runButton.click();
    await expect(this.runState).toHaveText("running");
  }

  /** Stops a run that is still going, so the next spec starts on a quiet host. */
  async stopIfRunning(): Promise<void> {
    if (await this.stopButton.isEnabled().catch(() => false)) {
      // Forced: a run that ends between the check and the click disables the button, and a plain
      // click would wait for it to be enabled again until the test timed out.
      await this.stopButton.click({ force: true });
      await expect(this.stopButton).toBeDisabled();
    }
  }

  /**
   * Drags an op from the palette onto the canvas at (x, y) relative to the canvas, then reads the
   * new node's box back: the drop point must lie inside it. The palette entry is pressed only once
   * it stays put (a palette that re-renders or scrolls mid-drag once dropped a node elsewhere).
   */
  async dragOp(op: string, x: number, y: number): Promise<void> {
    const entry = this.page.getByTestId(`palette-${op}`);
    await entry.scrollIntoViewIfNeeded();
    const from = await stableBox(entry);
    const pane = await stableBox(this.page.locator(".react-flow__pane"));
    const nodes = this.page.locator(".react-flow__node");
    const before = await nodes.count();
    const drop = { x: pane.x + x, y: pane.y + y };
    await entry.dragTo(this.page.locator(".react-flow__pane"), {
      sourcePosition: { x: from.width / 2, y: from.height / 2 },
      targetPosition: { x, y },
    });
    await expect(nodes).toHaveCount(before + 1);
    const added = await stableBox(nodes.nth(before));
    const inside = drop.x >= added.x && drop.x <= added.x + added.width && drop.y >= added.y && drop.y <= added.y + added.height;
    expect(inside, `the ${op} node landed at ${JSON.stringify(added)}, not under the drop point ${JSON.stringify(drop)}`).toBe(true);
  }

  /** Connects the output handle of one node (of a route: its handle for `path`) to the input handle of another. */
  async connect(from: string, to: string, path?: number): Promise<void> {
    const source = this.page.getByTestId(path === undefined ? `handle-out-${from}` : `handle-out-${from}-${path}`);
    const target = this.page.getByTestId(`handle-in-${to}`);
    // A node's problem text changes with validation (debounced, then a host round trip) and
    // moves its handles: press only once validation has answered and they stay put, or the press
    // lands on the node and drags it.
    await this.validationSettled();
    const a = await stableBox(source);
    const b = await stableBox(target);
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
    await this.page.mouse.up();
    await expect(path === undefined ? this.queue(from, to) : this.page.getByTestId(`queue-${from}->${to}#${path}`)).toBeVisible();
  }
}

export const test = base.extend<{ studio: Studio }>({
  studio: async ({ page }, use) => {
    // "Discard unsaved changes?" and the like: the user says yes.
    page.on("dialog", (dialog) => void dialog.accept());
    const studio = new Studio(page);
    await use(studio);
    await studio.stopIfRunning();
  },
});

export { expect };

/** A locator's bounding box once two reads 100 ms apart agree (up to 3 s). */
export async function stableBox(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  let previous = await locator.boundingBox();
  for (let attempt = 0; attempt < 30; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const current = await locator.boundingBox();
    if (previous && current && JSON.stringify(previous) === JSON.stringify(current)) return current;
    previous = current;
  }
  if (!previous) throw new Error("stableBox: the element has no box");
  return previous;
}

/** Samples `read` every `intervalMs` for `durationMs`; returns every value seen. */
export async function sample<T>(read: () => Promise<T>, durationMs: number, intervalMs = 50): Promise<T[]> {
  const values: T[] = [];
  const end = Date.now() + durationMs;
  while (Date.now() < end) {
    values.push(await read());
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return values;
}

/** A point of the canvas (relative to the page) where nothing but the empty pane is. */
export async function emptySpot(page: Page): Promise<{ x: number; y: number }> {
  const pane = (await page.locator(".react-flow__pane").boundingBox())!;
  for (const [fx, fy] of [
    [0.5, 0.85],
    [0.2, 0.85],
    [0.8, 0.15],
    [0.2, 0.15],
    [0.5, 0.15],
  ] as const) {
    const point = { x: Math.round(pane.x + pane.width * fx), y: Math.round(pane.y + pane.height * fy) };
    const empty = await page.evaluate(({ x, y }) => {
      const under = document.elementFromPoint(x, y);
      // Room for a node around the point too.
      return (
        [-110, 0, 110].every((dx) =>
          [-40, 0, 40].every((dy) => document.elementFromPoint(x + dx, y + dy)?.classList.contains("react-flow__pane")),
        ) && under?.classList.contains("react-flow__pane")
      );
    }, point);
    if (empty) return point;
  }
  throw new Error("no empty spot on the canvas");
}
