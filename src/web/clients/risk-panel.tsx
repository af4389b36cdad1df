import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { formatDateTime } from '../time.ts';
import { ProblemAlert } from '../ui.tsx';
import { RiskBadge } from './badges.tsx';
import { RISK_CHOICES, RISK_NAMES, RISK_SOURCES, clientPath, type ClientDetails, type RiskEntry, type RiskLevel } from './client.ts';
import { fieldProblem, SavedStatus, SelectField, TextArea, useSubmit, type FieldLabels } from './client-form.tsx';

const LABELS: FieldLabels = { level: 'Risk level', justification: 'Clinical justification' };

function RiskForm({ clientId, onSaved }: { clientId: string; onSaved: () => void }) {
  const [level, setLevel] = useState<RiskLevel | ''>('');
  const [justification, setJustification] = useState('');
  const { busy, problem, status, run, fail, invalid } = useSubmit(LABELS);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errors = [
      ...(level ? [] : [{ path: 'level', message: 'Choose a level' }]),
      ...(justification.trim() ? [] : [{ path: 'justification', message: 'Say briefly what the level is based on' }]),
    ];
    if (errors.length > 0) {
      fail(fieldProblem('Some details need another look:', errors));
      return;
    }
    const ok = await run(
      () => api.post<void>(`${clientPath(clientId)}/risk`, { level, justification: justification.trim() }),
      `Risk level recorded: ${RISK_NAMES[level as RiskLevel]}.`,
    );
    if (ok) {
      setLevel('');
      setJustification('');
      onSaved();
    }
  }

  return (
    <form onSubmit={submit} noValidate className="stack risk-form" aria-busy={busy}>
      <h3 id="record-risk-heading">Record risk level</h3>
      <SelectField label="Risk level" value={level} onChange={(e) => setLevel(e.target.value as RiskLevel | '')} aria-invalid={invalid('level')} className="select-short">
        <option value="">Choose a level</option>
        {RISK_CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </SelectField>
      <TextArea
        label="Clinical justification"
        hint="What the level rests on: what you observed, what the client said, protective factors."
        value={justification}
        onChange={(e) => setJustification(e.target.value)}
        aria-invalid={invalid('justification')}
        rows={4}
      />
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Record risk
        </button>
        <SavedStatus text={status} />
      </div>
    </form>
  );
}

function RiskHistory({ history, timeZone }: { history: RiskEntry[]; timeZone: string }) {
  if (history.length === 0) return <p className="muted">No risk assessments recorded yet.</p>;
  const newestFirst = [...history].sort((a, b) => b.assessedAt.localeCompare(a.assessedAt));
  return (
    <div className="table-wrap" role="region" aria-labelledby="risk-history-caption" tabIndex={0}>
      <table className="risk-history">
        <caption id="risk-history-caption">Risk history, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Level</th>
            <th scope="col">Source</th>
            <th scope="col">Justification</th>
            <th scope="col">Recorded by</th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((r) => (
            <tr key={r.id}>
              <td className="when">
                <time dateTime={r.assessedAt}>{formatDateTime(r.assessedAt, timeZone)}</time>
              </td>
              <td>
                <RiskBadge level={r.level} />
              </td>
              <td>{RISK_SOURCES[r.source] ?? r.source}</td>
              <td className="justification">{r.justification}</td>
              <td>{r.assessedByName ?? 'Unknown'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface Props {
  client: ClientDetails;
  history: RiskEntry[];
  timeZone: string;
  canRecord: boolean;
  onSaved: () => void;
}

export function RiskPanel({ client, history, timeZone, canRecord, onSaved }: Props) {
  return (
    <section aria-labelledby="risk-heading" className="panel" id="risk">
      <h2 id="risk-heading">Risk</h2>
      <p className="risk-current">
        <span>Current level:</span> <RiskBadge level={client.riskLevel} />
        {client.riskAssessedAt && (
          <span className="muted">
            {' '}
            assessed <time dateTime={client.riskAssessedAt}>{formatDateTime(client.riskAssessedAt, timeZone)}</time>
          </span>
        )}
      </p>
      <RiskHistory history={history} timeZone={timeZone} />
      {canRecord && <RiskForm clientId={client.id} onSaved={onSaved} />}
    </section>
  );
}
