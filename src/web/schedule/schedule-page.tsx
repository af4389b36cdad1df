import { useCallback, useRef, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { todayIn } from '../clients/format.ts';
import { can, useMe } from '../session.tsx';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import { AppointmentActions } from './appointment-actions.tsx';
import { BookAppointmentForm } from './book-form.tsx';
import { DaySwitcher } from './day-switcher.tsx';
import { countWords, formatLongDay, formatTimeRange, hasOwnDay, isDay, modalityWords, type DayAppointment, type Named } from './schedule.ts';
import { useClinicianChoices, useLocations, useScheduleDay } from './use-schedule.ts';

interface Group {
  clinician: Named;
  appointments: DayAppointment[];
}

function byClinician(appointments: DayAppointment[]): Group[] {
  const groups = new Map<string, Group>();
  for (const a of appointments) {
    const g = groups.get(a.clinician.id) ?? { clinician: a.clinician, appointments: [] };
    g.appointments.push(a);
    groups.set(a.clinician.id, g);
  }
  return [...groups.values()].sort((a, b) => a.clinician.name.localeCompare(b.clinician.name));
}

function ScheduleRow({ appointment: a, timeZone, canChange, onChanged }: { appointment: DayAppointment; timeZone: string; canChange: boolean; onChanged: (m: string) => void }) {
  const cancelled = a.status === 'cancelled';
  const timeId = `row-${a.id}-time`;
  const nameId = `row-${a.id}-client`;
  return (
    <li className={cancelled ? 'schedule-row session-cancelled' : 'schedule-row'} aria-labelledby={`${timeId} ${nameId}`}>
      <span className="schedule-time" id={timeId}>
        {formatTimeRange(a.startsAt, a.minutes, timeZone)}
      </span>
      <span className="schedule-who">
        <span className="client-name" id={nameId}>
          {a.client.name}
        </span>
        {cancelled && <span className="chip chip-cancelled">Cancelled</span>}
        <span className="schedule-where muted">{modalityWords(a)}</span>
      </span>
      {canChange && !cancelled && <AppointmentActions appointment={a} timeZone={timeZone} describedBy={`${timeId} ${nameId}`} onChanged={onChanged} />}
    </li>
  );
}

/** The front desk's day: everyone's sessions by clinician (names and times only), booking, moving, cancelling. */
export function SchedulePage() {
  usePageTitle('Schedule');
  const me = useMe();
  const timeZone = me.practice.timeZone;
  const today = todayIn(timeZone);
  const [params, setParams] = useSearchParams();
  const dateParam = params.get('date');
  const date = isDay(dateParam) ? dateParam : today;
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState('');
  const statusRef = useRef<HTMLParagraphElement>(null);
  const ownDay = hasOwnDay(me.user.role);

  const { day, problem } = useScheduleDay(date, null, version);
  const clinicians = useClinicianChoices(!ownDay);
  const { locations, problem: locationsProblem } = useLocations();
  const canBook = can(me, 'appointments.book');

  const go = useCallback(
    (d: string) => {
      setMessage('');
      setParams(d === today ? {} : { date: d }, { replace: true });
    },
    [today, setParams],
  );
  const changed = useCallback((text: string) => {
    setMessage(text);
    setVersion((v) => v + 1);
    window.setTimeout(() => statusRef.current?.focus(), 0);
  }, []);

  // Clinicians and supervisors keep their own day on Today.
  if (ownDay) return <Navigate to="/today" replace />;

  const groups = day ? byClinician(day.appointments) : [];
  return (
    <>
      <h1>Schedule</h1>
      <p className="lede">Everyone's sessions by clinician: names and times only.</p>
      <DaySwitcher date={date} today={today} onChange={go} />
      <div className="schedule-layout">
        <section className="schedule-day" aria-labelledby="schedule-day-heading">
          <h2 id="schedule-day-heading">
            {date === today ? 'Today, ' : ''}
            {formatLongDay(date)}
          </h2>
          <ProblemAlert problem={problem} />
          <p ref={statusRef} tabIndex={-1} role="status" className="saved-status day-message">
            {message}
          </p>
          {day === null ? (
            !problem && <Loading what="Loading the day…" />
          ) : (
            <>
              <p className="muted day-count" aria-live="polite">
                {day.appointments.length === 0 ? 'No sessions are booked for this day.' : `${countWords(day.appointments)}.`}
              </p>
              {groups.map((g) => (
                <section key={g.clinician.id} className="schedule-group" aria-labelledby={`group-${g.clinician.id}`}>
                  <h3 id={`group-${g.clinician.id}`}>{g.clinician.name}</h3>
                  <ul className="schedule-list" aria-label={`Sessions with ${g.clinician.name}`}>
                    {g.appointments.map((a) => (
                      <ScheduleRow key={a.id} appointment={a} timeZone={timeZone} canChange={canBook} onChanged={changed} />
                    ))}
                  </ul>
                </section>
              ))}
            </>
          )}
        </section>
        {canBook && (
          <section className="panel book-panel" aria-labelledby="book-heading">
            <h2 id="book-heading">Book appointment</h2>
            <ProblemAlert problem={locationsProblem} />
            <BookAppointmentForm
              booker={{ kind: 'desk', clinicians }}
              date={date}
              timeZone={timeZone}
              locations={locations}
              submitLabel="Book appointment"
              onBooked={() => setVersion((v) => v + 1)}
            />
          </section>
        )}
      </div>
    </>
  );
}
