import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, isAbort, type Me } from '../api.ts';
import type { ClientList } from '../clients/client.ts';
import { SelectField } from '../clients/client-form.tsx';
import { todayIn } from '../clients/format.ts';
import { can, useMe } from '../session.tsx';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import { BookAppointmentForm } from './book-form.tsx';
import { DaySwitcher } from './day-switcher.tsx';
import { countWords, formatLongDay, hasOwnDay, isDay, onCareTeam, type DayAppointment, type Named } from './schedule.ts';
import { SessionCard } from './session-card.tsx';
import { TodayFollowUps } from '../follow-ups/today-follow-ups.tsx';
import { NextSessionWarnings } from '../aftercare/next-session-warnings.tsx';
import { LetClinicianKnow, useRunningSessions } from '../call-gate/let-clinician-know.tsx';
import { useClinicianChoices, useLocations, useScheduleDay } from './use-schedule.ts';

/** Whose day may be shown: your own and, for supervisors, your supervisees'. */
function ownDayChoices(me: Me): Named[] {
  return [{ id: me.user.id, name: 'My day' }, ...me.supervisees];
}

function WhoseDay({ value, choices, everyone, onChange }: { value: string; choices: Named[]; everyone: boolean; onChange: (id: string) => void }) {
  if (choices.length + (everyone ? 1 : 0) < 2) return null;
  return (
    <SelectField label="Whose day" value={value} onChange={(e) => onChange(e.target.value)} className="select-short">
      {everyone && <option value="">Everyone</option>}
      {choices.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </SelectField>
  );
}

/** A clinician's own clients, for "Book a session"; loaded when the form first opens. */
function useOwnClients(open: boolean): Named[] | null {
  const [clients, setClients] = useState<Named[] | null>(null);
  const wanted = open && clients === null;
  useEffect(() => {
    if (!wanted) return;
    const ctrl = new AbortController();
    api
      .get<ClientList>('/api/clients?limit=200', { signal: ctrl.signal })
      .then((r) => setClients(r.clients.map((c) => ({ id: c.id, name: c.name }))))
      .catch((err: unknown) => {
        if (!isAbort(err)) setClients([]);
      });
    return () => ctrl.abort();
  }, [wanted]);
  return clients;
}

/** Today (DESIGN.md, Screens): the day's sessions with each client's risk and what is missing from their preparation. */
export function TodayPage() {
  usePageTitle('Today');
  const me = useMe();
  const timeZone = me.practice.timeZone;
  const today = todayIn(timeZone);
  const ownDay = hasOwnDay(me.user.role);
  const [params, setParams] = useSearchParams();
  const dateParam = params.get('date');
  const date = isDay(dateParam) ? dateParam : today;
  const whose = params.get('clinician') || (ownDay ? me.user.id : '');
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState('');
  const [booking, setBooking] = useState(false);
  const statusRef = useRef<HTMLParagraphElement>(null);
  const bookPanelId = useId();

  const { day, problem } = useScheduleDay(date, whose || null, version);
  const ownChoices = ownDay ? ownDayChoices(me) : [];
  const deskChoices = useClinicianChoices(!ownDay);
  const known = ownDay ? ownChoices : (deskChoices ?? []);
  const { locations } = useLocations();
  const ownClients = useOwnClients(booking);
  const canBook = can(me, 'appointments.book');
  // A day opened by its address (a supervisee's, say) names its clinician through its rows.
  const whoseName = whose === me.user.id ? me.user.name : (known.find((c) => c.id === whose)?.name ?? day?.appointments[0]?.clinician.name);
  const choices = whose && !known.some((c) => c.id === whose) ? [...known, { id: whose, name: whoseName ?? 'The clinician you chose' }] : known;

  const go = useCallback(
    (next: { date?: string; clinician?: string }) => {
      setMessage('');
      setParams(
        (p) => {
          const q = new URLSearchParams(p);
          const d = next.date ?? date;
          if (d === today) q.delete('date');
          else q.set('date', d);
          const c = next.clinician ?? whose;
          if (!c || (ownDay && c === me.user.id)) q.delete('clinician');
          else q.set('clinician', c);
          return q;
        },
        { replace: true },
      );
    },
    [date, today, whose, ownDay, me.user.id, setParams],
  );

  const changed = useCallback((text: string) => {
    setMessage(text);
    setVersion((v) => v + 1);
    // The row may have left the day: keep the keyboard at the message.
    window.setTimeout(() => statusRef.current?.focus(), 0);
  }, []);

  const isToday = date === today;
  // Only the clinician whose appointment it is runs its session.
  const runsSession = (a: DayAppointment) => a.clinician.id === me.user.id && onCareTeam(a) && can(me, 'session.run');
  const appointments = day?.appointments ?? [];
  // The front desk may alert a clinician in a running session (issue 7): only today's sessions run.
  const running = useRunningSessions(isToday && can(me, 'session.alert.raise'));
  const bookingClinician = ownDay && whose ? { id: whose, name: whose === me.user.id ? me.user.name : (whoseName ?? 'this clinician') } : null;

  return (
    <>
      <div className="page-head">
        <h1>{isToday ? 'Today' : formatLongDay(date)}</h1>
        {ownDay && canBook && (
          <button type="button" className="secondary" aria-expanded={booking} aria-controls={bookPanelId} onClick={() => setBooking((b) => !b)}>
            Book a session
          </button>
        )}
        {!ownDay && can(me, 'appointments.book') && (
          <Link to="/schedule" className="button-link">
            Open schedule
          </Link>
        )}
      </div>
      <p className="lede">
        {isToday && <>{formatLongDay(date)}. </>}
        {!whose ? "Everyone's sessions." : whose === me.user.id ? 'Your sessions.' : `Sessions for ${whoseName ?? 'the clinician you chose'}.`}
      </p>
      <NextSessionWarnings warnings={day?.nextSessionWarnings ?? []} />
      <div className="day-controls">
        <DaySwitcher date={date} today={today} onChange={(d) => go({ date: d })} />
        <WhoseDay value={whose} choices={choices} everyone={!ownDay} onChange={(id) => go({ clinician: id })} />
      </div>
      {bookingClinician && (
        <section id={bookPanelId} className="panel book-panel" aria-labelledby={`${bookPanelId}-heading`} hidden={!booking}>
          <h2 id={`${bookPanelId}-heading`}>Book a session</h2>
          {booking && (
            <BookAppointmentForm
              booker={{ kind: 'own', clinician: bookingClinician, clients: ownClients }}
              date={date}
              timeZone={timeZone}
              locations={locations}
              submitLabel="Book session"
              onBooked={() => setVersion((v) => v + 1)}
            />
          )}
        </section>
      )}
      <ProblemAlert problem={problem} />
      <p ref={statusRef} tabIndex={-1} role="status" className="saved-status day-message">
        {message}
      </p>
      {day === null ? (
        !problem && <Loading what="Loading the day…" />
      ) : (
        <>
          <p className="muted day-count" aria-live="polite">
            {appointments.length === 0 ? emptyText(date, isToday, !whose ? 'everyone' : whose === me.user.id ? 'self' : 'other') : `${countWords(appointments)}.`}
          </p>
          {appointments.length > 0 && (
            <ol className="sessions" aria-label={`Sessions on ${formatLongDay(date)}`}>
              {appointments.map((a) => (
                <SessionCard
                  key={a.id}
                  appointment={a}
                  timeZone={timeZone}
                  showClinician={!whose}
                  canChange={canBook && (!ownDay || onCareTeam(a))}
                  onChanged={changed}
                  session={runsSession(a) ? { canStart: isToday } : undefined}
                >
                  <LetClinicianKnow running={running.get(a.id)} clinicianName={a.clinician.name} describedBy={`session-${a.id}-time session-${a.id}-client`} />
                </SessionCard>
              ))}
            </ol>
          )}
        </>
      )}
      {isToday && can(me, 'follow_ups.read') && <TodayFollowUps />}
    </>
  );
}

function emptyText(date: string, isToday: boolean, whose: 'everyone' | 'self' | 'other'): string {
  const when = isToday ? 'today' : `on ${formatLongDay(date)}`;
  if (whose === 'everyone') return `No sessions are booked ${when}.`;
  if (whose === 'self') return isToday ? 'You have no sessions today.' : `You have no sessions ${when}.`;
  return `No sessions are booked ${when}.`;
}
