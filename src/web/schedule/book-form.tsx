import { useEffect, useId, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { fieldProblem, SelectField, useSubmit, type FieldLabels } from '../clients/client-form.tsx';
import { clientPath } from '../clients/client.ts';
import { Field, ProblemAlert } from '../ui.tsx';
import { ClientCombobox } from './client-combobox.tsx';
import {
  DEFAULT_MINUTES, MAX_MINUTES, MIN_MINUTES, formatLongDay, formatTime, startsAtIso, withBookingWords,
  type Location, type Modality, type Named,
} from './schedule.ts';
import { byName } from './use-schedule.ts';

const LABELS: FieldLabels = {
  clientId: 'Client',
  clinicianId: 'Clinician',
  date: 'Date',
  startsAt: 'Start time',
  time: 'Start time',
  minutes: 'Length (minutes)',
  modality: 'Session type',
  locationId: 'Location',
};

/** Who books: the front desk chooses client and clinician; a clinician books their own clients. */
export type Booker =
  | { kind: 'desk'; clinicians: Named[] | null }
  | { kind: 'own'; clinician: Named; clients: Named[] | null };

interface Props {
  booker: Booker;
  /** The day on screen: the form starts there. */
  date: string;
  timeZone: string;
  locations: Location[] | null;
  submitLabel: string;
  onBooked: (date: string) => void;
}

interface Draft {
  client: Named | null;
  clinicianId: string;
  date: string;
  time: string;
  minutes: string;
  modality: Modality;
  locationId: string;
}

function check(d: Draft, needsLocation: boolean) {
  const errors: { path: string; message: string }[] = [];
  if (!d.client) errors.push({ path: 'clientId', message: 'Choose the client' });
  if (!d.clinicianId) errors.push({ path: 'clinicianId', message: 'Choose the clinician' });
  if (!d.date) errors.push({ path: 'date', message: 'Choose the date' });
  if (!d.time) errors.push({ path: 'time', message: 'Choose the start time' });
  const minutes = Number(d.minutes);
  if (!Number.isInteger(minutes) || minutes < MIN_MINUTES || minutes > MAX_MINUTES) {
    errors.push({ path: 'minutes', message: `Use a whole number of minutes from ${MIN_MINUTES} to ${MAX_MINUTES}` });
  }
  if (needsLocation && !d.locationId) errors.push({ path: 'locationId', message: 'Choose where the session takes place' });
  return errors;
}

/**
 * The clinicians a client has seen or will see (their appointments over the past year and
 * ahead): the likely care team, since the front desk cannot read the care team itself.
 */
function useClientsClinicians(clientId: string | null): Named[] {
  const [seen, setSeen] = useState<{ clientId: string; clinicians: Named[] } | null>(null);
  useEffect(() => {
    if (!clientId) return;
    const ctrl = new AbortController();
    const from = new Date(Date.now() - 366 * 86_400_000).toISOString();
    api
      .get<{ appointments: { clinician: Named }[] }>(`${clientPath(clientId)}/appointments?${new URLSearchParams({ from, limit: '100' }).toString()}`, { signal: ctrl.signal })
      .then((r) => setSeen({ clientId, clinicians: byName(r.appointments.map((a) => a.clinician)) }))
      .catch(() => {
        // Only a hint for choosing; the server still checks the care team when booking.
      });
    return () => ctrl.abort();
  }, [clientId]);
  return seen && seen.clientId === clientId ? seen.clinicians : [];
}

export function BookAppointmentForm({ booker, date, timeZone, locations, submitLabel, onBooked }: Props) {
  const noLocations = locations !== null && locations.length === 0;
  const fixedClinician = booker.kind === 'own' ? booker.clinician : null;
  const [draft, setDraft] = useState<Draft>(() => ({
    client: null, clinicianId: fixedClinician?.id ?? '', date, time: '', minutes: String(DEFAULT_MINUTES),
    modality: noLocations ? 'telehealth' : 'in_person', locationId: '',
  }));
  const [resets, setResets] = useState(0);
  const { busy, problem, status, run, fail, invalid } = useSubmit(LABELS);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const typeName = useId();

  // The day on screen changes: book on that day unless a date was already chosen for this booking.
  useEffect(() => setDraft((d) => (d.client || d.time ? d : { ...d, date })), [date]);
  // One location: nothing to choose.
  useEffect(() => {
    if (locations?.length === 1) setDraft((d) => (d.locationId ? d : { ...d, locationId: locations[0]!.id }));
    if (locations?.length === 0) setDraft((d) => ({ ...d, modality: 'telehealth' }));
  }, [locations]);
  useEffect(() => {
    if (fixedClinician) setDraft((d) => ({ ...d, clinicianId: fixedClinician.id }));
  }, [fixedClinician?.id]);

  const clientsClinicians = useClientsClinicians(booker.kind === 'desk' ? (draft.client?.id ?? null) : null);
  // The front desk: the client's own clinicians come first; one of them is chosen unless one already is.
  useEffect(() => {
    const first = clientsClinicians[0];
    if (first) setDraft((d) => (clientsClinicians.some((c) => c.id === d.clinicianId) ? d : { ...d, clinicianId: first.id }));
  }, [clientsClinicians]);

  const needsLocation = draft.modality === 'in_person';
  const clinicianName = fixedClinician?.name ?? clinicianChoices(booker, clientsClinicians).all.find((c) => c.id === draft.clinicianId)?.name;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errors = check(draft, needsLocation);
    const startsAt = draft.date && draft.time ? startsAtIso(draft.date, draft.time, timeZone) : null;
    if (draft.date && draft.time && !startsAt) errors.push({ path: 'time', message: 'The clocks change at that time on this day. Choose another time' });
    if (errors.length > 0 || !startsAt || !draft.client) {
      fail(fieldProblem('Some details need another look:', errors));
      return;
    }
    const client = draft.client;
    const body = {
      clientId: client.id,
      clinicianId: draft.clinicianId,
      startsAt,
      minutes: Number(draft.minutes),
      modality: draft.modality,
      ...(needsLocation ? { locationId: draft.locationId } : {}),
    };
    const when = `${formatLongDay(draft.date)} at ${formatTime(startsAt, timeZone)}`;
    const ok = await run(
      () => withBookingWords(() => api.post<{ id: string }>('/api/appointments', body), clinicianName).then(() => undefined),
      `Booked ${client.name} with ${clinicianName ?? 'the clinician'} on ${when}.`,
    );
    if (ok) {
      setDraft((d) => ({ ...d, client: null, time: '' }));
      setResets((n) => n + 1);
      onBooked(draft.date);
    }
  }

  const code = problem?.code;
  return (
    <form onSubmit={submit} noValidate className="stack book-form" aria-label={submitLabel} aria-busy={busy}>
      {booker.kind === 'desk' ? (
        <>
          <ClientCombobox
            key={resets}
            label="Client"
            value={draft.client}
            onChange={(c) => set('client', c)}
            invalid={invalid('clientId') ?? (code === 'BOOKING_CLIENT_ARCHIVED' ? true : undefined)}
          />
          <ClinicianSelect
            booker={booker}
            clientsClinicians={clientsClinicians}
            value={draft.clinicianId}
            onChange={(id) => set('clinicianId', id)}
            invalid={invalid('clinicianId') ?? (code === 'CLINICIAN_NOT_ON_CARE_TEAM' ? true : undefined)}
          />
        </>
      ) : (
        <>
          <SelectField
            label="Client"
            value={draft.client?.id ?? ''}
            onChange={(e) => set('client', booker.clients?.find((c) => c.id === e.target.value) ?? null)}
            aria-invalid={invalid('clientId') ?? (code === 'BOOKING_CLIENT_ARCHIVED' || code === 'CLINICIAN_NOT_ON_CARE_TEAM' ? true : undefined)}
            hint={booker.clients?.length === 0 ? 'There are no clients on your care team yet.' : undefined}
          >
            <option value="">{booker.clients === null ? 'Loading your clients…' : 'Choose a client'}</option>
            {booker.clients?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <p className="muted booked-with">With {booker.clinician.name}.</p>
        </>
      )}
      <div className="field-pair">
        <Field label="Date" type="date" value={draft.date} onChange={(e) => set('date', e.target.value)} required aria-invalid={invalid('date')} />
        <Field
          label="Start time"
          type="time"
          step={300}
          value={draft.time}
          onChange={(e) => set('time', e.target.value)}
          required
          aria-invalid={invalid('time') ?? invalid('startsAt') ?? (code === 'APPOINTMENT_OVERLAPS' ? true : undefined)}
        />
        <Field
          label="Length (minutes)"
          type="number"
          inputMode="numeric"
          min={MIN_MINUTES}
          max={MAX_MINUTES}
          step={5}
          value={draft.minutes}
          onChange={(e) => set('minutes', e.target.value)}
          aria-invalid={invalid('minutes')}
        />
      </div>
      <fieldset className="choice-group">
        <legend>Session type</legend>
        <label className="check">
          <input
            type="radio"
            name={typeName}
            value="in_person"
            checked={draft.modality === 'in_person'}
            disabled={noLocations}
            onChange={() => set('modality', 'in_person')}
          />
          <span>In person</span>
        </label>
        <label className="check">
          <input type="radio" name={typeName} value="telehealth" checked={draft.modality === 'telehealth'} onChange={() => set('modality', 'telehealth')} />
          <span>Video</span>
        </label>
        {noLocations && <p className="hint">In-person sessions need a location. An administrator adds the practice's locations first.</p>}
      </fieldset>
      {needsLocation && (
        <SelectField label="Location" value={draft.locationId} onChange={(e) => set('locationId', e.target.value)} aria-invalid={invalid('locationId')} className="select-short">
          <option value="">{locations === null ? 'Loading locations…' : 'Choose a location'}</option>
          {locations?.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </SelectField>
      )}
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
      <p role="status" className="saved-status">
        {status}
      </p>
    </form>
  );
}

function clinicianChoices(booker: Booker, clientsClinicians: Named[]) {
  const known = booker.kind === 'desk' ? (booker.clinicians ?? []) : [];
  const mine = new Set(clientsClinicians.map((c) => c.id));
  const others = known.filter((c) => !mine.has(c.id));
  return { clients: clientsClinicians, others, all: byName([...clientsClinicians, ...known]) };
}

interface ClinicianSelectProps {
  booker: Extract<Booker, { kind: 'desk' }>;
  clientsClinicians: Named[];
  value: string;
  onChange: (id: string) => void;
  invalid: true | undefined;
}

function ClinicianSelect({ booker, clientsClinicians, value, onChange, invalid }: ClinicianSelectProps) {
  const { clients, others, all } = clinicianChoices(booker, clientsClinicians);
  const loading = booker.clinicians === null;
  const none = !loading && all.length === 0;
  return (
    <SelectField
      label="Clinician"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-invalid={invalid}
      hint={
        none ? 'The practice has no active clinicians yet. An administrator invites them under Users.' : 'The client’s own clinicians come first.'
      }
    >
      <option value="">{loading ? 'Loading clinicians…' : 'Choose a clinician'}</option>
      {clients.length > 0 && (
        <optgroup label="Sees this client">
          {clients.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </optgroup>
      )}
      {others.length > 0 &&
        (clients.length > 0 ? (
          <optgroup label="Other clinicians">
            {others.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </optgroup>
        ) : (
          others.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))
        ))}
    </SelectField>
  );
}
