import { formatComparisonValue } from "../../engine/analysis/compareRuns.js";
import { formatRate } from "../../engine/format.js";
import type { ComparisonRow, RunSummary } from "../api/types.js";
import { togglePicked, useRuns } from "../store/runsDialog.js";
import { Modal } from "./Modal.js";

const when = (iso: string): string => new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });

/** The open pipeline's recent runs; tick two to see them side by side. */
export function RunsDialog() {
  const list = useRuns((s) => s.list);
  const picked = useRuns((s) => s.picked);
  const comparison = useRuns((s) => s.comparison);
  return (
    <Modal title="Runs" testId="runs-dialog" wide>
      <p className="muted small" data-testid="runs-folder">
        {list?.folder
          ? `Reports are saved in ${list.folder} (the last 20 are kept).`
          : "This pipeline has no file of its own (unsaved, or a bundled example): its runs are kept for this session only. Save it to keep them."}
      </p>
      {list?.notices.map((notice) => (
        <div key={notice} className="notice notice--error small" role="alert">
          {notice}
        </div>
      ))}
      {!list ? (
        <p className="muted">Loading…</p>
      ) : list.runs.length === 0 ? (
        <p className="muted" data-testid="runs-empty">
          No runs yet: run the pipeline, change a knob, run it again, then compare the two here.
        </p>
      ) : (
        <RunList runs={list.runs} picked={picked} />
      )}
      {list && list.runs.length > 1 && picked.length < 2 && <p className="muted small">Tick two runs to compare them.</p>}
      {comparison && <ComparisonTable a={comparison.a} b={comparison.b} rows={comparison.rows} />}
    </Modal>
  );
}

function RunList({ runs, picked }: { runs: RunSummary[]; picked: string[] }) {
  return (
    <table className="runs-table" data-testid="runs-list">
      <thead>
        <tr>
          <th />
          <th>started</th>
          <th>outcome</th>
          <th className="num">items</th>
          <th className="num">items/s</th>
          <th>settings</th>
          <th>bottleneck</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-testid="run-row" className={picked.includes(run.id) ? "is-picked" : ""}>
            <td>
              <input
                type="checkbox"
                checked={picked.includes(run.id)}
                onChange={() => void togglePicked(run.id)}
                aria-label={`compare the run of ${when(run.startedAt)}`}
              />
            </td>
            <td title={run.path ?? "kept for this session"}>{when(run.startedAt)}</td>
            <td className={`outcome outcome--${run.outcome}`}>{run.outcome}</td>
            <td className="num">{run.itemsDelivered}</td>
            <td className="num" data-testid="run-rate">
              {formatRate(run.itemsPerSecond)}
            </td>
            <td>{run.settings}</td>
            <td>{run.bottleneck ?? "none"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const SECTION_TITLES: Record<ComparisonRow["section"], string> = { run: "Run", stages: "Stages", settings: "Settings" };

function ComparisonTable({ a, b, rows }: { a: RunSummary; b: RunSummary; rows: ComparisonRow[] }) {
  const sections = (["run", "stages", "settings"] as const).map((section) => ({
    section,
    rows: rows.filter((row) => row.section === section),
  }));
  return (
    <table className="runs-table comparison" data-testid="comparison">
      <thead>
        <tr>
          <th />
          <th className="num" title={a.settings}>
            a · {when(a.startedAt)}
          </th>
          <th className="num" title={b.settings}>
            b · {when(b.startedAt)}
          </th>
          <th className="num">change a → b</th>
        </tr>
      </thead>
      {sections.map(({ section, rows: sectionRows }) => (
        <tbody key={section}>
          <tr className="section-row">
            <th colSpan={4}>{SECTION_TITLES[section]}</th>
          </tr>
          {sectionRows.map((row) => (
            <tr key={row.label} data-testid={`compare-${row.label}`} className={section === "settings" && row.differs ? "differs" : ""}>
              <td>{row.unit === "ms" ? `${row.label} (ms)` : row.label}</td>
              <td className="num">{formatComparisonValue(row, row.a) ?? "–"}</td>
              <td className="num">{formatComparisonValue(row, row.b) ?? "–"}</td>
              <td
                className={`num change${row.better === "b" ? " better" : row.better === "a" ? " worse" : ""}`}
                data-testid="change"
                title={title(row)}
              >
                {section === "settings" && row.differs
                  ? `changed ${row.changeText}`.trim()
                  : row.changeText || (row.better === "same" ? "same" : "")}
              </td>
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}

function title(row: ComparisonRow): string {
  if (row.better === "b") return "b did better";
  if (row.better === "a") return "b did worse";
  if (row.better === "same") return "within ±3 %: the same";
  return row.section === "settings" ? (row.differs ? "this setting differs" : "") : "neither better nor worse by itself";
}
