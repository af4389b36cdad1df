import { useState, type FormEvent } from 'react';
import type { User } from '../users/user.ts';
import { Field } from '../ui.tsx';
import { NO_FILTERS, OUTCOME_NAMES, type AuditFilters } from './audit-event.ts';

interface Props {
  people: User[];
  onApply: (filters: AuditFilters) => void;
}

export function AuditFilterForm({ people, onApply }: Props) {
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const set = <K extends keyof AuditFilters>(key: K, value: AuditFilters[K]) => setDraft((d) => ({ ...d, [key]: value }));

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    onApply({ ...draft, action: draft.action.trim() });
  }

  return (
    <form onSubmit={submit} className="filters" aria-label="Filter the audit trail">
      <Field
        label="Action"
        hint="For example users.invite"
        value={draft.action}
        onChange={(e) => set('action', e.target.value)}
        autoComplete="off"
      />
      <div className="field">
        <label htmlFor="audit-person">Person</label>
        <select id="audit-person" value={draft.actorId} onChange={(e) => set('actorId', e.target.value)}>
          <option value="">Anyone</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-outcome">Outcome</label>
        <select
          id="audit-outcome"
          value={draft.outcome}
          onChange={(e) => set('outcome', e.target.value as AuditFilters['outcome'])}
        >
          <option value="">Any outcome</option>
          {Object.entries(OUTCOME_NAMES).map(([value, name]) => (
            <option key={value} value={value}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <Field label="From" type="date" value={draft.from} onChange={(e) => set('from', e.target.value)} />
      <Field label="To" type="date" value={draft.to} onChange={(e) => set('to', e.target.value)} />
      <div className="row filter-actions">
        <button type="submit" className="primary">
          Show events
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setDraft(NO_FILTERS);
            onApply(NO_FILTERS);
          }}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}
