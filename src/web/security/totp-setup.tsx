import { useState, type FormEvent } from 'react';
import { api, problemOf, type Problem } from '../api.ts';
import { useSession } from '../session.tsx';
import { Field, ProblemAlert } from '../ui.tsx';

interface Enrolment {
  secret: string;
  otpauthUri: string;
}

/** "ABCD EFGH IJKL …" so the key is easier to type. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/** Set up an authenticator app: get a secret, then confirm with a code. */
export function TotpSetup({ onDone }: { onDone: () => void }) {
  const { refreshMe } = useSession();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function start() {
    setBusy(true);
    setProblem(null);
    try {
      setEnrolment(await api.post<Enrolment>('/api/me/totp'));
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  async function confirm(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const clean = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(clean)) {
      setProblem({ status: 400, detail: 'Enter the 6-digit code shown in your authenticator app.' });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await api.post('/api/me/totp/confirm', { code: clean });
      await refreshMe();
      onDone();
    } catch (err) {
      setProblem(problemOf(err));
      setBusy(false);
    }
  }

  if (!enrolment) {
    return (
      <div className="stack">
        <p>
          Use an authenticator app on your phone (for example the one your practice recommends) to get a 6-digit code
          each time you sign in.
        </p>
        <ProblemAlert problem={problem} />
        <button type="button" className="primary" onClick={() => void start()} disabled={busy}>
          Set up authenticator app
        </button>
      </div>
    );
  }

  return (
    <form onSubmit={confirm} noValidate className="stack" aria-busy={busy}>
      <ol className="steps">
        <li>
          <p>In your authenticator app, add a new account and type in this key:</p>
          <p>
            <code className="secret">
              {groupSecret(enrolment.secret)}
            </code>
          </p>
          <p className="hint">
            On this device you can also <a href={enrolment.otpauthUri}>open the setup link in your authenticator app</a>.
          </p>
          <Field label="Setup link" value={enrolment.otpauthUri} readOnly onFocus={(e) => e.target.select()} className="wide" />
        </li>
        <li>
          <Field
            label="Authenticator code"
            hint="6-digit code from your authenticator app"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            required
          />
        </li>
      </ol>
      <ProblemAlert problem={problem} />
      <button type="submit" className="primary" disabled={busy}>
        Turn on second factor
      </button>
    </form>
  );
}
