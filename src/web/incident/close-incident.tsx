// "Close incident": only when every protocol is completed and every follow-up is done;
// the server says which (409 RUNS_OPEN / FOLLOW_UPS_OPEN) and we say it calmly.
import { useState } from 'react';
import { api, problemOf, type Problem } from '../api.ts';
import { Notice } from '../ui.tsx';
import type { IncidentDetail } from './incident-types.ts';
import { incidentPath } from './use-incident.ts';

const CALM: Record<string, string> = {
  RUNS_OPEN: 'A protocol is still open. Complete it (or skip its remaining steps with a reason) first.',
  FOLLOW_UPS_OPEN: 'Follow-ups are still open. The incident closes once they are done.',
  INCIDENT_ALREADY_CLOSED: 'This incident is already closed.',
};

export function CloseIncident({ detail, waiting, onClosed }: { detail: IncidentDetail; waiting: number; onClosed: (closed: IncidentDetail) => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function close() {
    setBusy(true);
    setProblem(null);
    try {
      const closed = await api.post<IncidentDetail>(incidentPath(detail.id, '/close'));
      onClosed(closed);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  const calm = problem?.code ? CALM[problem.code] : undefined;
  return (
    <div className="close-incident">
      {waiting > 0 ? (
        <p className="hint">It can be closed once the {waiting === 1 ? 'action' : `${waiting} actions`} waiting to be sent have arrived.</p>
      ) : (
        <button type="button" className="secondary" disabled={busy} onClick={() => void close()}>
          Close incident
        </button>
      )}
      {problem && (
        <Notice>
          <p>{calm ?? problem.detail}</p>
          {calm && problem.detail && problem.detail !== calm && <p className="hint">{problem.detail}</p>}
        </Notice>
      )}
    </div>
  );
}
