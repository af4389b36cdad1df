// A client's accounting of disclosures (HIPAA 45 CFR 164.528) on the client page: the
// period, every disclosure made outside treatment, payment and operations, downloads as
// CSV and PDF, and the client's requests for an accounting with their deadlines.
import { useEffect, useState, type FormEvent } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { formatDay, formatPhone } from '../clients/format.ts';
import { Field, Loading, ProblemAlert } from '../ui.tsx';
import { accountingUrl, RECIPIENT_KINDS, type Accounting } from './accounting.ts';
import { AccountingRequests } from './accounting-requests.tsx';

interface Props {
  clientId: string;
  clientName: string;
  today: string;
  timeZone: string;
  canRead: boolean;
  canManageRequests: boolean;
}

export function AccountingPanel({ clientId, clientName, today, timeZone, canRead, canManageRequests }: Props) {
  const [period, setPeriod] = useState<{ from: string; to: string } | null>(null);
  const [draft, setDraft] = useState<{ from: string; to: string }>({ from: '', to: '' });
  const [accounting, setAccounting] = useState<Accounting | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    if (!canRead) return;
    const ctrl = new AbortController();
    api
      .get<Accounting>(accountingUrl(clientId, '', period), { signal: ctrl.signal })
      .then((a) => {
        setAccounting(a);
        setDraft(a.period);
        setProblem(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [clientId, period, canRead]);

  const show = (e: FormEvent) => {
    e.preventDefault();
    setPeriod({ ...draft });
  };
  const shown = accounting?.period ?? null;

  return (
    <section aria-labelledby="accounting-heading" className="panel" id="accounting">
      <h2 id="accounting-heading">Accounting of disclosures</h2>
      <p className="muted">
        Every disclosure of {clientName}'s information made outside treatment, payment and operations — to the police, a person at risk, family
        in an emergency — with its legal basis. Clients may ask for this list covering up to six years (HIPAA 45 CFR 164.528).
      </p>
      {canRead && (
        <>
          <form onSubmit={show} className="accounting-period" aria-label="Period">
            <Field label="From" type="date" value={draft.from} max={draft.to || today} required onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
            <Field label="To" type="date" value={draft.to} max={today} required onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
            <button type="submit" className="secondary">Show period</button>
          </form>
          <ProblemAlert problem={problem} />
          {accounting === null ? (
            !problem && <Loading what="Loading the accounting…" />
          ) : (
            <>
              <p role="status">
                {accounting.entries.length === 0
                  ? `No disclosures to account for from ${formatDay(accounting.period.from)} to ${formatDay(accounting.period.to)}.`
                  : `${accounting.entries.length} ${accounting.entries.length === 1 ? 'disclosure' : 'disclosures'} from ${formatDay(accounting.period.from)} to ${formatDay(accounting.period.to)}.`}
              </p>
              {accounting.entries.length > 0 && <EntriesTable accounting={accounting} />}
              <p className="button-row">
                <a className="button-link" href={accountingUrl(clientId, '.csv', shown)} download>
                  Download CSV
                </a>
                <a className="button-link" href={accountingUrl(clientId, '.pdf', shown)} download>
                  Download PDF
                </a>
              </p>
            </>
          )}
        </>
      )}
      {canManageRequests && (
        <AccountingRequests clientId={clientId} timeZone={timeZone} clientName={clientName} today={today} shownPeriod={canRead ? shown : null} />
      )}
    </section>
  );
}

function EntriesTable({ accounting }: { accounting: Accounting }) {
  return (
    <div className="table-wrap">
      <table className="accounting">
        <caption>Disclosures, oldest first (times in {accounting.timeZone.replaceAll('_', ' ')} time)</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Recipient</th>
            <th scope="col">What was disclosed</th>
            <th scope="col">Purpose</th>
            <th scope="col">Legal basis</th>
          </tr>
        </thead>
        <tbody>
          {accounting.entries.map((e) => (
            <tr key={e.id}>
              <td className="when">
                {formatDay(e.date)}
                <br />
                <span className="muted">{e.time}</span>
              </td>
              <th scope="row">
                {e.recipientName}
                <span className="recipient-kind">{RECIPIENT_KINDS[e.recipientKind]}</span>
                <span className="muted">{e.recipientAddress ?? 'Address not known'}</span>
                {e.recipientContact && <span className="muted">{e.recipientContact.startsWith('+') ? formatPhone(e.recipientContact) : e.recipientContact}</span>}
              </th>
              <td>{e.whatWasDisclosed}</td>
              <td>{e.purpose}</td>
              <td className="basis">{e.legalBasis}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
