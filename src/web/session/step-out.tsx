// Stepping out of the session and coming back (DESIGN.md, protocol 7; seed 002): say
// why and what the client was told; the time away goes on the session record.
import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { api } from '../api.ts';
import { fieldProblem, useSubmit, type FieldLabels } from '../clients/client-form.tsx';
import { formatTime } from '../schedule/schedule.ts';
import { Field, ProblemAlert, TextArea } from '../ui.tsx';
import { currentStepOut, durationWords, minutesWords, sessionPath, type SessionView, type StepOut } from './session.ts';
import { changeSession, type SessionPart } from './use-session-view.ts';

const STEP_OUT_LABELS: FieldLabels = { reason: 'Why you are stepping out', toldClient: 'What you told the client' };

/** After stepping out, the keyboard goes to "I'm back"; after coming back, to "Step out". */
type FocusNext = RefObject<'back' | 'out' | null>;

function useFocusWhen(focusNext: FocusNext, when: 'back' | 'out') {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusNext.current !== when) return;
    focusNext.current = null;
    ref.current?.focus();
  }, [focusNext, when]);
  return ref;
}

export function StepOutPanel({ now, ...part }: SessionPart & { now: number }) {
  const { session } = part;
  const headingId = useId();
  const away = currentStepOut(session);
  const ended = session.endedAt !== null;
  const past = session.stepOuts.filter((o) => o.returnedAt !== null);
  const focusNext = useRef<'back' | 'out' | null>(null);
  if (ended && session.stepOuts.length === 0) return null;
  return (
    <section className="panel session-panel session-step-out" aria-labelledby={headingId}>
      <h2 id={headingId}>Stepping out</h2>
      {away ? <Away part={part} stepOut={away} now={now} focusNext={focusNext} /> : !ended && <StepOutForm part={part} focusNext={focusNext} />}
      {past.length > 0 && <StepOutList stepOuts={past} timeZone={part.timeZone} />}
    </section>
  );
}

function Away({ part, stepOut, now, focusNext }: { part: SessionPart; stepOut: StepOut; now: number; focusNext: FocusNext }) {
  const { busy, problem, run } = useSubmit();
  const back = useFocusWhen(focusNext, 'back');
  const since = durationWords(now - new Date(stepOut.leftAt).getTime());
  const returnPath = sessionPath(part.session.id, `/step-outs/${encodeURIComponent(stepOut.id)}/return`);
  return (
    <div className="stack step-out-away">
      <p className="away-status">
        You stepped out at {formatTime(stepOut.leftAt, part.timeZone)}. Away {since}.
      </p>
      <dl className="facts compact">
        <dt>Why</dt>
        <dd>{stepOut.reason}</dd>
        <dt>The client was told</dt>
        <dd>{stepOut.toldClient}</dd>
      </dl>
      <ProblemAlert problem={problem} />
      <button
        ref={back}
        type="button"
        className="primary"
        disabled={busy}
        onClick={() => {
          focusNext.current = 'out';
          void run(() => changeSession(part, () => api.post<SessionView>(returnPath)), '').then((ok) => {
            if (!ok) focusNext.current = null;
          });
        }}
      >
        I'm back
      </button>
    </div>
  );
}

function StepOutForm({ part, focusNext }: { part: SessionPart; focusNext: FocusNext }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [told, setTold] = useState('');
  const button = useFocusWhen(focusNext, 'out');
  const { busy, problem, run, fail, invalid } = useSubmit(STEP_OUT_LABELS);

  function close() {
    setOpen(false);
    window.setTimeout(() => button.current?.focus(), 0);
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errors: { path: string; message: string }[] = [];
    if (!reason.trim()) errors.push({ path: 'reason', message: 'Say briefly why, for example "building alarm"' });
    if (!told.trim()) errors.push({ path: 'toldClient', message: 'Write what you told the client' });
    if (errors.length > 0) {
      fail(fieldProblem('Before you step out:', errors));
      return;
    }
    const body = { reason: reason.trim(), toldClient: told.trim() };
    focusNext.current = 'back';
    const ok = await run(() => changeSession(part, () => api.post<SessionView>(sessionPath(part.session.id, '/step-outs'), body)), '');
    if (!ok) focusNext.current = null;
  }

  if (!open) {
    return (
      <div className="row">
        <button ref={button} type="button" className="secondary" onClick={() => setOpen(true)}>
          Step out
        </button>
        <span className="hint">Tell the client why first; the time away is logged.</span>
      </div>
    );
  }
  return (
    <form onSubmit={submit} noValidate className="stack step-out-form" aria-label="Step out" aria-busy={busy}>
      <Field label="Why you are stepping out" value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} aria-invalid={invalid('reason')} autoFocus />
      <TextArea
        label="What you told the client"
        hint="For example: “The building alarm is going off. I’ll be back in a few minutes; this isn’t about you.”"
        rows={2}
        value={told}
        onChange={(e) => setTold(e.target.value)}
        required
        maxLength={1000}
        aria-invalid={invalid('toldClient')}
      />
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Step out
        </button>
        <button type="button" className="secondary" onClick={close}>
          Stay in the session
        </button>
      </div>
    </form>
  );
}

function StepOutList({ stepOuts, timeZone }: { stepOuts: StepOut[]; timeZone: string }) {
  return (
    <>
      <h3>Time away</h3>
      <ul className="step-out-list">
        {stepOuts.map((o) => (
          <li key={o.id}>
            <span className="step-out-when">
              {formatTime(o.leftAt, timeZone)}
              {o.returnedAt && <> – {formatTime(o.returnedAt, timeZone)}</>}
              {o.minutesAway !== null && <> · away {minutesWords(o.minutesAway)}</>}
            </span>
            <span>{o.reason}</span>
            <span className="muted">Told the client: {o.toldClient}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
