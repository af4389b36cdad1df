// A supervisor's "Reviews waiting": the signed incident reports of the clinicians they supervise.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, problemOf, type Problem } from '../api.ts';
import { useMe } from '../session.tsx';
import { formatDateTime } from '../time.ts';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import type { ReviewItem } from './report-types.ts';

export function ReviewsPage() {
  usePageTitle('Reviews waiting');
  const me = useMe();
  const [items, setItems] = useState<ReviewItem[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const load = useCallback(async () => {
    try {
      setItems((await api.get<{ reports: ReviewItem[] }>('/api/reports?status=awaiting_review')).reports);
      setProblem(null);
    } catch (err) {
      setProblem(problemOf(err));
    }
  }, []);
  useEffect(() => { void load(); }, [load]);

  return (
    <>
      <div className="page-head"><h1>Reviews waiting</h1></div>
      <p className="lede">Incident reports signed by the clinicians you supervise, waiting for your review and co-signature. Oldest first.</p>
      <ProblemAlert problem={problem} />
      {items === null ? (!problem && <Loading what="Loading reviews…" />) : items.length === 0 ? (
        <p className="notice" role="status">No reports are waiting for your review.</p>
      ) : (
        <ul className="record-list review-list" aria-label="Reports waiting">
          {items.map((r) => (
            <li key={r.incidentId} className="record-item review-item">
              <p>
                <span className="strong">{r.client.name}</span> · {r.protocolTitle}
              </p>
              <p className="hint">
                Signed by {r.signedBy.name} · {formatDateTime(r.signedAt, me.practice.timeZone)}
                {r.addenda > 0 && ` · ${r.addenda} ${r.addenda === 1 ? 'addendum' : 'addenda'}`}
              </p>
              <Link className="button-link" to={`/incidents/${r.incidentId}/report`} aria-label={`Review the report: ${r.client.name}, ${r.protocolTitle}`}>
                Review and co-sign
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
