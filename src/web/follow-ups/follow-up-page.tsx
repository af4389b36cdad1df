// One follow-up: its attempts, and what can be done now — log an attempt (channel and
// outcome), send a check-in (previewed first: where, when, or why it cannot go), mark it
// done with a note, or give it a new due time.
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { api, problemOf, type Problem } from '../api.ts';
import { subscribeLive } from '../live/live-events.ts';
import { can, useMe } from '../session.tsx';
import { formatDateTime } from '../time.ts';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import { useBreakGlassGrant } from '../break-glass/read-only.tsx';
import {
  CHANNELS, OUTCOMES, channelLabel, isActive, localInputToIso, outcomeLabel, patchFollowUp, statusLabel,
  type AttemptOutcome, type FollowUpChannel, type FollowUpDetail,
} from './follow-ups.ts';

export function FollowUpPage() {
  const { followUpId = '' } = useParams();
  const me = useMe();
  const timeZone = me.practice.timeZone;
  const [followUp, setFollowUp] = useState<FollowUpDetail | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState('');
  // Under a break-glass grant on the client (issue 6) the follow-up is read, not acted on; unknown yet counts as read-only.
  const grant = useBreakGlassGrant(followUp?.client.id ?? '');
  usePageTitle(followUp ? followUp.title : 'Follow-up');

  const load = useCallback(async () => {
    try {
      setFollowUp((await api.get<{ followUp: FollowUpDetail }>(`/api/follow-ups/${followUpId}`)).followUp);
      setProblem(null);
    } catch (err) {
      setProblem(problemOf(err));
    }
  }, [followUpId]);
  useEffect(() => {
    void load();
    return subscribeLive('notification', (data) => {
      if ((data as { followUpTaskId?: string }).followUpTaskId === followUpId) void load();
    });
  }, [load, followUpId]);

  const changed = (next: FollowUpDetail, message: string) => {
    setFollowUp(next);
    setSaved(message);
  };

  if (!followUp) return problem ? <ProblemAlert problem={problem} /> : <Loading what="Loading the follow-up…" />;
  const status = statusLabel(followUp);
  const active = isActive(followUp);
  const mayAct = grant === null && can(me, 'follow_up.attempt');
  const messageFirst = followUp.channel === 'text' || followUp.channel === 'email';
  const checkIn = (
    <Panel title="Send a check-in"><CheckInForm followUp={followUp} onSent={(f, held) => changed(f, held ? 'Check-in queued; it goes after quiet hours.' : 'Check-in queued to send.')} /></Panel>
  );
  return (
    <>
      <div className="page-head">
        <h1>{followUp.title}</h1>
        {status && <span className="chip">{status}</span>}
      </div>
      <p className="lede">
        <Link to={`/clients/${followUp.client.id}`}>{followUp.client.name}</Link> · Due {formatDateTime(followUp.dueAt, timeZone)} · {followUp.assignedTo.name}
        {followUp.incidentId && <> · <Link to={`/incidents/${followUp.incidentId}`}>Incident</Link></>}
      </p>
      <p className="hint">
        {channelLabel(followUp.channel)}
        {active && <> · {followUp.attempts.failed} of {followUp.attempts.max} attempts without reaching the client</>}
        {followUp.status === 'unable_to_reach' && ' · The supervisor has been told. Mark it done once the next step is settled.'}
      </p>
      {followUp.note && <p>{followUp.status === 'cancelled' ? 'Reason' : 'Note'}: {followUp.note}</p>}
      <p role="status" className="saved-status">{saved}</p>

      {/* The usual next step first: a check-in on the channel the client agreed to (a call or a visit is logged as an attempt). */}
      {active && mayAct && messageFirst && checkIn}

      <section className="panel" aria-labelledby="attempts-heading">
        <h2 id="attempts-heading">Attempts</h2>
        {followUp.attemptLog.length === 0 ? <p className="muted">No attempts yet.</p> : (
          <ol className="record-list">
            {followUp.attemptLog.map((a) => (
              <li key={a.id} className="record-item">
                <p><span className="strong">{outcomeLabel(a.outcome)}</span> · {channelLabel(a.channel)}</p>
                <p className="hint">{formatDateTime(a.attemptedAt, timeZone)} · {a.recordedBy.name}{a.note && <> · {a.note}</>}</p>
              </li>
            ))}
          </ol>
        )}
        {active && mayAct && <AttemptForm followUp={followUp} onSaved={(f) => changed(f, 'Attempt logged.')} />}
      </section>

      {active && mayAct && (
        <>
          {!messageFirst && checkIn}
          <Panel title="Mark done"><DoneForm followUp={followUp} onDone={() => { setSaved('Marked done.'); void load(); }} /></Panel>
          <Panel title="New due time"><RescheduleForm followUp={followUp} onSaved={(f) => changed(f, 'Due time changed; the reminder moves with it.')} /></Panel>
        </>
      )}
    </>
  );
}

function Panel({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** One form action: busy while it runs, the problem shown beside it. */
function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await work();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, run };
}

function AttemptForm({ followUp, onSaved }: { followUp: FollowUpDetail; onSaved: (f: FollowUpDetail) => void }) {
  const [channel, setChannel] = useState<FollowUpChannel>(followUp.channel ?? 'voice');
  const [outcome, setOutcome] = useState<AttemptOutcome>('no_answer');
  const [note, setNote] = useState('');
  const { busy, problem, run } = useSubmit();
  const ids = { channel: useId(), outcome: useId(), note: useId() };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await api.post<{ followUp: FollowUpDetail }>(`/api/follow-ups/${followUp.id}/attempts`, {
        id: crypto.randomUUID(), channel, outcome, ...(note.trim() ? { note: note.trim() } : {}),
      });
      setNote('');
      onSaved(r.followUp);
    });
  };
  return (
    <form className="step-form" onSubmit={submit} aria-label="Log an attempt">
      <div className="field">
        <label htmlFor={ids.channel}>How</label>
        <select id={ids.channel} value={channel} onChange={(e) => setChannel(e.target.value as FollowUpChannel)}>
          {CHANNELS.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.outcome}>What happened</label>
        <select id={ids.outcome} value={outcome} onChange={(e) => setOutcome(e.target.value as AttemptOutcome)}>
          {OUTCOMES.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.note}>Note (optional)</label>
        <input id={ids.note} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </div>
      <ProblemAlert problem={problem} />
      <button type="submit" className="primary" disabled={busy}>Log attempt</button>
    </form>
  );
}

interface Preview { subject: string | null; body: string; toAddress: string | null; sendAfter: string | null; heldForQuietHours: boolean; blockedBy: { code: string; detail: string } | null }

function CheckInForm({ followUp, onSent }: { followUp: FollowUpDetail; onSent: (f: FollowUpDetail, held: boolean) => void }) {
  const me = useMe();
  const [channel, setChannel] = useState<'text' | 'email'>(followUp.channel === 'email' ? 'email' : 'text');
  const [preview, setPreview] = useState<Preview | null>(null);
  const { busy, problem, run } = useSubmit();
  const channelId = useId();
  const previewId = useId();
  useEffect(() => {
    let live = true;
    setPreview(null);
    api.post<Preview>(`/api/clients/${followUp.client.id}/messages/preview`, { channel, template: 'check_in' })
      .then((p) => { if (live) setPreview(p); }, () => { /* the send itself says why it cannot go */ });
    return () => { live = false; };
  }, [channel, followUp.client.id]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await api.post<{ followUp: FollowUpDetail; message: { heldForQuietHours: boolean } }>(`/api/follow-ups/${followUp.id}/check-in`, {
        messageId: crypto.randomUUID(), channel, template: 'check_in',
      });
      onSent(r.followUp, r.message.heldForQuietHours);
    });
  };
  return (
    <form className="step-form" onSubmit={submit} aria-label="Send a check-in">
      <div className="field">
        <label htmlFor={channelId}>Send by</label>
        <select id={channelId} value={channel} onChange={(e) => setChannel(e.target.value as 'text' | 'email')}>
          <option value="text">Text</option>
          <option value="email">Email</option>
        </select>
      </div>
      {preview && (
        preview.blockedBy ? <p className="hint">{preview.blockedBy.detail}</p> : (
          <div className="message-preview" role="group" aria-labelledby={previewId}>
            <h3 id={previewId}>What {followUp.client.name} will read</h3>
            <p className="hint">
              To {preview.toAddress}
              {preview.heldForQuietHours && preview.sendAfter ? ` · held for quiet hours until ${formatDateTime(preview.sendAfter, me.practice.timeZone)}` : ' · goes now'}
            </p>
            {preview.subject && <p className="strong">{preview.subject}</p>}
            <p className="message-preview-body">{preview.body}</p>
          </div>
        )
      )}
      <ProblemAlert problem={problem} />
      <button type="submit" className="primary" disabled={busy || Boolean(preview?.blockedBy)}>Send check-in</button>
    </form>
  );
}

function DoneForm({ followUp, onDone }: { followUp: FollowUpDetail; onDone: () => void }) {
  const [note, setNote] = useState('');
  const { busy, problem, run } = useSubmit();
  const noteId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.post(`/api/follow-ups/${followUp.id}/complete`, note.trim() ? { note: note.trim() } : {});
      onDone();
    });
  };
  return (
    <form className="step-form" onSubmit={submit} aria-label={`Mark done: ${followUp.title}`}>
      <div className="field">
        <label htmlFor={noteId}>What was done (optional)</label>
        <input id={noteId} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </div>
      <ProblemAlert problem={problem} />
      <button type="submit" className="primary" disabled={busy}>Save as done</button>
    </form>
  );
}

function RescheduleForm({ followUp, onSaved }: { followUp: FollowUpDetail; onSaved: (f: FollowUpDetail) => void }) {
  const timeZone = useMe().practice.timeZone;
  const [due, setDue] = useState('');
  const { busy, problem, run } = useSubmit();
  const dueId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const dueAt = localInputToIso(due, timeZone);
    if (!dueAt) return;
    void run(async () => {
      onSaved((await patchFollowUp(followUp.id, { dueAt })).followUp);
      setDue('');
    });
  };
  return (
    <form className="step-form" onSubmit={submit} aria-label="New due time">
      <div className="field">
        <label htmlFor={dueId}>Due</label>
        <input id={dueId} type="datetime-local" required value={due} onChange={(e) => setDue(e.target.value)} />
      </div>
      <ProblemAlert problem={problem} />
      <button type="submit" className="secondary" disabled={busy || !due}>Change due time</button>
    </form>
  );
}
