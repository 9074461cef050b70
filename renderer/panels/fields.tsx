import { useId, useState } from "react";

/** A number input that keeps what is typed and reports only valid values. */
export function NumberField(props: {
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
  min?: number;
  max?: number;
  integer?: boolean;
  nullable?: boolean;
  placeholder?: string;
  testId?: string;
  hint?: string;
}) {
  const { label, value, onChange, min, max, integer, nullable, placeholder, testId, hint } = props;
  const id = useId();
  const [text, setText] = useState(value === null ? "" : String(value));
  const [error, setError] = useState<string | null>(null);

  // Only when the value changes from outside (undo, live metrics) and the draft does not already say it.
  useOnValueChange(value, () => {
    const parsed = text.trim() === "" ? null : Number(text);
    if (parsed !== value) {
      setText(value === null ? "" : String(value));
      setError(null);
    }
  });

  const commit = (raw: string) => {
    setText(raw);
    if (raw.trim() === "") {
      if (nullable) {
        setError(null);
        onChange(null);
      } else setError("required");
      return;
    }
    const n = Number(raw);
    if (!Number.isFinite(n)) return setError("not a number");
    if (integer && !Number.isInteger(n)) return setError("must be a whole number");
    if (min !== undefined && n < min) return setError(`must be ≥ ${min}`);
    if (max !== undefined && n > max) return setError(`must be ≤ ${max}`);
    setError(null);
    onChange(n);
  };

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        value={text}
        min={min}
        max={max}
        step={integer ? 1 : "any"}
        placeholder={placeholder ?? (nullable ? "none" : undefined)}
        onChange={(e) => commit(e.target.value)}
        data-testid={testId}
        aria-invalid={error !== null}
      />
      {error && <span className="field-error">{error}</span>}
      {hint && !error && <span className="field-hint">{hint}</span>}
    </div>
  );
}

/** A slider plus a number field: the concurrency and thread knobs. `max` ends the slider; `limit` is the most the field takes. */
export function Knob(props: {
  label: string;
  value: number;
  onChange: (value: number) => void;
  min?: number;
  max: number;
  limit: number;
  testId: string;
  hint?: string;
}) {
  const { label, value, onChange, min = 1, max, limit, testId, hint } = props;
  return (
    <div className="knob">
      <NumberField
        label={label}
        value={value}
        integer
        min={min}
        max={limit}
        onChange={(v) => v !== null && onChange(v)}
        testId={testId}
        hint={hint}
      />
      <input
        type="range"
        min={min}
        max={Math.max(max, value)}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        aria-label={`${label} slider`}
        data-testid={`${testId}-slider`}
      />
    </div>
  );
}

export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  commitOnBlur?: boolean;
  error?: string | null;
}) {
  const { label, value, onChange, testId, commitOnBlur, error } = props;
  const id = useId();
  const [text, setText] = useState(value);
  useOnValueChange(value, () => setText(value));
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (!commitOnBlur) onChange(e.target.value);
        }}
        onBlur={() => commitOnBlur && text !== value && onChange(text)}
        onKeyDown={(e) => {
          if (commitOnBlur && e.key === "Enter") (e.target as HTMLInputElement).blur();
          if (commitOnBlur && e.key === "Escape") setText(value);
        }}
        data-testid={testId}
      />
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}

/** Arrays and objects as JSON text, applied when valid. */
export function JsonField(props: { label: string; value: unknown; onChange: (value: unknown) => void; testId?: string }) {
  const { label, value, onChange, testId } = props;
  const id = useId();
  const serialized = JSON.stringify(value ?? null, null, 1);
  const [text, setText] = useState(serialized);
  const [error, setError] = useState<string | null>(null);
  useOnValueChange(serialized, () => {
    setText(serialized);
    setError(null);
  });
  return (
    <div className="field">
      <label htmlFor={id}>{label} (JSON)</label>
      <textarea
        id={id}
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          try {
            const parsed: unknown = JSON.parse(text);
            setError(null);
            if (JSON.stringify(parsed, null, 1) !== serialized) onChange(parsed);
          } catch (err) {
            setError(err instanceof Error ? err.message : "invalid JSON");
          }
        }}
        data-testid={testId}
      />
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}

/**
 * Calls `adjust` during render when `value` differs from the last render's: React's way to bring
 * a field's draft in line with a value changed from outside, without an effect's extra render.
 */
function useOnValueChange<T>(value: T, adjust: () => void): void {
  const [seen, setSeen] = useState(value);
  if (!Object.is(seen, value)) {
    setSeen(value);
    adjust();
  }
}
