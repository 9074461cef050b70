import { JsonField, NumberField, TextField } from "./fields.js";

/** The part of JSON Schema that op parameters use. */
export type JsonSchema = {
  type?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
};

/** `anyOf: [T, null]` is T, nullable. */
function resolve(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  if (schema.anyOf) {
    const others = schema.anyOf.filter((s) => s.type !== "null");
    if (others.length === 1 && others.length < schema.anyOf.length)
      return { schema: { ...others[0], default: schema.default }, nullable: true };
  }
  return { schema, nullable: false };
}

/** Bounds beyond this are "no bound" to a person: the field leaves them out. */
const SAFE_MAX = 1e15;

/** One op parameter's field, chosen by its schema: a select, a number, a checkbox, text, or JSON. */
export function ParamField(props: {
  nodeId: string;
  name: string;
  schema: JsonSchema;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const { nodeId, name, value, onChange } = props;
  const { schema, nullable } = resolve(props.schema);
  const testId = `param-${name}`;
  const key = `${nodeId}.params.${name}`;
  if (schema.enum) {
    return (
      <div className="field">
        <label htmlFor={key}>{name}</label>
        <select
          id={key}
          value={String(value ?? "")}
          onChange={(e) => onChange(schema.enum!.find((v) => String(v) === e.target.value))}
          data-testid={testId}
        >
          {schema.enum.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
      </div>
    );
  }
  if (schema.type === "integer" || schema.type === "number") {
    const min = schema.minimum ?? schema.exclusiveMinimum;
    return (
      <NumberField
        label={name}
        value={typeof value === "number" ? value : null}
        integer={schema.type === "integer"}
        min={min !== undefined && Math.abs(min) < SAFE_MAX ? min : undefined}
        max={schema.maximum !== undefined && schema.maximum < SAFE_MAX ? schema.maximum : undefined}
        nullable={nullable}
        onChange={onChange}
        testId={testId}
      />
    );
  }
  if (schema.type === "boolean") {
    return (
      <div className="field field--check">
        <label>
          <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} data-testid={testId} /> {name}
        </label>
      </div>
    );
  }
  if (schema.type === "string") {
    return (
      <TextField
        label={name}
        value={typeof value === "string" ? value : ""}
        onChange={(v) => onChange(nullable && v === "" ? null : v)}
        testId={testId}
      />
    );
  }
  return <JsonField label={name} value={value} onChange={onChange} testId={testId} />;
}
