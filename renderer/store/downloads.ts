import { toSpec } from "../graph/model.js";
import { useDocument } from "./document.js";
import { guarded, requireApi } from "./hostConnection.js";
import { showNotice } from "./notice.js";

/**
 * Files the browser keeps (Download): the pipeline as Save writes it, and its exports. In
 * Electron the same link asks where to save with the native Save dialog.
 */

/** The name files made from the document take: its file's, else the upload's, else its pipeline name's, else "untitled". */
export function documentBaseName(): string {
  const { path, uploaded, name } = useDocument.getState();
  const file = path ? path.split(/[\\/]/).pop() : uploaded?.name;
  if (file) return file.replace(/(\.pipeline)?\.json$/i, "") || "untitled";
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[-.]+|-+$/g, "");
  return slug || "untitled";
}

/** Gives `text` to the browser as a downloaded file named `fileName`. */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started once click() returns; the URL may go a little later, when nothing reads it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The pipeline as a `.pipeline.json` download: the bytes Save would write (the host serialises it). Not a save: the page stays unsaved. */
export async function downloadPipeline(): Promise<void> {
  const result = await guarded(() => requireApi().request("fileText", { spec: toSpec(useDocument.getState()) }));
  if (!result) return;
  const fileName = `${documentBaseName()}.pipeline.json`;
  downloadText(fileName, result.text, "application/json");
  showNotice({ kind: "info", text: `Downloaded ${fileName}` });
}

/** An export's file name: `<name>.ts` or `<name>.py`. */
export function exportFileName(language: "ts" | "python"): string {
  return `${documentBaseName()}.${language === "ts" ? "ts" : "py"}`;
}
