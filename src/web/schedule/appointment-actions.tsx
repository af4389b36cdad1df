import { useRef, useState, type FormEvent } from 'react';
import { api, request } from '../api.ts';
import { fieldProblem, useSubmit, type FieldLabels } from '../clients/client-form.tsx';
import { Field, ProblemAlert } from '../ui.tsx';
import { appointmentPath, formatLongDay, formatTime, startsAtIso, wallClockOf, withBookingWords, type DayAppointment } from './schedule.ts';

const MOVE_LABELS: FieldLabels = { startsAt: 'Start time', date: 'Date', time: 'Start time' };

interface Props {
  appointment: DayAppointment;
  timeZone: string;
  /** The id of the text naming the appointment, so each button says which one it acts on. */
  describedBy: string;
  /** After a move or cancel; the row may leave the day, so the page takes focus from here. */
  onChanged: (message: string) => void;
}

/** "Move" and "Cancel appointment" for one scheduled appointment. */
export function AppointmentActions({ appointment: a, timeZone, describedBy, onChanged }: Props) {
  const [open, setOpen] = useState<'move' | 'cancel' | null>(null);
  const moveButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const panelId = `appointment-${a.id}`;

  function close(focus: 'move' | 'cancel') {
    setOpen(null);
    window.setTimeout(() => (focus === 'move' ? moveButton : cancelButton).current?.focus(), 0);
  }

  return (
    <div className="appointment-actions">
      <div className="row">
        <button
          ref={moveButton}
          type="button"
          className="secondary"
          aria-expanded={open === 'move'}
          aria-controls={`${panelId}-move`}
          aria-describedby={describedBy}
          onClick={() => setOpen((o) => (o === 'move' ? null : 'move'))}
        >
          Move
        </button>
        <button
          ref={cancelButton}
          type="button"
          className="secondary"
          aria-expanded={open === 'cancel'}
          aria-controls={`${panelId}-cancel`}
          aria-describedby={describedBy}
          onClick={() => setOpen((o) => (o === 'cancel' ? null : 'cancel'))}
        >
          Cancel appointment
        </button>
      </div>
      <div id={`${panelId}-move`} hidden={open !== 'move'}>
        {open === 'move' && (
          <MoveForm
            appointment={a}
            timeZone={timeZone}
            onMoved={(message) => {
              setOpen(null);
              onChanged(message);
            }}
            onClose={() => close('move')}
          />
        )}
      </div>
      <div id={`${panelId}-cancel`} hidden={open !== 'cancel'}>
        {open === 'cancel' && (
          <CancelConfirm
            appointment={a}
            timeZone={timeZone}
            onCancelled={(message) => {
              setOpen(null);
              onChanged(message);
            }}
            onKeep={() => close('cancel')}
          />
        )}
      </div>
    </div>
  );
}

function MoveForm({ appointment: a, timeZone, onMoved, onClose }: { appointment: DayAppointment; timeZone: string; onMoved: (m: string) => void; onClose: () => void }) {
  const current = wallClockOf(a.startsAt, timeZone);
  const [date, setDate] = useState(current.date);
  const [time, setTime] = useState(current.time);
  const { busy, problem, run, fail, invalid } = useSubmit(MOVE_LABELS);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errors: { path: string; message: string }[] = [];
    if (!date) errors.push({ path: 'date', message: 'Choose the new date' });
    if (!time) errors.push({ path: 'time', message: 'Choose the new start time' });
    const startsAt = date && time ? startsAtIso(date, time, timeZone) : null;
    if (date && time && !startsAt) errors.push({ path: 'time', message: 'The clocks change at that time on this day. Choose another time' });
    if (errors.length > 0 || !startsAt) {
      fail(fieldProblem('Some details need another look:', errors));
      return;
    }
    const ok = await run(() => withBookingWords(() => request<void>('PATCH', appointmentPath(a.id), { body: { startsAt } })), '');
    if (ok) onMoved(`${a.client.name}'s appointment moved to ${formatLongDay(date)} at ${formatTime(startsAt, timeZone)}.`);
  }

  return (
    <form onSubmit={submit} noValidate className="stack move-form" aria-label={`Move ${a.client.name}'s appointment`} aria-busy={busy}>
      <div className="field-pair">
        <Field label="Date" type="date" value={date} onChange={(e) => setDate(e.target.value)} required aria-invalid={invalid('date')} />
        <Field label="Start time" type="time" step={300} value={time} onChange={(e) => setTime(e.target.value)} required aria-invalid={invalid('time') ?? invalid('startsAt') ?? (problem?.code === 'APPOINTMENT_OVERLAPS' ? true : undefined)} />
      </div>
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Move appointment
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Don't move
        </button>
      </div>
    </form>
  );
}

function CancelConfirm({ appointment: a, timeZone, onCancelled, onKeep }: { appointment: DayAppointment; timeZone: string; onCancelled: (m: string) => void; onKeep: () => void }) {
  const { busy, problem, run } = useSubmit();
  const textId = `cancel-${a.id}-text`;
  const when = formatTime(a.startsAt, timeZone);
  return (
    <div className="confirm" role="group" aria-labelledby={textId}>
      <p id={textId}>
        Cancel {a.client.name}'s {when} appointment with {a.clinician.name}? It stays on the schedule, marked as cancelled.
      </p>
      <ProblemAlert problem={problem} />
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() =>
            void run(() => withBookingWords(() => api.post<void>(`${appointmentPath(a.id)}/cancel`)), '').then(
              (ok) => ok && onCancelled(`${a.client.name}'s ${when} appointment is cancelled.`),
            )
          }
        >
          Yes, cancel appointment
        </button>
        <button type="button" className="secondary" onClick={onKeep}>
          Keep appointment
        </button>
      </div>
    </div>
  );
}
