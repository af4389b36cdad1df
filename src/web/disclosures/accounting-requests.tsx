// A client's requests for an accounting (HIPAA 45 CFR 164.528(c)): due 60 days after
// receipt, one 30-day extension with its reasons in writing, then provided.
import { useEffect, useState, type FormEvent } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { formatDay, todayIn } from '../clients/format.ts';
import { Field, Loading, ProblemAlert, SelectField, TextArea } from '../ui.tsx';
import { daysLeftText, VIA_NAMES, type AccountingRequest, type RequestVia } from './accounting.ts';

interface Props {
  clientId: string;
  timeZone: string;
  clientName: string;
  today: string;
  /** The period on screen: "Mark provided" records it. Null for those who cannot read the accounting. */
  shownPeriod: { from: string; to: string } | null;
}

export function AccountingRequests({ clientId, timeZone, clientName, today, shownPeriod }: Props) {
  const [requests, setRequests] = useState<AccountingRequest[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [version, setVersion] = useState(0);
  const base = `/api/clients/${clientId}/accounting-requests`;

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<{ requests: AccountingRequest[] }>(base, { signal: ctrl.signal })
      .then((r) => {
        setRequests(r.requests);
        setProblem(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [base, version]);

  const changed = () => setVersion((v) => v + 1);
  return (
    <div className="accounting-requests">
      <h3>Requests for an accounting</h3>
      <p className="muted">Answer within 60 days of receiving a request; once, you may take 30 more days if you tell the client why in writing before the 60 days end.</p>
      <ProblemAlert problem={problem} />
      {requests === null ? (
        !problem && <Loading what="Loading requests…" />
      ) : requests.length === 0 ? (
        <p className="muted">No requests recorded.</p>
      ) : (
        <ul className="request-list">
          {requests.map((r) => (
            <RequestItem key={r.id} request={r} base={base} today={today} timeZone={timeZone} shownPeriod={shownPeriod} onChanged={changed} />
          ))}
        </ul>
      )}
      <RecordRequest base={base} clientName={clientName} today={today} onRecorded={changed} />
    </div>
  );
}

function RequestItem({ request: r, base, today, timeZone, shownPeriod, onChanged }: {
  request: AccountingRequest; base: string; today: string; timeZone: string; shownPeriod: { from: string; to: string } | null; onChanged: () => void;
}) {
  const [extending, setExtending] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const post = async (path: string, body: unknown) => {
    setBusy(true);
    setProblem(null);
    try {
      await api.post(`${base}/${r.id}/${path}`, body);
      setExtending(false);
      onChanged();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  const extend = (e: FormEvent) => {
    e.preventDefault();
    void post('extend', { reason });
  };
  const overdue = r.daysLeft !== null && r.daysLeft < 0;
  return (
    <li aria-label={`Request received ${formatDay(r.receivedOn)}`} className={overdue ? 'overdue' : undefined}>
      <p>
        <span className="strong">Received {formatDay(r.receivedOn)}</span> from {r.requestedBy} ({VIA_NAMES[r.receivedVia].toLowerCase()}
        {r.receivedByName ? `, recorded by ${r.receivedByName}` : ''}); covering {formatDay(r.period.from)} to {formatDay(r.period.to)}.
      </p>
      {r.status === 'provided' && r.provided ? (
        <p className="request-state">
          Provided {formatDay(todayIn(timeZone, new Date(r.provided.at)))}
          {r.provided.byName ? ` by ${r.provided.byName}` : ''}, covering {formatDay(r.provided.period.from)} to {formatDay(r.provided.period.to)}.
        </p>
      ) : (
        <p className="request-state">
          Due {formatDay(r.deadline)} — <span className={overdue ? 'strong overdue-text' : 'strong'}>{daysLeftText(r.daysLeft ?? 0)}</span>
          {r.extension ? `. Extended from ${formatDay(r.dueOn)}: ${r.extension.reason}` : ''}
        </p>
      )}
      <ProblemAlert problem={problem} />
      {r.status !== 'provided' && (
        <div className="button-row">
          {shownPeriod && (
            <button type="button" className="secondary" disabled={busy} onClick={() => void post('provided', shownPeriod)}>
              Mark provided ({formatDay(shownPeriod.from)} to {formatDay(shownPeriod.to)})
            </button>
          )}
          {!r.extension && !extending && today <= r.dueOn && (
            <button type="button" className="secondary" disabled={busy} onClick={() => setExtending(true)}>
              Extend by 30 days
            </button>
          )}
        </div>
      )}
      {extending && (
        <form onSubmit={extend} className="stack" aria-busy={busy}>
          <TextArea label="Reason for the extension" hint="Tell the client this in writing before the 60 days end." value={reason} required maxLength={2000} onChange={(e) => setReason(e.target.value)} />
          <div className="button-row">
            <button type="submit" className="primary" disabled={busy}>Extend the deadline</button>
            <button type="button" className="secondary" onClick={() => setExtending(false)}>Cancel</button>
          </div>
        </form>
      )}
    </li>
  );
}

function RecordRequest({ base, clientName, today, onRecorded }: { base: string; clientName: string; today: string; onRecorded: () => void }) {
  const [requestedBy, setRequestedBy] = useState(clientName);
  const [receivedOn, setReceivedOn] = useState(today);
  const [via, setVia] = useState<RequestVia>('in_writing');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const { request } = await api.post<{ request: AccountingRequest }>(base, { requestedBy, receivedOn, receivedVia: via });
      setDone(`Request recorded. Due ${formatDay(request.deadline)}.`);
      onRecorded();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="stack record-request" aria-label="Record a request" aria-busy={busy}>
      <h4>Record a request</h4>
      <Field label="Requested by" hint="The client, or their personal representative." value={requestedBy} required maxLength={200} onChange={(e) => setRequestedBy(e.target.value)} />
      <Field label="Received on" type="date" value={receivedOn} max={today} required onChange={(e) => setReceivedOn(e.target.value)} />
      <SelectField label="How it was received" value={via} onChange={(e) => setVia(e.target.value as RequestVia)}>
        {Object.entries(VIA_NAMES).map(([key, name]) => (
          <option key={key} value={key}>
            {name}
          </option>
        ))}
      </SelectField>
      <ProblemAlert problem={problem} />
      {done && <p role="status" className="notice">{done}</p>}
      <button type="submit" className="primary" disabled={busy}>
        Record request
      </button>
    </form>
  );
}
