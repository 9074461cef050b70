import { useRef, useState } from "react";
import { useDocument } from "../store/document.js";
import { useDialog } from "../store/dialog.js";
import { openExample, openFile, save } from "../store/fileCommands.js";
import { fileName } from "./fileName.js";
import { Modal } from "./Modal.js";
import { RunsDialog } from "./RunsDialog.js";

/** A path to type and a button that takes it (trimmed; disabled while empty). */
function PathForm(props: { initial: string; placeholder: string; submit: string; onSubmit: (path: string) => void; testId: string }) {
  const { initial, placeholder, submit, onSubmit, testId } = props;
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
        onChange={(e) => setPath(e.target.value)}
        data-testid={testId}
        aria-label="File path"
      />
      <button type="submit" className="primary" disabled={!path.trim()}>
        {submit}
      </button>
    </form>
  );
}

function OpenDialog({ examples, recent }: { examples: { name: string; title: string; description: string }[]; recent: string[] }) {
  return (
    <Modal title="Open" testId="open-dialog">
      <PathForm
        initial=""
        placeholder="/path/to/pipeline.pipeline.json"
        submit="Open"
        onSubmit={(path) => void openFile(path)}
        testId="open-path-input"
      />
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
  return (
    <Modal title="Save As" testId="save-as-dialog">
      <PathForm
        initial={current ?? ""}
        placeholder="/path/to/name.pipeline.json"
        submit="Save"
        onSubmit={(path) => void save(path)}
        testId="save-path-input"
      />
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
