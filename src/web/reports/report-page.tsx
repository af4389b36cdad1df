/**
 * The incident report (issue 6 item 1): a draft with the recorded facts read-only and the
 * narrative editable; "Sign and lock"; then the locked report with its signature, the
 * addenda and "Add addendum"; a supervisor of the signer co-signs and closes the review.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, problemOf, type Problem } from '../api.ts';
import { useMe } from '../session.tsx';
import { formatDateTime } from '../time.ts';
import { Loading, Notice, ProblemAlert, SelectField, TextArea, usePageTitle } from '../ui.tsx';
import { ReportFacts } from './report-facts.tsx';
import { Addenda, ReviewPanel, SignatureLine } from './report-review.tsx';
import { reportPath, RISK_WORDS, STATUS_WORDS, type Report, type ReportFields, type RiskLevel } from './report-types.ts';

export function ReportPage() {
  const { incidentId = '' } = useParams();
  const me = useMe();
  usePageTitle('Incident report');
  const [report, setReport] = useState<Report | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const load = useCallback(async () => {
    try {
      setReport(await api.get<Report>(reportPath(incidentId)));
      setProblem(null);
    } catch (err) {
      setProblem(problemOf(err));
    }
  }, [incidentId]);
  useEffect(() => { void load(); }, [load]);

  return (
    <div className="report">
      <p className="breadcrumb">
        <Link to="/incidents">Incidents</Link> › <Link to={`/incidents/${incidentId}`}>Incident</Link>
      </p>
      <div className="page-head">
        <h1>Incident report</h1>
        {report && <span className={report.status === 'draft' ? 'chip' : 'chip chip-ready'}>{STATUS_WORDS[report.status]}</span>}
      </div>
      {!report ? (problem ? <ProblemAlert problem={problem} /> : <Loading what="Loading the report…" />) : (
        <>
          <p className="incident-sub muted">
            <span className="strong">{report.client.name}</span> · {report.protocolTitle} · opened {formatDateTime(report.facts.openedAt, me.practice.timeZone)}
          </p>
          {report.kind === 'clinician_emergency' && (
            <Notice>
              <p>This is the record of your own emergency. It says what happened to the session and holds none of the client’s clinical detail.</p>
            </Notice>
          )}
          <div className="report-layout">
            <div className="report-main">
              {report.status === 'draft' && report.viewer.canEdit
                ? <DraftForm report={report} onChanged={setReport} />
                : <SignedReport report={report} timeZone={me.practice.timeZone} />}
              {report.status !== 'draft' && <Addenda report={report} timeZone={me.practice.timeZone} onChanged={setReport} />}
              {report.status !== 'draft' && <ReviewPanel report={report} timeZone={me.practice.timeZone} onChanged={setReport} />}
            </div>
            <ReportFacts report={report} timeZone={me.practice.timeZone} />
          </div>
        </>
      )}
    </div>
  );
}

/** The narrative the clinician writes; the risk fields only for a client's emergency (NPSG 15.01.01). */
function DraftForm({ report, onChanged }: { report: Report; onChanged: (r: Report) => void }) {
  const headingId = useId();
  const [fields, setFields] = useState<ReportFields>(report.fields);
  const [version, setVersion] = useState(report.version);
  const [dirty, setDirty] = useState(report.version === 0);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const client = report.kind === 'client';
  const set = (patch: Partial<ReportFields>) => {
    setFields((f) => ({ ...f, ...patch }));
    setDirty(true);
    setSaved('');
  };

  async function save(): Promise<Report | null> {
    const body = client ? { basedOnVersion: version, ...fields } : { basedOnVersion: version, whatHappened: fields.whatHappened };
    const next = await api.put<Report>(reportPath(report.incidentId), body);
    setVersion(next.version);
    setDirty(false);
    return next;
  }

  async function onSave(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const next = await save();
      if (next) {
        setSaved('Draft saved.');
        onChanged(next);
      }
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  async function onSign() {
    setBusy(true);
    setProblem(null);
    try {
      const current = dirty ? await save() : null;
      const signed = await api.post<Report>(reportPath(report.incidentId, '/sign'), { version: current?.version ?? version });
      onChanged(signed);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel report-draft" aria-labelledby={headingId} onSubmit={(e) => void onSave(e)}>
      <h2 id={headingId}>Your account</h2>
      <p className="hint">Write what happened factually. Prefilled from the incident; change anything that is not right.</p>
      <div className="stack">
        <TextArea label="What happened" rows={6} value={fields.whatHappened} required maxLength={20_000}
          onChange={(e) => set({ whatHappened: e.target.value })} />
        {client && (
          <>
            <TextArea label="The client’s exact words" hint="Only where they matter, word for word." rows={3} maxLength={20_000}
              value={fields.exactWords ?? ''} onChange={(e) => set({ exactWords: e.target.value })} />
            <SelectField label="Risk level"
              hint={report.cssrs ? `The C-SSRS screener triaged ${RISK_WORDS[report.cssrs.risk].toLowerCase()}.` : 'Your clinical judgement.'}
              value={fields.riskLevel ?? ''} onChange={(e) => set({ riskLevel: (e.target.value || null) as RiskLevel | null })}>
              <option value="">Choose…</option>
              {(['none', 'low', 'moderate', 'high'] as const).map((r) => <option key={r} value={r}>{RISK_WORDS[r]}</option>)}
            </SelectField>
            <TextArea label="Clinical justification" hint="Why this level: what you saw and heard, the screener, protective factors." rows={4} maxLength={20_000}
              value={fields.riskJustification ?? ''} onChange={(e) => set({ riskJustification: e.target.value })} />
            <TextArea label="Mitigation plan" hint="What keeps the client safe now and next (Joint Commission NPSG 15.01.01)." rows={4} maxLength={20_000}
              value={fields.mitigationPlan ?? ''} onChange={(e) => set({ mitigationPlan: e.target.value })} />
          </>
        )}
      </div>
      <ProblemAlert problem={problem} />
      <div className="row report-buttons">
        <button type="submit" className="secondary" disabled={busy}>Save draft</button>
        {report.viewer.canSign && (
          <button type="button" className="primary" disabled={busy} onClick={() => void onSign()}>Sign and lock</button>
        )}
        <p className="saved-status" role="status">{saved}</p>
      </div>
      <p className="hint">Once signed, the report cannot be changed. Anything later is added as a signed addendum.</p>
    </form>
  );
}

/** The report as signed (or a draft for someone who may not edit it). */
function SignedReport({ report, timeZone }: { report: Report; timeZone: string }) {
  const headingId = useId();
  const f = report.fields;
  return (
    <section className="panel report-signed" aria-labelledby={headingId}>
      <h2 id={headingId}>{report.signature ? 'Signed report' : 'Draft'}</h2>
      {report.signature && <p className="report-lock">Locked: this report cannot be changed. Add an addendum for anything new.</p>}
      <h3>What happened</h3>
      <p className="report-text">{f.whatHappened || '—'}</p>
      {report.kind === 'client' && (
        <>
          {f.exactWords && (
            <>
              <h3>The client’s exact words</h3>
              <blockquote className="report-quote">{f.exactWords}</blockquote>
            </>
          )}
          <h3>Risk level</h3>
          <p>{f.riskLevel ? <span className={`risk-badge risk-${f.riskLevel}`}>{RISK_WORDS[f.riskLevel]}</span> : '—'}</p>
          <h3>Clinical justification</h3>
          <p className="report-text">{f.riskJustification ?? '—'}</p>
          <h3>Mitigation plan</h3>
          <p className="report-text">{f.mitigationPlan ?? '—'}</p>
        </>
      )}
      {report.signature && <SignatureLine label="Signed by" signature={report.signature} timeZone={timeZone} verified={report.signature.verified} />}
    </section>
  );
}
