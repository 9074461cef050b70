import { useEffect, useRef, useState, type ReactNode } from "react";
import { useDocument } from "../store/document.js";
import { openExample, openFile, save, useSession } from "../store/session.js";
import { RunsDialog } from "./RunsDialog.js";
import { fileName } from "./Toolbar.js";

export function Modal({ title, children, testId, wide = false }: { title: string; children: ReactNode; testId: string; wide?: boolean }) {
  const close = () => useSession.getState().setDialog(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && close();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className={wide ? "modal modal--wide" : "modal"} role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <header>
          <h2>{title}</h2>
          <button type="button" className="link" onClick={close} aria-label="Close">
            ×
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

function OpenDialog({ examples, recent }: { examples: { name: string; title: string; description: string }[]; recent: string[] }) {
  const [path, setPath] = useState("");
  return (
    <Modal title="Open" testId="open-dialog">
      <form
        className="path-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void openFile(path.trim());
        }}
      >
        <input
          autoFocus
          type="text"
          placeholder="/path/to/pipeline.pipeline.json"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          data-testid="open-path-input"
          aria-label="File path"
        />
        <button type="submit" className="primary" disabled={!path.trim()}>
          Open
        </button>
      </form>
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

function SaveAsDialog() {
  const current = useDocument((s) => s.path);
  const [path, setPath] = useState(current ?? "");
  return (
    <Modal title="Save As" testId="save-as-dialog">
      <form
        className="path-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void save(path.trim());
        }}
      >
        <input
          autoFocus
          type="text"
          placeholder="/path/to/name.pipeline.json"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          data-testid="save-path-input"
          aria-label="File path"
        />
        <button type="submit" className="primary" disabled={!path.trim()}>
          Save
        </button>
      </form>
      <p className="muted small">
        A path on the machine running the host. Relative paths in the pipeline resolve against the file’s folder.
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
  const dialog = useSession((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case "open":
      return <OpenDialog examples={dialog.examples} recent={dialog.recent} />;
    case "saveAs":
      return <SaveAsDialog />;
    case "export":
      return <ExportDialog language={dialog.language} code={dialog.code} />;
    case "runs":
      return <RunsDialog />;
  }
}

export function NoticeBar() {
  const notice = useSession((s) => s.notice);
  useEffect(() => {
    if (notice?.kind !== "info") return;
    const timer = setTimeout(() => useSession.getState().setNotice(null), 3000);
    return () => clearTimeout(timer);
  }, [notice]);
  if (!notice) return null;
  return (
    <div className={`notice notice--${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"} data-testid="notice">
      <span>{notice.text}</span>
      <button type="button" className="link" onClick={() => useSession.getState().setNotice(null)} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
