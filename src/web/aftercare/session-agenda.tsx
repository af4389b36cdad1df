import { useId, useState } from 'react';
import { ProblemAlert } from '../ui.tsx';
import type { Problem } from '../api.ts';
import { ApiError } from '../api.ts';
import { aftercareApi, type AgendaItem } from './aftercare.ts';

/** The agenda shown when the session starts: what to talk about, each to tick once discussed. */
export function SessionAgenda({ items, onChanged }: { items: AgendaItem[]; onChanged: () => void }) {
  const headingId = useId();
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  if (items.length === 0) return null;

  async function toggle(item: AgendaItem, discussed: boolean) {
    setBusy(item.id);
    setProblem(null);
    try {
      await aftercareApi.markDiscussed(item.id, discussed);
      onChanged();
    } catch (err) {
      setProblem(err instanceof ApiError ? err.problem : { status: 0, detail: 'That did not save. Try again.' });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="panel session-panel session-agenda" aria-labelledby={headingId}>
      <h2 id={headingId}>Agenda for this session</h2>
      <ProblemAlert problem={problem} />
      <ul className="agenda-list">
        {items.map((item) => (
          <li key={item.id}>
            <label>
              <input type="checkbox" checked={item.discussedAt !== null} disabled={busy === item.id} onChange={(e) => void toggle(item, e.target.checked)} />{' '}
              {item.text}
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
