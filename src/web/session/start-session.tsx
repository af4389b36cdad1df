/**
 * Starting a session from Today (issue 4 item 1). In person: one press. A video
 * session first confirms where the client is and a number to call them back
 * (DESIGN.md, "Telehealth": 911 reaches the caller's own dispatch, not the client's),
 * and names the crisis numbers that will be on screen.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, api, isAbort, type Problem } from '../api.ts';
import type { SafetyNet } from '../clients/client.ts';
import { fieldProblem, useSubmit, type FieldLabels } from '../clients/client-form.tsx';
import { formatPhone } from '../clients/format.ts';
import type { Location } from '../locations/location.ts';
import { formatTime, type DayAppointment } from '../schedule/schedule.ts';
import { Field, ProblemAlert, SelectField, TextArea } from '../ui.tsx';
import { sessionPage, startSessionPath, type SessionView, type StartSessionBody } from './session.ts';

const START_LABELS: FieldLabels = {
  clientLocation: 'Where the client is now',
  callbackPhone: 'Callback number',
  locationId: 'Crisis numbers to show',
};

export const AVAILABILITY_WORDS = 'I may have to take an urgent call; I told the client at the start';

/** What the session page reads from the navigation that opened it. */
export interface SessionNavigationState {
  session?: SessionView;
}

function explain(p: Problem): Problem {
  switch (p.code) {
    case 'APPOINTMENT_CANCELLED':
      return { ...p, detail: 'This appointment was cancelled, so its session cannot start. Book a new one from Today.' };
    case 'TELEHEALTH_LOCATION_REQUIRED':
      return { ...p, detail: "Confirm where the client is now and a number to call them back, then start the session." };
    default:
      return p;
  }
}

/** Starts the session and goes to it; the problem in the clinic's words if it can't. */
function useStart(a: DayAppointment) {
  const navigate = useNavigate();
  const submit = useSubmit(START_LABELS);
  async function start(body: StartSessionBody): Promise<void> {
    await submit.run(async () => {
      let s: SessionView;
      try {
        s = await api.post<SessionView>(startSessionPath(a.id), body);
      } catch (err) {
        throw err instanceof ApiError ? new ApiError(explain(err.problem)) : err;
      }
      const state: SessionNavigationState = { session: s };
      navigate(sessionPage(s.id), { state });
    }, '');
  }
  return { ...submit, start };
}

function AvailabilityCheck({ checked, onChange }: { checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {AVAILABILITY_WORDS}
    </label>
  );
}

interface Props {
  appointment: DayAppointment;
  timeZone: string;
  /** Starting is offered only for today's appointments; a running session can be opened any day. */
  canStart: boolean;
  /** The id(s) of the text naming the appointment, so the button says which one it acts on. */
  describedBy: string;
}

/** "Start session", "Open session", or that the session has ended, for one of my appointments. */
export function SessionControl({ appointment: a, timeZone, canStart, describedBy }: Props) {
  const s = a.session ?? null;
  if (a.status === 'cancelled') return null;
  if (s && !s.endedAt) {
    return (
      <div className="session-control row">
        <Link to={sessionPage(s.id)} className="button-link button-primary" aria-describedby={describedBy}>
          Open session
        </Link>
        <span className="muted">Started at {formatTime(s.startedAt, timeZone)}</span>
      </div>
    );
  }
  if (s && s.endedAt) {
    return (
      <p className="session-control session-ran">
        Session ended at {formatTime(s.endedAt, timeZone)}.{' '}
        <Link to={sessionPage(s.id)} aria-describedby={describedBy}>
          Session record
        </Link>
      </p>
    );
  }
  if (!canStart) return null;
  return a.modality === 'telehealth' ? <StartTelehealth appointment={a} describedBy={describedBy} /> : <StartInPerson appointment={a} describedBy={describedBy} />;
}

function StartInPerson({ appointment: a, describedBy }: { appointment: DayAppointment; describedBy: string }) {
  const [notice, setNotice] = useState(false);
  const { busy, problem, start } = useStart(a);
  return (
    <div className="session-control session-start">
      <AvailabilityCheck checked={notice} onChange={setNotice} />
      <button
        type="button"
        className="primary"
        disabled={busy}
        aria-describedby={describedBy}
        onClick={() => void start({ availabilityNotice: notice, availabilityNoticeToldClient: notice })}
      >
        Start session
      </button>
      <ProblemAlert problem={problem} />
    </div>
  );
}

function StartTelehealth({ appointment: a, describedBy }: { appointment: DayAppointment; describedBy: string }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const formId = useId();
  if (!open) {
    return (
      <div className="session-control session-start">
        <button ref={button} type="button" className="primary" aria-describedby={describedBy} onClick={() => setOpen(true)}>
          Start session
        </button>
      </div>
    );
  }
  return (
    <TelehealthStartForm
      id={formId}
      appointment={a}
      onClose={() => {
        setOpen(false);
        window.setTimeout(() => button.current?.focus(), 0);
      }}
    />
  );
}

/** The client's phone and address on file, to prefill the confirmation (GET /api/clients/:id). */
function useClientContact(clientId: string) {
  const [contact, setContact] = useState<{ phone: string | null; address: string | null } | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<SafetyNet>(`/api/clients/${encodeURIComponent(clientId)}`, { signal: ctrl.signal })
      .then((r) => setContact({ phone: r.client.phone, address: r.client.address }))
      .catch((err: unknown) => {
        if (!isAbort(err)) setContact({ phone: null, address: null }); // type them in instead
      });
    return () => ctrl.abort();
  }, [clientId]);
  return contact;
}

function usePracticeLocations() {
  const [locations, setLocations] = useState<Location[] | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<{ locations: Location[] }>('/api/locations', { signal: ctrl.signal })
      .then((r) => setLocations([...r.locations].sort((x, y) => x.name.localeCompare(y.name))))
      .catch((err: unknown) => {
        if (!isAbort(err)) setLocations([]);
      });
    return () => ctrl.abort();
  }, []);
  return locations;
}

function TelehealthStartForm({ id, appointment: a, onClose }: { id: string; appointment: DayAppointment; onClose: () => void }) {
  const contact = useClientContact(a.client.id);
  const locations = usePracticeLocations();
  const [where, setWhere] = useState('');
  const [callback, setCallback] = useState('');
  const [locationId, setLocationId] = useState('');
  const [notice, setNotice] = useState(false);
  const { busy, problem, fail, invalid, start } = useStart(a);
  const name = a.client.name;

  // Prefill from the record, unless the clinician has already typed something.
  useEffect(() => {
    if (!contact) return;
    setWhere((w) => w || contact.address || '');
    setCallback((c) => c || (contact.phone ? formatPhone(contact.phone) : ''));
  }, [contact]);
  useEffect(() => {
    if (!locations || locations.length === 0) return;
    setLocationId((l) => l || (a.location && locations.some((x) => x.id === a.location?.id) ? a.location.id : (locations[0]?.id ?? '')));
  }, [locations, a.location]);

  const chosen = locations?.find((l) => l.id === locationId) ?? null;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errors: { path: string; message: string }[] = [];
    if (!where.trim()) errors.push({ path: 'clientLocation', message: `Ask ${name} where they are right now, and enter it` });
    if (!callback.trim()) errors.push({ path: 'callbackPhone', message: `Enter a number to call ${name} back if the video drops` });
    if (errors.length > 0) {
      fail(fieldProblem('Confirm these before the session starts:', errors));
      return;
    }
    await start({
      clientLocation: where.trim(),
      callbackPhone: callback.trim(),
      ...(locationId ? { locationId } : {}),
      availabilityNotice: notice,
      availabilityNoticeToldClient: notice,
    });
  }

  return (
    <form id={id} onSubmit={submit} noValidate className="stack session-start-form" aria-labelledby={`${id}-heading`} aria-busy={busy}>
      <h3 id={`${id}-heading`}>Before the video session with {name}</h3>
      <p className="hint">
        Ask {name} where they are right now and on which number you can call them back. If help is needed, it is sent there: 911 on your phone
        reaches your own dispatch, not theirs.
      </p>
      <TextArea
        label={`Where ${name} is right now`}
        hint={contact === null ? 'Looking up the address on file…' : contact.address ? 'The address on file; change it if they are elsewhere.' : undefined}
        rows={2}
        value={where}
        onChange={(e) => setWhere(e.target.value)}
        required
        aria-invalid={invalid('clientLocation')}
        autoFocus
      />
      <Field
        label="Callback number"
        type="tel"
        autoComplete="off"
        value={callback}
        onChange={(e) => setCallback(e.target.value)}
        required
        aria-invalid={invalid('callbackPhone')}
      />
      {locations && locations.length > 1 && (
        <SelectField label="Crisis numbers to show" hint="The practice location nearest to where the client is." value={locationId} onChange={(e) => setLocationId(e.target.value)}>
          {locations.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </SelectField>
      )}
      <p className="crisis-preview">
        {chosen
          ? `During the session, the crisis numbers for ${chosen.name} are on screen: ${chosen.crisisResources.map((r) => r.label).join(', ')}.`
          : locations === null
            ? 'During the session, the crisis numbers are on screen.'
            : 'During the session, the national crisis numbers (911, 988 and Poison Help) are on screen.'}
      </p>
      <AvailabilityCheck checked={notice} onChange={setNotice} />
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Start session
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Not now
        </button>
      </div>
    </form>
  );
}
