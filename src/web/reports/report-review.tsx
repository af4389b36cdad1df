// After signing: addenda (each signed by its author), and the supervisor's review —
// co-signature with a note, then closing the review.
import { useId, useState, type FormEvent } from 'react';
import { api, problemOf, type Problem } from '../api.ts';
import { formatDateTime } from '../time.ts';
import { ProblemAlert, TextArea } from '../ui.tsx';
import { reportPath, type Report, type Signature } from './report-types.ts';

export function SignatureLine({ label, signature, timeZone, verified, plain }: { label: string; signature: Signature; timeZone: string; verified?: boolean; plain?: boolean }) {
  return (
    <p className={plain ? 'report-signature report-signature-plain' : 'report-signature'}>
      {label} <span className="strong">{signature.by.name}</span> · {formatDateTime(signature.at, timeZone)}
      <span className="hint report-hash" title={`SHA-256 ${signature.contentHash}`}>
        {' '}· SHA-256 {signature.contentHash.slice(0, 12)}…{verified === undefined ? '' : verified ? ' · content matches its signature' : ' · content does not match its signature'}
      </span>
    </p>
  );
}

export function Addenda({ report, timeZone, onChanged }: { report: Report; timeZone: string; onChanged: (r: Report) => void }) {
  const headingId = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [id, setId] = useState(() => crypto.randomUUID());

  async function add(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      onChanged(await api.post<Report>(reportPath(report.incidentId, '/addenda'), { id, text }));
      setText('');
      setOpen(false);
      setId(crypto.randomUUID());
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  if (report.addenda.length === 0 && !report.viewer.canAddAddendum) return null;
  return (
    <section className="panel report-addenda" aria-labelledby={headingId}>
      <h2 id={headingId}>Addenda</h2>
      {report.addenda.length === 0 ? <p className="muted">No addenda.</p> : (
        <ol className="record-list">
          {report.addenda.map((a) => (
            <li key={a.id} className="record-item">
              <p className="report-text">{a.text}</p>
              <SignatureLine label="Signed by" signature={{ by: a.author, at: a.signedAt, contentHash: a.contentHash }} timeZone={timeZone} verified={a.verified} />
            </li>
          ))}
        </ol>
      )}
      {report.viewer.canAddAddendum && (open ? (
        <form className="stack" onSubmit={(e) => void add(e)}>
          <TextArea label="Addendum" hint="Signed with your name when you add it; it cannot be changed afterwards." rows={4} required maxLength={20_000}
            value={text} onChange={(e) => setText(e.target.value)} autoFocus />
          <ProblemAlert problem={problem} />
          <div className="row">
            <button type="submit" className="primary" disabled={busy || !text.trim()}>Sign and add</button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setOpen(false)}>Cancel</button>
          </div>
        </form>
      ) : (
        <button type="button" className="secondary" onClick={() => setOpen(true)}>Add addendum</button>
      ))}
    </section>
  );
}

export function ReviewPanel({ report, timeZone, onChanged }: { report: Report; timeZone: string; onChanged: (r: Report) => void }) {
  const headingId = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function act(suffix: '/cosign' | '/close', body: unknown) {
    setBusy(true);
    setProblem(null);
    try {
      onChanged(await api.post<Report>(reportPath(report.incidentId, suffix), body));
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel report-review" aria-labelledby={headingId}>
      <h2 id={headingId}>Supervisor review</h2>
      {report.cosignature ? (
        <>
          <SignatureLine label="Reviewed and co-signed by" signature={report.cosignature} timeZone={timeZone} plain />
          {report.cosignature.note && <blockquote className="report-quote" aria-label="Co-sign note">{report.cosignature.note}</blockquote>}
        </>
      ) : (
        <p className="muted">Awaiting review by a supervisor of {report.signature?.by.name ?? 'the clinician who signed'}.</p>
      )}
      {report.closed && <p>Review closed by <span className="strong">{report.closed.by.name}</span> · {formatDateTime(report.closed.at, timeZone)}</p>}
      {report.viewer.canCosign && (
        <form className="stack" onSubmit={(e) => { e.preventDefault(); void act('/cosign', { note: note.trim() || null }); }}>
          <TextArea label="Co-sign note" hint="Optional: what you reviewed, agreed or asked for." rows={3} maxLength={5000}
            value={note} onChange={(e) => setNote(e.target.value)} />
          <div className="row">
            <button type="submit" className="primary" disabled={busy}>Co-sign report</button>
          </div>
        </form>
      )}
      {report.viewer.canClose && (
        <div className="row">
          <button type="button" className="secondary" disabled={busy} onClick={() => void act('/close', {})}>Close review</button>
        </div>
      )}
      <ProblemAlert problem={problem} />
    </section>
  );
}
