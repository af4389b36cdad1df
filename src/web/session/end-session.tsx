// Ending the session, or ending it early with a reason and, if wanted, a new
// appointment (seed 000: the clinician's own emergency; seed 003: the walkout).
import { useId, useRef, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { fieldProblem, useSubmit, type FieldLabels } from '../clients/client-form.tsx';
import { DEFAULT_MINUTES, MAX_MINUTES, MIN_MINUTES, formatLongDay, formatTime, startsAtIso, withBookingWords } from '../schedule/schedule.ts';
import { Field, ProblemAlert, TextArea } from '../ui.tsx';
import { sessionPath, type EndSessionBody, type SessionView } from './session.ts';
import { changeSession, type SessionPart } from './use-session-view.ts';

const END_LABELS: FieldLabels = {
  'early.reason': 'Why the session is ending early',
  'early.reschedule.startsAt': 'New appointment',
  'early.reschedule.minutes': 'Length',
  reason: 'Why the session is ending early',
  date: 'Date',
  time: 'Start time',
  minutes: 'Length',
};

type Mode = 'choose' | 'confirm' | 'early';

export function EndSessionPanel({ onEnded, ...part }: SessionPart & { onEnded: (message: string) => void }) {
  const [mode, setMode] = useState<Mode>('choose');
  const headingId = useId();
  const endButton = useRef<HTMLButtonElement>(null);
  const earlyButton = useRef<HTMLButtonElement>(null);

  function back(to: 'end' | 'early') {
    setMode('choose');
    window.setTimeout(() => (to === 'end' ? endButton : earlyButton).current?.focus(), 0);
  }

  return (
    <section className="panel session-panel session-end" aria-labelledby={headingId}>
      <h2 id={headingId}>End the session</h2>
      {mode === 'choose' && (
        <div className="row">
          <button ref={endButton} type="button" className="primary" onClick={() => setMode('confirm')}>
            End session
          </button>
          <button ref={earlyButton} type="button" className="secondary" onClick={() => setMode('early')}>
            End early
          </button>
        </div>
      )}
      {mode === 'confirm' && <ConfirmEnd part={part} onEnded={onEnded} onKeep={() => back('end')} />}
      {mode === 'early' && <EndEarlyForm part={part} onEnded={onEnded} onKeep={() => back('early')} />}
    </section>
  );
}

function ConfirmEnd({ part, onEnded, onKeep }: { part: SessionPart; onEnded: (m: string) => void; onKeep: () => void }) {
  const { busy, problem, run } = useSubmit();
  const textId = useId();
  const body: EndSessionBody = {};
  return (
    <div className="confirm" role="group" aria-labelledby={textId}>
      <p id={textId}>End the session with {part.session.client.name} now?</p>
      <ProblemAlert problem={problem} />
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={busy}
          autoFocus
          onClick={() =>
            void run(() => changeSession(part, () => api.post<SessionView>(sessionPath(part.session.id, '/end'), body)), '').then(
              (ok) => ok && onEnded('The session has ended.'),
            )
          }
        >
          Yes, end the session
        </button>
        <button type="button" className="secondary" onClick={onKeep}>
          Not yet
        </button>
      </div>
    </div>
  );
}

function EndEarlyForm({ part, onEnded, onKeep }: { part: SessionPart; onEnded: (m: string) => void; onKeep: () => void }) {
  const { session, timeZone } = part;
  const [reason, setReason] = useState('');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [minutes, setMinutes] = useState(String(session.minutes || DEFAULT_MINUTES));
  const { busy, problem, run, fail, invalid } = useSubmit(END_LABELS);
  const formId = useId();

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errors: { path: string; message: string }[] = [];
    if (!reason.trim()) errors.push({ path: 'reason', message: 'Say briefly why, for the session record' });
    const rescheduling = date !== '' || time !== '';
    if (rescheduling && !date) errors.push({ path: 'date', message: 'Choose the date of the new appointment, or clear its time' });
    if (rescheduling && !time) errors.push({ path: 'time', message: 'Choose the start time of the new appointment, or clear its date' });
    const startsAt = date && time ? startsAtIso(date, time, timeZone) : null;
    if (date && time && !startsAt) errors.push({ path: 'time', message: 'The clocks change at that time on this day. Choose another time' });
    const length = Number(minutes);
    if (rescheduling && !(Number.isInteger(length) && length >= MIN_MINUTES && length <= MAX_MINUTES)) {
      errors.push({ path: 'minutes', message: `Enter a length from ${MIN_MINUTES} to ${MAX_MINUTES} minutes` });
    }
    if (errors.length > 0) {
      fail(fieldProblem('Some details need another look:', errors));
      return;
    }
    const body: EndSessionBody = {
      early: { reason: reason.trim(), ...(startsAt ? { reschedule: { startsAt, minutes: length } } : {}) },
    };
    const ok = await run(
      () => withBookingWords(() => changeSession(part, () => api.post<SessionView>(sessionPath(session.id, '/end'), body))),
      '',
    );
    if (!ok) return;
    onEnded(
      startsAt
        ? `The session ended early. ${session.client.name}'s new appointment is on ${formatLongDay(date)} at ${formatTime(startsAt, timeZone)}.`
        : 'The session ended early.',
    );
  }

  return (
    <form onSubmit={submit} noValidate className="stack end-early-form" aria-labelledby={`${formId}-heading`} aria-busy={busy}>
      <h3 id={`${formId}-heading`}>End early</h3>
      <TextArea
        label="Why the session is ending early"
        hint="For the session record. Keep the client's clinical detail out of it."
        rows={2}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        required
        maxLength={1000}
        aria-invalid={invalid('reason') ?? invalid('early.reason')}
        autoFocus
      />
      <fieldset className="stack">
        <legend>Reschedule (optional)</legend>
        <p className="hint">
          A new appointment with {session.client.name}, in the practice's time ({timeZone}). Leave the date empty to book it later.
        </p>
        <div className="field-pair">
          <Field label="Date" type="date" value={date} onChange={(e) => setDate(e.target.value)} aria-invalid={invalid('date')} />
          <Field
            label="Start time"
            type="time"
            step={300}
            value={time}
            onChange={(e) => setTime(e.target.value)}
            aria-invalid={invalid('time') ?? invalid('early.reschedule.startsAt') ?? (problem?.code === 'APPOINTMENT_OVERLAPS' ? true : undefined)}
          />
          <Field
            label="Length (minutes)"
            type="number"
            inputMode="numeric"
            min={MIN_MINUTES}
            max={MAX_MINUTES}
            step={5}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            aria-invalid={invalid('minutes') ?? invalid('early.reschedule.minutes')}
          />
        </div>
      </fieldset>
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          End the session early
        </button>
        <button type="button" className="secondary" onClick={onKeep}>
          Not yet
        </button>
      </div>
    </form>
  );
}
