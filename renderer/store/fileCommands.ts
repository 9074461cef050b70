import { MAX_DOCUMENT_BYTES } from "../../engine/bounds.js";
import { formatBytes } from "../../engine/format.js";
import type { OpenedPipeline, SaveTarget } from "../api/types.js";
import { toSpec } from "../graph/model.js";
import { closeDialog, showDialog, useDialog } from "./dialog.js";
import { useDocument } from "./document.js";
import { errorText, guarded, requireApi } from "./hostConnection.js";
import { showError, showNotice, useNotice } from "./notice.js";
import { showFileProblems } from "./validation.js";
import { resetRunView, useRun } from "./run.js";
import { showHostActivity } from "./runEvents.js";

/** The file commands (toolbar, shortcuts, menu): new, open, save, save as, export. */

function confirmDiscard(): boolean {
  return !useDocument.getState().dirty || window.confirm("Discard unsaved changes?");
}

/**
 * The pipeline the host opens becomes the document, in place of the one shown. The unsaved
 * changes are put at stake only once the new file has loaded (and only if the user agrees); a
 * file that cannot open says why in the Open dialog when it is on show, else in the notice.
 */
async function replaceDocument(open: () => Promise<OpenedPipeline>): Promise<boolean> {
  let opened: OpenedPipeline;
  try {
    opened = await open();
  } catch (error) {
    const dialog = useDialog.getState().dialog;
    if (dialog?.kind === "open") showDialog({ ...dialog, error: errorText(error) });
    else showError(errorText(error));
    return false;
  }
  if (!confirmDiscard()) return false;
  useDocument.getState().load(opened);
  showFileProblems(opened);
  resetRunView("idle");
  // The host's run goes on: shown on this file when it draws the run's graph, else named as another graph's.
  if (useRun.getState().hostActivity) void showHostActivity({ keepDocument: true });
  return true;
}

export async function newPipeline(): Promise<void> {
  await replaceDocument(() => requireApi().request("newPipeline", {}));
}

/** The page's first pipeline: the file named at launch, else the seed example; one that cannot open falls back to the seed. */
export async function openStartupPipeline(): Promise<void> {
  if (await replaceDocument(() => requireApi().request("startupPipeline", {}))) return;
  await openExample("seed-download-preprocess");
}

export async function openExample(name: string): Promise<void> {
  if (await replaceDocument(() => requireApi().request("openExample", { name }))) closeDialog();
}

export async function openFile(path: string): Promise<void> {
  if (await replaceDocument(() => requireApi().request("openFile", { path }))) closeDialog();
}

/**
 * A pipeline file picked in the browser, opened as the host opens a file (the same checks); it
 * has no path on the host, so its relative paths resolve against the folder the app was started
 * in, and the notice says so until dismissed. A file over the size limit is refused here, before
 * its bytes travel.
 */
export async function uploadFile(file: File): Promise<void> {
  const opened = await replaceDocument(async () => {
    if (file.size > MAX_DOCUMENT_BYTES) {
      throw new Error(
        `cannot read ${file.name} (uploaded): it is ${formatBytes(file.size)}, over the ${formatBytes(MAX_DOCUMENT_BYTES)} limit`,
      );
    }
    return requireApi().request("openUpload", { name: file.name, base64: await readBase64(file) });
  });
  if (!opened) return;
  closeDialog();
  const uploaded = useDocument.getState().uploaded;
  // A file opened to be fixed has its problems on show instead; the title says where its paths resolve either way.
  if (uploaded && useNotice.getState().notice?.kind !== "error") {
    showNotice({
      kind: "info",
      sticky: true,
      text: `Uploaded ${uploaded.name} — relative paths inside resolve against ${uploaded.baseDir}`,
    });
  }
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.onerror = () => reject(new Error(`cannot read ${file.name}: ${reader.error?.message ?? "the browser refused"}`));
    reader.readAsDataURL(file);
  });
}

export async function showOpenDialog(): Promise<void> {
  const lists = await guarded(async () => {
    const [examples, recent] = await Promise.all([requireApi().request("listExamples", {}), requireApi().request("listRecentFiles", {})]);
    return { examples, recent };
  });
  if (lists) showDialog({ kind: "open", ...lists });
}

/**
 * Save (path null: this page's file, or Save As when it has none) or save to `path`; a failure
 * becomes the notice. Save names the page's own file: the host's "current file" is whichever page
 * opened one last, and another window may have opened another since.
 */
export async function save(path: string | null = null, overwrite = false): Promise<boolean> {
  const own = useDocument.getState().path;
  if (path === null && own === null) {
    showDialog({ kind: "saveAs" });
    return false;
  }
  return (await guarded(() => (path === null ? saveTo(own, true) : saveTo(path, overwrite)))) ?? false;
}

/** Writes the document (Save As: where resolveSavePath says; a file there only with overwrite); throws what failed. */
export async function saveTo(path: string | null, overwrite: boolean): Promise<true> {
  const result = await requireApi().request("saveFile", { path, spec: toSpec(useDocument.getState()), overwrite });
  useDocument.getState().markSaved(result.path);
  closeDialog();
  showNotice({ kind: "info", text: `Saved ${result.path}` });
  return true;
}

/** Where Save As would write a typed name, and whether a file is there. */
export function resolveSavePath(path: string): Promise<SaveTarget> {
  return requireApi().request("resolveSavePath", { path });
}

export async function exportCode(language: "ts" | "python"): Promise<void> {
  const result = await guarded(() => requireApi().request("exportCode", { spec: toSpec(useDocument.getState()), language }));
  if (result) showDialog({ kind: "export", language, code: result.code });
}
