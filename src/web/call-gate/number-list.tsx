// An editable list of labelled phone numbers: a clinician's breakthrough list, the
// practice's emergency numbers. Each row is a labelled group, reachable by keyboard.
import { useState, type ReactNode } from 'react';
import { Field } from '../ui.tsx';
import { MAX_NUMBERS } from './call-gate.ts';

export interface NumberRow {
  /** Only for React: rows have no id of their own. */
  key: string;
  label: string;
  number: string;
}

interface Props<R extends NumberRow> {
  rows: R[];
  onChange: (rows: R[]) => void;
  /** "Breakthrough number" → groups named "Breakthrough number 1", … */
  rowName: string;
  labelLabel: string;
  labelHint?: string;
  newRow: () => R;
  addLabel: string;
  /** Path of the list in the request body, for aria-invalid ("breakthroughNumbers"). */
  invalid: (path: string) => true | undefined;
  path: string;
  /** More fields for a row (the kind of an emergency number). */
  extra?: (row: R, change: (next: R) => void, i: number) => ReactNode;
}

export function NumberList<R extends NumberRow>({ rows, onChange, rowName, labelLabel, labelHint, newRow, addLabel, invalid, path, extra }: Props<R>) {
  // A row just added takes the keyboard.
  const [added, setAdded] = useState<string | null>(null);
  const change = (i: number, next: R) => onChange(rows.map((r, j) => (j === i ? next : r)));
  return (
    <div className="number-list">
      {rows.length > 0 && (
        <ol className="number-rows">
          {rows.map((r, i) => (
            <li key={r.key} role="group" aria-label={`${rowName} ${i + 1}`} className="number-row">
              <Field label={labelLabel} hint={i === 0 ? labelHint : undefined} value={r.label} maxLength={80} autoFocus={r.key === added} onChange={(e) => change(i, { ...r, label: e.target.value })} aria-invalid={invalid(`${path}.${i}.label`)} />
              <Field label="Phone number" type="tel" autoComplete="off" value={r.number} onChange={(e) => change(i, { ...r, number: e.target.value })} aria-invalid={invalid(`${path}.${i}.number`)} />
              {extra?.(r, (next) => change(i, next), i)}
              <button type="button" className="secondary number-remove" aria-label={`Remove ${r.label.trim() || `${rowName.toLowerCase()} ${i + 1}`}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
      {rows.length < MAX_NUMBERS && (
        <button type="button" className="secondary" onClick={() => {
          const row = newRow();
          setAdded(row.key);
          onChange([...rows, row]);
        }}>
          {addLabel}
        </button>
      )}
    </div>
  );
}

let counter = 0;
export function rowKey(): string {
  counter += 1;
  return `row-${counter}`;
}
