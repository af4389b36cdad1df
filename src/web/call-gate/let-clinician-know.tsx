/**
 * The front desk's "Let the clinician know" (issue 7 item 3): something urgent at the door or
 * on the phone for a clinician who is in session. Who, a short message, and whether it is
 * personal (for the clinician) or about the building; it shows at the top of their session.
 * The answer carries nothing clinical; the id is made here, so a retry does not alert twice.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { fieldProblem, useSubmit } from '../clients/client-form.tsx';
import { Field, ProblemAlert, TextArea } from '../ui.tsx';
import { alertsPath, type AlertKind, type RunningSession, type SessionAlert } from './call-gate.ts';

const LABELS = { who: 'Who is it', message: 'Message', kind: 'What it is about' };
const REFRESH_MS = 60_000;

/** The practice's running sessions by appointment, for the front desk's Today. */
export function useRunningSessions(enabled: boolean): Map<string, RunningSession> {
  const [byAppointment, setByAppointment] = useState<Map<string, RunningSession>>(() => new Map());
  const load = useCallback(async () => {
    try {
      const r = await api.get<{ sessions: RunningSession[] }>('/api/sessions/running');
      setByAppointment(new Map(r.sessions.filter((s) => s.appointmentId).map((s) => [s.appointmentId as string, s])));
    } catch {
      // Quietly: without the list, Today simply shows no alert control.
    }
  }, []);
  useEffect(() => {
    if (!enabled) return;
    void load();
    const t = window.setInterval(() => void load(), REFRESH_MS);
    return () => window.clearInterval(t);
  }, [enabled, load]);
  return byAppointment;
}

interface Props {
  /** The appointment's session when it is running; nothing is shown otherwise. */
  running: RunningSession | undefined;
  clinicianName: string;
  /** Names the session for the button (time and client), for screen readers. */
  describedBy: string;
}

export function LetClinicianKnow({ running, ...rest }: Props) {
  return running ? <LetKnowForm sessionId={running.id} {...rest} /> : null;
}

function LetKnowForm({ sessionId, clinicianName, describedBy }: Omit<Props, 'running'> & { sessionId: string }) {
  const formId = useId();
  const [open, setOpen] = useState(false);
  const [who, setWho] = useState('');
  const [message, setMessage] = useState('');
  const [kind, setKind] = useState<AlertKind>('personal');
  const alertId = useRef<string>(crypto.randomUUID());
  const button = useRef<HTMLButtonElement>(null);
  const { busy, problem, status, run, fail, invalid, setStatus } = useSubmit(LABELS);

  function close(focus = true) {
    setOpen(false);
    if (focus) window.setTimeout(() => button.current?.focus(), 0);
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errors: { path: string; message: string }[] = [];
    if (!who.trim()) errors.push({ path: 'who', message: 'Say who it is, for example "Her sister, at the front door"' });
    if (!message.trim()) errors.push({ path: 'message', message: 'Write a short message' });
    if (errors.length > 0) {
      fail(fieldProblem('Before you send:', errors));
      return;
    }
    const body = { id: alertId.current, who: who.trim(), message: message.trim(), kind };
    const ok = await run(async () => {
      await api.post<{ alert: SessionAlert }>(alertsPath(sessionId), body);
    }, `${clinicianName} has been told. It shows at the top of their session.`);
    if (!ok) return;
    alertId.current = crypto.randomUUID();
    setWho('');
    setMessage('');
    setKind('personal');
    close();
  }

  return (
    <div className="let-know">
      {!open && (
        <button
          ref={button}
          type="button"
          className="secondary"
          aria-expanded={false}
          aria-controls={formId}
          aria-describedby={describedBy}
          onClick={() => {
            setStatus('');
            setOpen(true);
          }}
        >
          Let the clinician know
        </button>
      )}
      {open && (
        <form id={formId} onSubmit={submit} noValidate className="stack let-know-form" aria-label={`Let ${clinicianName} know`} aria-busy={busy}>
          <p className="hint">In session now. This shows at the top of {clinicianName}'s session screen, discreetly.</p>
          <Field label="Who is it" value={who} onChange={(e) => setWho(e.target.value)} maxLength={120} required aria-invalid={invalid('who')} autoFocus hint="For example: “Her sister, at the front door”" />
          <TextArea label="Message" rows={2} value={message} onChange={(e) => setMessage(e.target.value)} maxLength={500} required aria-invalid={invalid('message')} />
          <fieldset className="let-know-kind">
            <legend>What it is about</legend>
            <label className="check">
              <input type="radio" name={`${formId}-kind`} checked={kind === 'personal'} onChange={() => setKind('personal')} />
              <span>Personal, for {clinicianName}</span>
            </label>
            <label className="check">
              <input type="radio" name={`${formId}-kind`} checked={kind === 'facility'} onChange={() => setKind('facility')} />
              <span>The building or the practice</span>
            </label>
          </fieldset>
          <ProblemAlert problem={problem} />
          <div className="row">
            <button type="submit" className="primary" disabled={busy}>
              Send to {clinicianName}
            </button>
            <button type="button" className="secondary" onClick={() => close()}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <p role="status" className="saved-status">
        {status}
      </p>
    </div>
  );
}
