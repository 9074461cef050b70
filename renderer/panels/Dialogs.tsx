import { useRef, useState } from "react";
import { useDocument } from "../store/document.js";
import { useDialog } from "../store/dialog.js";
import { openExample, openFile, save } from "../store/fileCommands.js";
import { fileName } from "./fileName.js";
import { Modal } from "./Modal.js";
import { RunsDialog } from "./RunsDialog.js";

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
  const dialog = useDialog((s) => s.dialog);
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
