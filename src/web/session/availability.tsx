// The availability notice (DESIGN.md, "Before"; seed 000): the clinician may have to take
// an urgent call during this session and told the client so at the start.
import { useId, useState } from 'react';
import { request, problemOf, type Problem } from '../api.ts';
import { ProblemAlert } from '../ui.tsx';
import { sessionPath, type SessionView } from './session.ts';
import { AVAILABILITY_WORDS } from './start-session.tsx';
import { changeSession, type SessionPart } from './use-session-view.ts';

export function AvailabilityPanel({ discreet, ...part }: SessionPart & { discreet: boolean }) {
  const { session } = part;
  const id = useId();
  const [pending, setPending] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState('');
  const on = pending ?? session.availabilityNotice;
  const ended = session.endedAt !== null;

  async function toggle(next: boolean) {
    setPending(next);
    setProblem(null);
    setSaved('');
    try {
      const body = { availabilityNotice: next, availabilityNoticeToldClient: next };
      await changeSession(part, () => request<SessionView>('PATCH', sessionPath(session.id), { body }));
      setSaved(next ? 'Saved: availability notice on.' : 'Saved: availability notice off.');
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setPending(null);
    }
  }

  return (
    <section className="panel session-panel session-availability" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{discreet ? 'Availability' : 'Urgent calls'}</h2>
      <div className="switch-row">
        <input
          id={id}
          type="checkbox"
          role="switch"
          className="switch"
          checked={on}
          disabled={ended}
          aria-disabled={pending !== null || undefined}
          onChange={(e) => {
            if (pending === null) void toggle(e.target.checked);
          }}
        />
        <label htmlFor={id}>{discreet ? 'Availability notice' : AVAILABILITY_WORDS}</label>
      </div>
      <ProblemAlert problem={problem} />
      <p role="status" className="saved-status">
        {saved}
      </p>
    </section>
  );
}
