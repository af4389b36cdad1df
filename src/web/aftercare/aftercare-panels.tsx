// The client page's aftercare panels (Agenda, Caring contacts, Approach & fit, Referrals,
// My reflections) and the forms the incident page's "After the session" panel reuses.
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, type Problem } from '../api.ts';
import { Field, ProblemAlert, SelectField, TextArea } from '../ui.tsx';
import { formatDateTime } from '../time.ts';
import { NotShownDuringBreakGlass, useReadOnly } from '../break-glass/read-only.tsx';
import { formatDay } from '../clients/format.ts';
import {
  aftercareApi, DECISION_WORDS, FIT_WORDS, REFERRAL_STATUS_WORDS,
  type AgendaItem, type ApproachNote, type CaringSeries, type ClientAgenda, type Decision, type Fit, type Referral, type Reflection,
} from './aftercare.ts';
import { NextSessionWarnings } from './next-session-warnings.tsx';
import { useClinicianChoices } from '../schedule/use-schedule.ts';
import { useMe } from '../session.tsx';

const problemOf = (err: unknown): Problem => (err instanceof ApiError ? err.problem : { status: 0, detail: 'That did not work. Try again.' });

/** Loads a thing for a panel, with a reload after each change. */
function useLoaded<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [version, setVersion] = useState(0);
  const stableLoad = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    stableLoad().then((d) => live && setData(d), (err: unknown) => live && setProblem(problemOf(err)));
    return () => { live = false; };
  }, [stableLoad, version]);
  return { data, problem, reload: () => setVersion((v) => v + 1) };
}

/** Runs one change, keeping its problem and a calm status line. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState('');
  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true); setProblem(null); setStatus('');
    try {
      await action();
      setStatus(done);
      return true;
    } catch (err) {
      setProblem(problemOf(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, status, run };
}

function Panel({ title, children, className = '' }: { title: string; children: ReactNode; className?: string }) {
  const headingId = useId();
  return (
    <section className={`panel aftercare-panel ${className}`} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

const Status = ({ text }: { text: string }) => <p className="muted" role="status">{text}</p>;

// --- agenda ------------------------------------------------------------------------------------

export function AgendaForm({ clientId, incidentId, onAdded }: { clientId: string; incidentId?: string; onAdded?: (item: AgendaItem) => void }) {
  const [text, setText] = useState('');
  const { busy, problem, status, run } = useAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    let added: AgendaItem | undefined;
    const ok = await run(async () => { added = await aftercareApi.addAgendaItem(clientId, { id: crypto.randomUUID(), text, ...(incidentId ? { incidentId } : {}) }); }, 'Added to the next session.');
    if (ok && added) { setText(''); onAdded?.(added); }
  }
  return (
    <form onSubmit={submit} className="stack" aria-busy={busy}>
      <ProblemAlert problem={problem} />
      <Field label="Talk about in the next session" value={text} maxLength={500} onChange={(e) => setText(e.target.value)} />
      <button type="submit" className="primary" disabled={busy}>Add to agenda</button>
      {status && <Status text={status} />}
    </form>
  );
}

export function AgendaPanel({ clientId, timeZone }: { clientId: string; timeZone: string }) {
  const { data, problem, reload } = useLoaded<ClientAgenda>(() => aftercareApi.agenda(clientId), [clientId]);
  const readOnly = useReadOnly();
  const open = data?.items.filter((i) => i.discussedAt === null) ?? [];
  return (
    <Panel title="Next session">
      <ProblemAlert problem={problem} />
      {data && <NextSessionWarnings warnings={data.nextSessionWarnings} linkToClient={false} />}
      {data && <p>{data.nextAppointment ? `Next appointment: ${formatDateTime(data.nextAppointment.startsAt, timeZone)}.` : 'No appointment booked yet.'}</p>}
      {open.length > 0 ? (
        <ul className="agenda-list">{open.map((i) => <li key={i.id}>{i.text}</li>)}</ul>
      ) : data && <p className="muted">Nothing on the agenda.</p>}
      {!readOnly && <AgendaForm clientId={clientId} onAdded={reload} />}
    </Panel>
  );
}

// --- caring contacts ---------------------------------------------------------------------------

const CONTACT_STATUS: Record<string, string> = { scheduled: 'Scheduled', sent: 'Sent', cancelled: 'Cancelled', not_sent: 'Could not be sent' };

function CaringContactRow({ contact, editable, onSaved }: { contact: CaringSeries['contacts'][number]; editable: boolean; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [body, setBody] = useState(contact.body);
  const { busy, problem, run } = useAction();
  async function save(e: FormEvent) {
    e.preventDefault();
    if (await run(() => aftercareApi.editCaringContact(contact.id, body), 'Saved.')) { setEditing(false); onSaved(); }
  }
  return (
    <li>
      <strong>{formatDay(contact.dueOn)}</strong> · {CONTACT_STATUS[contact.status]}{contact.editedAt ? ' · edited' : ''}
      {editing ? (
        <form onSubmit={save} className="stack" aria-busy={busy}>
          <ProblemAlert problem={problem} />
          <TextArea label={`Message for ${formatDay(contact.dueOn)}`} value={body} maxLength={600} onChange={(e) => setBody(e.target.value)} />
          <div className="button-row">
            <button type="submit" className="primary" disabled={busy}>Save message</button>
            <button type="button" className="secondary" onClick={() => { setEditing(false); setBody(contact.body); }}>Cancel</button>
          </div>
        </form>
      ) : (
        <>
          <p className="caring-body">{contact.body}</p>
          {editable && contact.status === 'scheduled' && <button type="button" className="secondary" onClick={() => setEditing(true)}>Edit message</button>}
        </>
      )}
    </li>
  );
}

export function CaringContactsPanel({ clientId }: { clientId: string }) {
  const { data, problem, reload } = useLoaded(() => aftercareApi.caringContacts(clientId), [clientId]);
  const [channel, setChannel] = useState<'text' | 'email'>('text');
  const [count, setCount] = useState('24');
  const action = useAction();
  const active = data?.series.find((s) => s.status === 'active');
  const latest = data?.series[0];
  async function start(e: FormEvent) {
    e.preventDefault();
    if (await action.run(() => aftercareApi.startCaringContacts(clientId, { channel, count: Number(count) }), 'Caring contacts started.')) reload();
  }
  async function stop(seriesId: string) {
    if (await action.run(() => aftercareApi.stopCaringContacts(seriesId), 'Caring contacts stopped.')) reload();
  }
  const shown = active ?? latest;
  return (
    <Panel title="Caring contacts">
      <p className="muted">Short messages from you that ask nothing: monthly for 4 months, every 2 months for 8 months, then every 3 months (Motto &amp; Bostrom 2001).</p>
      <ProblemAlert problem={problem ?? action.problem} />
      {action.status && <Status text={action.status} />}
      {shown && (
        <>
          <p>
            {shown.status === 'active' ? 'Under way' : shown.status === 'completed' ? 'Completed' : shown.stopReason === 'client_opt_out' ? 'Stopped: the client opted out' : 'Stopped'}
            {' '}by {shown.channel === 'text' ? 'text' : 'email'}, {shown.count} messages from {formatDay(shown.startsOn)}.
          </p>
          {active && <button type="button" className="secondary" disabled={action.busy} onClick={() => void stop(active.id)}>Stop caring contacts</button>}
          <details>
            <summary>Messages</summary>
            <ol className="caring-list">
              {shown.contacts.map((c) => <CaringContactRow key={c.id} contact={c} editable={shown.status === 'active'} onSaved={reload} />)}
            </ol>
          </details>
        </>
      )}
      {data && !active && (
        <form onSubmit={start} className="stack" aria-busy={action.busy}>
          <SelectField label="Channel" value={channel} onChange={(e) => setChannel(e.target.value as 'text' | 'email')}>
            <option value="text">Text message</option>
            <option value="email">Email</option>
          </SelectField>
          <Field label="Number of messages" type="number" min={1} max={60} value={count} onChange={(e) => setCount(e.target.value)} hint="24 covers five years." />
          <button type="submit" className="primary" disabled={action.busy}>Start caring contacts</button>
        </form>
      )}
    </Panel>
  );
}

// --- approach and fit --------------------------------------------------------------------------

export function ApproachForm({ clientId, incidentId, onSaved }: { clientId: string; incidentId?: string; onSaved?: (n: ApproachNote) => void }) {
  const [kind, setKind] = useState<'adjustment' | 'fit'>('adjustment');
  const [body, setBody] = useState('');
  const [fit, setFit] = useState<Fit>('good');
  const [decision, setDecision] = useState<Decision>('continue');
  const { busy, problem, status, run } = useAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    let saved: ApproachNote | undefined;
    const payload = { id: crypto.randomUUID(), kind, body, ...(kind === 'fit' ? { fit, decision } : {}), ...(incidentId ? { incidentId } : {}) };
    if (await run(async () => { saved = await aftercareApi.writeApproachNote(clientId, payload); }, 'Saved.') && saved) { setBody(''); onSaved?.(saved); }
  }
  return (
    <form onSubmit={submit} className="stack" aria-busy={busy}>
      <ProblemAlert problem={problem} />
      <SelectField label="What are you noting?" value={kind} onChange={(e) => setKind(e.target.value as 'adjustment' | 'fit')}>
        <option value="adjustment">An adjustment to the approach</option>
        <option value="fit">The therapeutic fit</option>
      </SelectField>
      {kind === 'fit' && (
        <div className="field-pair">
          <SelectField label="Fit" value={fit} onChange={(e) => setFit(e.target.value as Fit)}>
            {Object.entries(FIT_WORDS).map(([v, w]) => <option key={v} value={v}>{w}</option>)}
          </SelectField>
          <SelectField label="Decision" value={decision} onChange={(e) => setDecision(e.target.value as Decision)}>
            {Object.entries(DECISION_WORDS).map(([v, w]) => <option key={v} value={v}>{w}</option>)}
          </SelectField>
        </div>
      )}
      <TextArea label="Note" value={body} maxLength={5000} onChange={(e) => setBody(e.target.value)} />
      <button type="submit" className="primary" disabled={busy}>Save note</button>
      {status && <Status text={status} />}
    </form>
  );
}

export function ApproachPanel({ clientId, timeZone }: { clientId: string; timeZone: string }) {
  const { data, problem, reload } = useLoaded(() => aftercareApi.approachNotes(clientId), [clientId]);
  return (
    <Panel title="Approach & fit">
      <ProblemAlert problem={problem} />
      {data && data.notes.length > 0 && (
        <ul className="approach-list">
          {data.notes.map((n) => (
            <li key={n.id}>
              <strong>{n.kind === 'fit' ? `Fit: ${FIT_WORDS[n.fit!]} · ${DECISION_WORDS[n.decision!]}` : 'Adjustment'}</strong>
              <span className="muted"> · {n.author.name}, {formatDateTime(n.createdAt, timeZone)}</span>
              <p>{n.body}</p>
            </li>
          ))}
        </ul>
      )}
      <ApproachForm clientId={clientId} onSaved={reload} />
    </Panel>
  );
}

// --- referrals ---------------------------------------------------------------------------------

export function ReferralForm({ clientId, incidentId, clinicians, onSaved }: { clientId: string; incidentId?: string; clinicians: { id: string; name: string }[]; onSaved?: (r: Referral) => void }) {
  const [toKind, setToKind] = useState<'internal' | 'external'>(clinicians.length ? 'internal' : 'external');
  const [toUserId, setToUserId] = useState(clinicians[0]?.id ?? '');
  const [toName, setToName] = useState('');
  const [toContact, setToContact] = useState('');
  const [reason, setReason] = useState('');
  const { busy, problem, status, run } = useAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const payload = toKind === 'internal'
      ? { id: crypto.randomUUID(), toKind, toUserId, reason, ...(incidentId ? { incidentId } : {}) }
      : { id: crypto.randomUUID(), toKind, toName, ...(toContact ? { toContact } : {}), reason, ...(incidentId ? { incidentId } : {}) };
    let saved: Referral | undefined;
    if (await run(async () => { saved = await aftercareApi.refer(clientId, payload); }, 'Referral made.') && saved) { setReason(''); onSaved?.(saved); }
  }
  return (
    <form onSubmit={submit} className="stack" aria-busy={busy}>
      <ProblemAlert problem={problem} />
      <SelectField label="Refer to" value={toKind} onChange={(e) => setToKind(e.target.value as 'internal' | 'external')}>
        {clinicians.length > 0 && <option value="internal">A clinician of this practice</option>}
        <option value="external">An outside provider</option>
      </SelectField>
      {toKind === 'internal' ? (
        <SelectField label="Clinician" value={toUserId} onChange={(e) => setToUserId(e.target.value)}>
          {clinicians.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </SelectField>
      ) : (
        <>
          <Field label="Provider" value={toName} maxLength={200} onChange={(e) => setToName(e.target.value)} />
          <Field label="How to reach them (optional)" value={toContact} maxLength={500} onChange={(e) => setToContact(e.target.value)} />
        </>
      )}
      <TextArea label="Reason" value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" className="primary" disabled={busy}>Make referral</button>
      {status && <Status text={status} />}
    </form>
  );
}

function ReferralCard({ referral, onChanged }: { referral: Referral; onChanged: () => void }) {
  const { busy, problem, run } = useAction();
  const closed = referral.status === 'completed' || referral.status === 'declined' || referral.status === 'cancelled';
  const change = async (body: Record<string, unknown>) => { if (await run(() => aftercareApi.updateReferral(referral.id, body), 'Saved.')) onChanged(); };
  return (
    <li className="referral">
      <p><strong>{referral.toName}</strong> · {REFERRAL_STATUS_WORDS[referral.status]}</p>
      <p>{referral.reason}</p>
      <ProblemAlert problem={problem} />
      <fieldset disabled={closed || busy}>
        <legend>Warm hand-off</legend>
        {referral.handoff.map((item) => (
          <label key={item.key} className="check-row">
            <input type="checkbox" checked={item.doneAt !== null} onChange={(e) => void change({ item: { key: item.key, done: e.target.checked } })} /> {item.label}
          </label>
        ))}
        <SelectField label="Status" value={referral.status} onChange={(e) => void change({ status: e.target.value })}>
          {Object.entries(REFERRAL_STATUS_WORDS).map(([v, w]) => <option key={v} value={v}>{w}</option>)}
        </SelectField>
        {referral.toKind === 'internal' && !closed && <p className="muted">Completing it adds {referral.toName} to the care team.</p>}
      </fieldset>
    </li>
  );
}

export function ReferralsPanel({ clientId, clinicians }: { clientId: string; clinicians: { id: string; name: string }[] }) {
  const { data, problem, reload } = useLoaded(() => aftercareApi.referrals(clientId), [clientId]);
  return (
    <Panel title="Referrals">
      <ProblemAlert problem={problem} />
      {data && data.referrals.length > 0 && <ul className="referral-list">{data.referrals.map((r) => <ReferralCard key={r.id} referral={r} onChanged={reload} />)}</ul>}
      <details>
        <summary>Make a referral</summary>
        <ReferralForm clientId={clientId} clinicians={clinicians} onSaved={reload} />
      </details>
    </Panel>
  );
}

// --- reflections -------------------------------------------------------------------------------

export function ReflectionForm({ clientId, incidentId, onSaved }: { clientId: string; incidentId?: string; onSaved?: (r: Reflection) => void }) {
  const [body, setBody] = useState('');
  const { busy, problem, status, run } = useAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    let saved: Reflection | undefined;
    if (await run(async () => { saved = await aftercareApi.writeReflection(clientId, { id: crypto.randomUUID(), body, ...(incidentId ? { incidentId } : {}) }); }, 'Reflection saved. Only you can read it.') && saved) {
      setBody('');
      onSaved?.(saved);
    }
  }
  return (
    <form onSubmit={submit} className="stack" aria-busy={busy}>
      <ProblemAlert problem={problem} />
      <TextArea label="Reflection" hint="A psychotherapy note: only you will be able to read it. It is kept out of the record and its exports." value={body} maxLength={20000} onChange={(e) => setBody(e.target.value)} />
      <button type="submit" className="primary" disabled={busy}>Save reflection</button>
      {status && <Status text={status} />}
    </form>
  );
}

export function ReflectionsPanel({ clientId, timeZone }: { clientId: string; timeZone: string }) {
  const { data, problem, reload } = useLoaded(() => aftercareApi.reflections(clientId), [clientId]);
  return (
    <Panel title="My reflections">
      <ProblemAlert problem={problem} />
      {data && data.reflections.length > 0 && (
        <ul className="reflection-list">
          {data.reflections.map((r) => <li key={r.id}><span className="muted">{formatDateTime(r.createdAt, timeZone)}</span><p>{r.body}</p></li>)}
        </ul>
      )}
      <ReflectionForm clientId={clientId} onSaved={reload} />
    </Panel>
  );
}

// --- the incident page -------------------------------------------------------------------------

/** After the session: reflect, put it on the next agenda, consider the approach and fit, refer — each linked to this incident. */
export function AfterSessionPanel({ clientId, incidentId, clinicians }: { clientId: string; incidentId: string; clinicians: { id: string; name: string }[] }) {
  return (
    <Panel title="After the session" className="after-session">
      <details><summary>Write a reflection</summary><ReflectionForm clientId={clientId} incidentId={incidentId} /></details>
      <details><summary>Add to the next session&apos;s agenda</summary><AgendaForm clientId={clientId} incidentId={incidentId} /></details>
      <details><summary>Approach and therapeutic fit</summary><ApproachForm clientId={clientId} incidentId={incidentId} /></details>
      <details><summary>Refer</summary><ReferralForm clientId={clientId} incidentId={incidentId} clinicians={clinicians} /></details>
    </Panel>
  );
}

/** The client page's aftercare panels, for the client's care team. */
export function ClientAftercarePanels({ clientId, timeZone, myId, canManage }: { clientId: string; timeZone: string; myId: string; canManage: boolean }) {
  const readOnly = useReadOnly();
  const clinicians = (useClinicianChoices(canManage && !readOnly) ?? []).filter((c) => c.id !== myId);
  if (!canManage) return null;
  if (readOnly) {
    // Break-glass: when the client is next seen and what is on the agenda help in an emergency. Care planning
    // (caring contacts, approach, referrals) stays with the care team; psychotherapy notes are their author's
    // alone (HIPAA 45 CFR 164.501, 164.508(a)(2)).
    return (
      <div id="aftercare" className="aftercare-panels">
        <AgendaPanel clientId={clientId} timeZone={timeZone} />
        <NotShownDuringBreakGlass title="Caring contacts" />
        <NotShownDuringBreakGlass title="Approach & fit" />
        <NotShownDuringBreakGlass title="Referrals" />
        <NotShownDuringBreakGlass title="Reflections" />
      </div>
    );
  }
  return (
    <div id="aftercare" className="aftercare-panels">
      <AgendaPanel clientId={clientId} timeZone={timeZone} />
      <CaringContactsPanel clientId={clientId} />
      <ApproachPanel clientId={clientId} timeZone={timeZone} />
      <ReferralsPanel clientId={clientId} clinicians={clinicians} />
      <ReflectionsPanel clientId={clientId} timeZone={timeZone} />
    </div>
  );
}

/** The incident page's "After the session" panel, for the care team (not in discreet mode). */
export function IncidentAfterSession({ clientId, incidentId }: { clientId: string; incidentId: string }) {
  const me = useMe();
  const clinicians = (useClinicianChoices() ?? []).filter((c) => c.id !== me.user.id);
  return <AfterSessionPanel clientId={clientId} incidentId={incidentId} clinicians={clinicians} />;
}
