// The steps of the safety plan as editable lists: plain entries, or people with a number.
import type { KeyboardEvent, ReactNode } from 'react';
import { Field } from '../ui.tsx';
import {
  capitalize,
  ENTRY_NOUN,
  MAX_ENTRIES,
  MAX_ITEM,
  MAX_NAME,
  MAX_NOTE,
  rowId,
  type ContactRow,
  type ItemRow,
  type PlanSection,
} from './plan.ts';
import { StepHeading } from './plan-view.tsx';

/** Focus an element once React has drawn it. */
function focusLater(id: string) {
  window.setTimeout(() => document.getElementById(id)?.focus(), 0);
}

/** Whether a field of a row was named in the last problem. */
export type IsInvalid = (rowId: string, field: 'text' | 'name' | 'phone' | 'note') => true | undefined;

interface StepProps<Row> {
  section: PlanSection;
  rows: Row[];
  onChange: (rows: Row[]) => void;
  invalid: IsInvalid;
}

function StepFrame({ section, count, onAdd, children }: { section: PlanSection; count: number; onAdd: () => void; children: ReactNode }) {
  const noun = ENTRY_NOUN[section.key];
  const full = count >= MAX_ENTRIES;
  return (
    <section aria-labelledby={`step-${section.key}-heading`} className="panel plan-step" id={`step-${section.key}`}>
      <StepHeading section={section} id={`step-${section.key}-heading`} />
      <p className="hint plan-prompt">
        {section.prompt}
        {section.kind === 'contacts' && ' A name is enough; the phone and note are optional.'}
      </p>
      {count === 0 && <p className="muted">Nothing here yet.</p>}
      {children}
      <div className="row">
        <button type="button" className="secondary" id={`add-${section.key}`} onClick={onAdd} disabled={full}>
          Add {noun.article} {noun.one}
        </button>
        {full && <p className="hint">This step holds up to {MAX_ENTRIES} entries.</p>}
      </div>
    </section>
  );
}

/** After a row is removed, the keyboard goes to the row that took its place, or to "Add". */
function focusAfterRemove(section: PlanSection, ids: string[], index: number, field: string) {
  const next = ids[index] ?? ids[index - 1];
  focusLater(next ? `${next}-${field}` : `add-${section.key}`);
}

export function ItemsStep({ section, rows, onChange, invalid }: StepProps<ItemRow>) {
  const noun = ENTRY_NOUN[section.key].one;

  function add(after = rows.length - 1) {
    const row = { id: rowId(), text: '' };
    onChange([...rows.slice(0, after + 1), row, ...rows.slice(after + 1)]);
    focusLater(`${row.id}-text`);
  }

  function remove(index: number) {
    const left = rows.filter((_, i) => i !== index);
    onChange(left);
    focusAfterRemove(section, left.map((r) => r.id), index, 'text');
  }

  // Enter moves on to the next entry (a new one after the last), never saves the plan by surprise.
  function onKeyDown(e: KeyboardEvent<HTMLInputElement>, index: number) {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    e.preventDefault();
    const next = rows[index + 1];
    if (next) focusLater(`${next.id}-text`);
    else if (rows[index]?.text.trim() && rows.length < MAX_ENTRIES) add(index);
  }

  return (
    <StepFrame section={section} count={rows.length} onAdd={() => add()}>
      {rows.length > 0 && (
        <ol className="plan-rows">
          {rows.map((row, i) => (
            <li key={row.id} className="plan-row">
              <label htmlFor={`${row.id}-text`} className="plan-row-number">
                <span className="plan-sr">{capitalize(noun)} </span>
                {i + 1}
              </label>
              <input
                id={`${row.id}-text`}
                value={row.text}
                maxLength={MAX_ITEM}
                autoComplete="off"
                aria-invalid={invalid(row.id, 'text')}
                onChange={(e) => onChange(rows.map((r) => (r.id === row.id ? { ...r, text: e.target.value } : r)))}
                onKeyDown={(e) => onKeyDown(e, i)}
              />
              <button type="button" className="secondary plan-remove" aria-label={`Remove ${noun} ${i + 1}`} onClick={() => remove(i)}>
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
    </StepFrame>
  );
}

export function ContactsStep({ section, rows, onChange, invalid }: StepProps<ContactRow>) {
  const noun = ENTRY_NOUN[section.key].one;
  const set = (id: string, field: 'name' | 'phone' | 'note', value: string) =>
    onChange(rows.map((r) => (r.id === id ? { ...r, [field]: value } : r)));

  function add() {
    const row = { id: rowId(), name: '', phone: '', note: '' };
    onChange([...rows, row]);
    focusLater(`${row.id}-name`);
  }

  function remove(index: number) {
    const left = rows.filter((_, i) => i !== index);
    onChange(left);
    focusAfterRemove(section, left.map((r) => r.id), index, 'name');
  }

  return (
    <StepFrame section={section} count={rows.length} onAdd={add}>
      {rows.length > 0 && (
        <ol className="plan-rows">
          {rows.map((row, i) => (
            <li key={row.id} className="plan-contact">
              <fieldset>
                <legend>
                  {capitalize(noun)} {i + 1}
                </legend>
                <div className="plan-contact-fields">
                  <Field
                    id={`${row.id}-name`}
                    label="Name"
                    value={row.name}
                    maxLength={MAX_NAME}
                    autoComplete="off"
                    aria-invalid={invalid(row.id, 'name')}
                    onChange={(e) => set(row.id, 'name', e.target.value)}
                  />
                  <Field
                    id={`${row.id}-phone`}
                    label="Phone"
                    type="tel"
                    value={row.phone}
                    maxLength={40}
                    autoComplete="off"
                    aria-invalid={invalid(row.id, 'phone')}
                    onChange={(e) => set(row.id, 'phone', e.target.value)}
                  />
                  <Field
                    id={`${row.id}-note`}
                    label="Note"
                    value={row.note}
                    maxLength={MAX_NOTE}
                    autoComplete="off"
                    aria-invalid={invalid(row.id, 'note')}
                    onChange={(e) => set(row.id, 'note', e.target.value)}
                  />
                </div>
                <button type="button" className="secondary plan-remove" aria-label={`Remove ${noun} ${i + 1}`} onClick={() => remove(i)}>
                  Remove
                </button>
              </fieldset>
            </li>
          ))}
        </ol>
      )}
    </StepFrame>
  );
}
