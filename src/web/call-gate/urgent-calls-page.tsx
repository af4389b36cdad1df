/**
 * Settings → Urgent calls (issue 7 items 2 and 4): a clinician's direct line, their phone,
 * where everyone else goes while they are in session, the numbers that always get through,
 * and the record of their recent calls and texts. Owners and admins set the practice's
 * part: the repeat-call window, "press 1", the front desk's number, the emergency numbers.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { fieldProblem, orNull, SavedStatus, useSubmit } from '../clients/client-form.tsx';
import { formatPhone } from '../clients/format.ts';
import { can, useMe } from '../session.tsx';
import { formatDateTime } from '../time.ts';
import { Field, Loading, ProblemAlert, SelectField, usePageTitle } from '../ui.tsx';
import {
  E164,
  EMERGENCY_KIND_WORDS,
  OTHERWISE_WORDS,
  outcomeWords,
  showWho,
  toE164,
  whyWords,
  type CallRecord,
  type EmergencyKind,
  type MyCallGate,
  type Otherwise,
  type PracticeCallGate,
} from './call-gate.ts';
import { NumberList, rowKey, type NumberRow } from './number-list.tsx';

const MY_PATH = '/api/me/call-gate';
const PRACTICE_PATH = '/api/practice/call-gate';
const MY_LABELS = { directNumber: 'Your direct line', forwardTo: 'Your phone', otherwise: 'Everyone else', breakthroughNumbers: 'Always gets through' };
const PRACTICE_LABELS = { repeatCallMinutes: 'Calls again within', frontDeskNumber: "The front desk's number", emergencyNumbers: 'Emergency numbers' };

export function UrgentCallsPage() {
  usePageTitle('Urgent calls');
  const me = useMe();
  const ownLine = can(me, 'call_gate.own');
  const practice = can(me, 'call_gate.practice');
  return (
    <div className="urgent-calls-page">
      <h1>Urgent calls</h1>
      <p className="lede">
        {ownLine ? 'While you are in session, only urgent calls and texts reach you: the numbers on your list' : "While a clinician is in session, only urgent calls and texts reach them: the numbers on the clinician's list"}, the client's
        emergency contacts, the practice's emergency numbers, someone who calls again within minutes, or a caller who presses 1. They appear discreetly at the top of the session screen.
      </p>
      {ownLine && <MyLine />}
      {ownLine && <RecentCalls timeZone={me.practice.timeZone} />}
      {practice && <PracticePart />}
      {!ownLine && !practice && <p>Urgent calls are set by each clinician and by the practice's owner or admin.</p>}
    </div>
  );
}

function useSettings<T>(path: string) {
  const [value, setValue] = useState<T | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<T>(path, { signal: ctrl.signal })
      .then(setValue)
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [path]);
  return { value, setValue, problem };
}

// --- the clinician's own line ------------------------------------------------------------------

function MyLine() {
  const { value, setValue, problem } = useSettings<MyCallGate>(MY_PATH);
  return (
    <section className="panel" aria-labelledby="my-line-heading">
      <h2 id="my-line-heading">Your line</h2>
      <ProblemAlert problem={problem} />
      {value === null ? !problem && <Loading what="Loading your settings…" /> : <MyLineForm settings={value} onSaved={setValue} />}
    </section>
  );
}

function phoneText(n: string | null): string {
  return n ? formatPhone(n) : '';
}

/** A typed number, checked here so a mistake is named before anything is sent. */
function checkNumber(typed: string, path: string, errors: { path: string; message: string }[], row?: string): string {
  const n = toE164(typed);
  // The form's labels name the field (relabel); a row of a list names itself.
  if (!E164.test(n)) errors.push({ path, message: `${row ? `${row}: ` : ''}enter a full phone number, such as (510) 555-0123 or +44 20 7946 0000` });
  return n;
}

function MyLineForm({ settings, onSaved }: { settings: MyCallGate; onSaved: (s: MyCallGate) => void }) {
  const [enabled, setEnabled] = useState(settings.enabled);
  const [directNumber, setDirectNumber] = useState(phoneText(settings.directNumber));
  const [forwardTo, setForwardTo] = useState(phoneText(settings.forwardTo));
  const [otherwise, setOtherwise] = useState<Otherwise>(settings.otherwise);
  const [rows, setRows] = useState<NumberRow[]>(() => settings.breakthroughNumbers.map((n) => ({ key: rowKey(), label: n.label, number: phoneText(n.number) })));
  const { busy, problem, status, run, fail, invalid } = useSubmit(MY_LABELS);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errors: { path: string; message: string }[] = [];
    const optional = (typed: string, path: string) => (orNull(typed) === null ? null : checkNumber(typed, path, errors));
    const body: MyCallGate = {
      enabled,
      directNumber: optional(directNumber, 'directNumber'),
      forwardTo: optional(forwardTo, 'forwardTo'),
      otherwise,
      breakthroughNumbers: rows.map((r, i) => {
        if (!r.label.trim()) errors.push({ path: `breakthroughNumbers.${i}.label`, message: `Number ${i + 1}: say whose number it is` });
        return { label: r.label.trim(), number: checkNumber(r.number, `breakthroughNumbers.${i}.number`, errors, `Number ${i + 1}`) };
      }),
    };
    if (errors.length > 0) {
      fail(fieldProblem('Before you save:', errors));
      return;
    }
    await run(async () => {
      const saved = await api.put<MyCallGate>(MY_PATH, body);
      onSaved(saved);
      setRows(saved.breakthroughNumbers.map((n) => ({ key: rowKey(), label: n.label, number: phoneText(n.number) })));
    }, 'Your urgent-call settings are saved.');
  }

  return (
    <form onSubmit={submit} noValidate className="stack" aria-label="Your urgent-call settings" aria-busy={busy}>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        <span>Filter my calls and texts while I am in session</span>
      </label>
      {!enabled && <p className="hint">Off: every call to your line rings your phone, in session or not.</p>}
      <div className="field-pair">
        <Field label="Your direct line" type="tel" value={directNumber} onChange={(e) => setDirectNumber(e.target.value)} aria-invalid={invalid('directNumber')} hint="The practice's number that callers dial for you." autoComplete="off" />
        <Field label="Your phone" type="tel" value={forwardTo} onChange={(e) => setForwardTo(e.target.value)} aria-invalid={invalid('forwardTo')} hint="Calls that come through ring here." autoComplete="tel" />
      </div>
      <SelectField label="Everyone else, while you are in session" value={otherwise} onChange={(e) => setOtherwise(e.target.value as Otherwise)} className="select-short">
        {(Object.keys(OTHERWISE_WORDS) as Otherwise[]).map((o) => (
          <option key={o} value={o}>
            {OTHERWISE_WORDS[o]}
          </option>
        ))}
      </SelectField>
      <fieldset className="stack">
        <legend>Always gets through</legend>
        <p className="hint">For example your child's school, a parent's care home, or someone you told a client about at the start of the session.</p>
        <NumberList
          rows={rows}
          onChange={setRows}
          rowName="Breakthrough number"
          labelLabel="Whose number"
          newRow={() => ({ key: rowKey(), label: '', number: '' })}
          addLabel="Add a number"
          invalid={invalid}
          path="breakthroughNumbers"
        />
      </fieldset>
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Save urgent-call settings
        </button>
        <SavedStatus text={status} />
      </div>
    </form>
  );
}

// --- the clinician's record ----------------------------------------------------------------------

function RecentCalls({ timeZone }: { timeZone: string }) {
  const { value, problem } = useSettings<{ calls: CallRecord[] }>('/api/me/calls?limit=50');
  const calls = value?.calls ?? [];
  return (
    <section className="panel" aria-labelledby="recent-calls-heading">
      <h2 id="recent-calls-heading">Recent calls and texts</h2>
      <ProblemAlert problem={problem} />
      {value === null ? (
        !problem && <Loading what="Loading your recent calls…" />
      ) : calls.length === 0 ? (
        <p className="muted">No calls or texts to your line yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="recent-calls">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">From</th>
                <th scope="col">How</th>
                <th scope="col">What happened</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {calls.map((c, i) => (
                <tr key={`${c.at}-${i}`}>
                  <td>{formatDateTime(c.at, timeZone)}</td>
                  <td>
                    {showWho(c.who)}
                    {c.who !== c.from && <span className="muted"> · {formatPhone(c.from)}</span>}
                  </td>
                  <td>{c.channel === 'call' ? 'Call' : 'Text'}</td>
                  <td>
                    {outcomeWords(c.outcome)}
                    {c.sessionId && <span className="muted"> · in session</span>}
                  </td>
                  <td>{c.why ? whyWords(c.why) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// --- the practice's part -------------------------------------------------------------------------

type EmergencyRow = NumberRow & { kind: EmergencyKind };

function PracticePart() {
  const { value, setValue, problem } = useSettings<PracticeCallGate>(PRACTICE_PATH);
  return (
    <section className="panel" aria-labelledby="practice-calls-heading">
      <h2 id="practice-calls-heading">For the whole practice</h2>
      <ProblemAlert problem={problem} />
      {value === null ? !problem && <Loading what="Loading the practice's settings…" /> : <PracticeForm settings={value} onSaved={setValue} />}
    </section>
  );
}

function toRows(s: PracticeCallGate): EmergencyRow[] {
  return s.emergencyNumbers.map((n) => ({ key: rowKey(), label: n.label, kind: n.kind, number: phoneText(n.number) }));
}

function PracticeForm({ settings, onSaved }: { settings: PracticeCallGate; onSaved: (s: PracticeCallGate) => void }) {
  const [repeat, setRepeat] = useState(String(settings.repeatCallMinutes));
  const [pressOne, setPressOne] = useState(settings.pressOneEnabled);
  const [frontDesk, setFrontDesk] = useState(phoneText(settings.frontDeskNumber));
  const [rows, setRows] = useState<EmergencyRow[]>(() => toRows(settings));
  const { busy, problem, status, run, fail, invalid } = useSubmit(PRACTICE_LABELS);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errors: { path: string; message: string }[] = [];
    const minutes = Number(repeat);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) errors.push({ path: 'repeatCallMinutes', message: 'a whole number of minutes from 1 to 60' });
    const body: PracticeCallGate = {
      repeatCallMinutes: minutes,
      pressOneEnabled: pressOne,
      frontDeskNumber: orNull(frontDesk) === null ? null : checkNumber(frontDesk, 'frontDeskNumber', errors),
      emergencyNumbers: rows.map((r, i) => {
        if (!r.label.trim()) errors.push({ path: `emergencyNumbers.${i}.label`, message: `Number ${i + 1}: give it a name` });
        return { label: r.label.trim(), kind: r.kind, number: checkNumber(r.number, `emergencyNumbers.${i}.number`, errors, `Number ${i + 1}`) };
      }),
    };
    if (errors.length > 0) {
      fail(fieldProblem('Before you save:', errors));
      return;
    }
    await run(async () => {
      const saved = await api.put<PracticeCallGate>(PRACTICE_PATH, body);
      onSaved(saved);
      setRows(toRows(saved));
    }, "The practice's urgent-call settings are saved.");
  }

  return (
    <form onSubmit={submit} noValidate className="stack" aria-label="The practice's urgent-call settings" aria-busy={busy}>
      <Field
        label="Calls again within"
        className="field-short"
        type="number"
        inputMode="numeric"
        min={1}
        max={60}
        value={repeat}
        onChange={(e) => setRepeat(e.target.value)}
        aria-invalid={invalid('repeatCallMinutes')}
        hint="Minutes. Someone who calls or texts a clinician again within this time gets through."
      />
      <label className="check">
        <input type="checkbox" checked={pressOne} onChange={(e) => setPressOne(e.target.checked)} />
        <span>Offer unknown callers “If this is an emergency, press 1”</span>
      </label>
      <Field label="The front desk's number" type="tel" value={frontDesk} onChange={(e) => setFrontDesk(e.target.value)} aria-invalid={invalid('frontDeskNumber')} hint="Where calls go when a clinician chose “The front desk”." autoComplete="off" />
      <fieldset className="stack">
        <legend>Emergency numbers</legend>
        <p className="hint">Hospitals, police and others whose calls always reach a clinician in session.</p>
        <NumberList
          rows={rows}
          onChange={setRows}
          rowName="Emergency number"
          labelLabel="Name"
          newRow={(): EmergencyRow => ({ key: rowKey(), label: '', number: '', kind: 'hospital' })}
          addLabel="Add an emergency number"
          invalid={invalid}
          path="emergencyNumbers"
          extra={(r, change) => (
            <SelectField label="Kind" value={r.kind} onChange={(e) => change({ ...r, kind: e.target.value as EmergencyKind })}>
              {(Object.keys(EMERGENCY_KIND_WORDS) as EmergencyKind[]).map((k) => (
                <option key={k} value={k}>
                  {EMERGENCY_KIND_WORDS[k]}
                </option>
              ))}
            </SelectField>
          )}
        />
      </fieldset>
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Save practice settings
        </button>
        <SavedStatus text={status} />
      </div>
    </form>
  );
}
