// Every request for an accounting of disclosures still to answer in the practice,
// overdue first (HIPAA 45 CFR 164.528(c): 60 days, or 90 with one extension). Names and
// dates only: administrators see who is waiting, not what was disclosed.
import { useEffect, useState } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { formatDay } from '../clients/format.ts';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import { daysLeftText, type OpenAccountingRequest } from './accounting.ts';

export function AccountingRequestsPage() {
  usePageTitle('Accounting requests');
  const [requests, setRequests] = useState<OpenAccountingRequest[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<{ requests: OpenAccountingRequest[] }>('/api/accounting-requests', { signal: ctrl.signal })
      .then((r) => setRequests(r.requests))
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, []);

  return (
    <>
      <h1>Accounting requests</h1>
      <p className="muted">
        Clients' requests for an accounting of disclosures not yet answered, overdue first. Each is due 60 days after it was received, or 30 days later if
        it was extended once (HIPAA 45 CFR 164.528(c)). The client's care team prepares the accounting from the client's page.
      </p>
      <ProblemAlert problem={problem} />
      {requests === null ? (
        !problem && <Loading what="Loading requests…" />
      ) : requests.length === 0 ? (
        <p role="status">No requests are waiting.</p>
      ) : (
        <div className="table-wrap">
          <table className="accounting-requests">
            <caption>{requests.length === 1 ? '1 request waiting' : `${requests.length} requests waiting`}</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Received</th>
                <th scope="col">Due</th>
                <th scope="col">Time left</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr key={r.id} className={r.daysLeft < 0 ? 'overdue' : undefined}>
                  <th scope="row">{r.clientName}</th>
                  <td>{formatDay(r.receivedOn)}</td>
                  <td>
                    {formatDay(r.deadline)}
                    {r.status === 'extended' && <span className="muted"> (extended)</span>}
                  </td>
                  <td className={r.daysLeft < 0 ? 'strong overdue-text' : undefined}>{daysLeftText(r.daysLeft)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
