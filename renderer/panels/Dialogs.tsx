import { useEffect, useRef, useState } from "react";
import type { SaveTarget } from "../api/types.js";
import { errorText } from "../store/hostConnection.js";
import { useDocument } from "../store/document.js";
import { useDialog } from "../store/dialog.js";
import { downloadPipeline, downloadText, exportFileName } from "../store/downloads.js";
import { openExample, openFile, resolveSavePath, saveTo } from "../store/fileCommands.js";
import { UploadButton } from "./UploadButton.js";
import { fileName } from "./fileName.js";
import { Modal } from "./Modal.js";
import { RunsDialog } from "./RunsDialog.js";
import { ShortcutsDialog } from "./ShortcutsDialog.js";

/** A path to type and a button that takes it (trimmed; disabled while empty). */
function PathForm(props: {
  initial: string;
  placeholder: string;
  submit: string;
  onSubmit: (path: string) => void;
  onChange?: (path: string) => void;
  testId: string;
}) {
  const { initial, placeholder, submit, onSubmit, onChange, testId } = props;
  const [path, setPath] = useState(initial);
  return (
    <form
      className="path-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) onSubmit(path.trim());
      }}
    >
      <input
        autoFocus
        type="text"
        placeholder={placeholder}
        value={path}
        onChange={(e) => {
          setPath(e.target.value);
          onChange?.(e.target.value);
        }}
        data-testid={testId}
        aria-label="File path"
      />
      <button type="submit" className="primary" disabled={!path.trim()}>
        {submit}
      </button>
    </form>
  );
}

function OpenDialog(props: { examples: { name: string; title: string; description: string }[]; recent: string[]; error?: string }) {
  const { examples, recent, error } = props;
  return (
    <Modal title="Open" testId="open-dialog">
      <PathForm
        initial=""
        placeholder="/path/to/pipeline.pipeline.json"
        submit="Open"
        onSubmit={(path) => void openFile(path)}
        testId="open-path-input"
      />
      <p className="small upload-line">
        <span className="muted">A path on the machine running the host, or a file from this browser:</span>{" "}
        <UploadButton testId="open-upload-input" />
      </p>
      {error && (
        <p className="dialog-error" role="alert" data-testid="open-error">
          {error}
        </p>
      )}
      <h3>Recent files</h3>
      {recent.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul className="file-list">
          {recent.map((file) => (
            <li key={file}>
              <button type="button" className="link" onClick={() => void openFile(file)} title={file}>
                {fileName(file)} <span className="muted small">{file}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>Examples</h3>
      <ul className="file-list">
        {examples.map((example) => (
          <li key={example.name}>
            <button type="button" className="link" onClick={() => void openExample(example.name)} data-testid={`example-${example.name}`}>
              <b>{example.title || example.name}</b> <span className="muted small">{example.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}

/**
 * Save As: says where a typed name will go (a relative one: beside the current file, or in the
 * home folder), asks before replacing a file, and shows what failed here, not behind the dialog.
 */
function SaveAsDialog() {
  const current = useDocument((s) => s.path);
  const uploaded = useDocument((s) => s.uploaded);
  const initial = current ?? uploaded?.name ?? "";
  const [typed, setTyped] = useState(initial);
  const [target, setTarget] = useState<SaveTarget | null>(null);
  const [replacing, setReplacing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!typed.trim()) return;
    let stale = false;
    const timer = setTimeout(() => {
      resolveSavePath(typed)
        .then((resolved) => !stale && setTarget(resolved))
        .catch(() => !stale && setTarget(null));
    }, 150);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [typed]);

  const write = async (path: string, overwrite: boolean) => {
    setError(null);
    try {
      await saveTo(path, overwrite);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  const submit = async (path: string) => {
    try {
      const resolved = await resolveSavePath(path);
      setTarget(resolved);
      if (resolved.exists) return setReplacing(resolved.path);
      await write(resolved.path, false);
    } catch (failure) {
      setError(errorText(failure));
    }
  };

  return (
    <Modal title="Save As" testId="save-as-dialog">
      {uploaded && (
        <p className="small save-uploaded" data-testid="save-uploaded">
          <b>{uploaded.name}</b> was uploaded from the browser, so the host cannot write back to the file you picked. Save it on the host’s
          machine (a relative name goes in the folder below), or{" "}
          <button type="button" className="link" onClick={() => void downloadPipeline()} data-testid="save-download">
            download it
          </button>{" "}
          to keep it where the browser saves files.
        </p>
      )}
      <PathForm
        initial={initial}
        placeholder="name, or /path/to/name.pipeline.json"
        submit="Save"
        onChange={(path) => {
          setTyped(path);
          setReplacing(null);
          if (!path.trim()) setTarget(null);
        }}
        onSubmit={(path) => void submit(path)}
        testId="save-path-input"
      />
      {target && (
        <p className="small" data-testid="save-target">
          Saves to <code>{target.path}</code>
          {target.base && <span className="muted"> — a relative name goes in {target.base}</span>}
        </p>
      )}
      {replacing && (
        <div className="confirm-replace" role="alertdialog" data-testid="save-replace">
          <p>
            <code>{replacing}</code> already exists. Replace it?
          </p>
          <button type="button" className="primary" onClick={() => void write(replacing, true)}>
            Replace
          </button>
          <button type="button" onClick={() => setReplacing(null)}>
            Cancel
          </button>
        </div>
      )}
      {error && (
        <p className="dialog-error" role="alert" data-testid="save-error">
          {error}
        </p>
      )}
      <p className="muted small">
        A path on the machine running the host; “.pipeline.json” is added to a name without an extension. Relative paths inside the pipeline
        resolve against the file’s folder.
      </p>
    </Modal>
  );
}

function ExportDialog({ language, code }: { language: "ts" | "python"; code: string }) {
  const [copied, setCopied] = useState(false);
  const ref = useRef<HTMLPreElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
    } catch {
      // Clipboard API unavailable (insecure context): select the text instead.
      const range = document.createRange();
      if (ref.current) range.selectNodeContents(ref.current);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      document.execCommand("copy");
    }
    setCopied(true);
  };
  return (
    <Modal title={language === "ts" ? "Export: TypeScript" : "Export: SPDL Python"} testId="export-dialog">
      <div className="export-actions">
        <button
          type="button"
          onClick={() => downloadText(exportFileName(language), code, "text/plain")}
          title={`Download as ${exportFileName(language)}`}
        >
          Download
        </button>
        <button type="button" className="primary" onClick={() => void copy()}>
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <pre className="code" ref={ref} data-testid="export-code">
        {code}
      </pre>
    </Modal>
  );
}

export function Dialogs() {
  const dialog = useDialog((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case "open":
      return <OpenDialog examples={dialog.examples} recent={dialog.recent} error={dialog.error} />;
    case "saveAs":
      return <SaveAsDialog />;
    case "export":
      return <ExportDialog language={dialog.language} code={dialog.code} />;
    case "runs":
      return <RunsDialog />;
    case "shortcuts":
      return <ShortcutsDialog />;
  }
}
