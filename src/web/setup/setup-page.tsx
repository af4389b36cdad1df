import { useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api, problemOf, type Problem } from '../api.ts';
import { NOTICE, useSession, type SignInState } from '../session.tsx';
import { deviceTimeZone, timeZones } from '../time.ts';
import { Field, MIN_PASSWORD, PASSWORD_RULE, ProblemAlert, usePageTitle } from '../ui.tsx';

export function SetupPage() {
  usePageTitle('Set up your practice');
  const navigate = useNavigate();
  const { setupDone } = useSession();
  const zones = useMemo(timeZones, []);
  const [practiceName, setPracticeName] = useState('');
  const [timeZone, setTimeZone] = useState(deviceTimeZone);
  const [ownerName, setOwnerName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  function toSignIn(notice: string) {
    setupDone();
    const state: SignInState = { notice };
    navigate('/sign-in', { replace: true, state });
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const missing = [
      [practiceName, 'the practice name'],
      [ownerName, 'your name'],
      [email, 'your email'],
    ].filter(([v]) => !v?.trim());
    if (missing.length > 0) {
      setProblem({ status: 400, detail: `Please fill in ${missing.map(([, n]) => n).join(', ')}.` });
      return;
    }
    if (password.length < MIN_PASSWORD) {
      setProblem({ status: 400, detail: `Your password needs at least ${MIN_PASSWORD} characters.` });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await api.post('/api/setup', {
        practiceName: practiceName.trim(),
        timeZone,
        ownerName: ownerName.trim(),
        email: email.trim(),
        password,
      });
      toSignIn(NOTICE.practiceReady);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SETUP_ALREADY_DONE') {
        toSignIn('This practice is already set up. Sign in to continue.');
        return;
      }
      setProblem(problemOf(err));
      setBusy(false);
    }
  }

  return (
    <div className="narrow">
      <h1>Set up your practice</h1>
      <p className="lede">This takes a minute. You'll be the practice owner and can invite your team next.</p>
      <form onSubmit={submit} noValidate className="stack" aria-busy={busy}>
        <Field label="Practice name" value={practiceName} onChange={(e) => setPracticeName(e.target.value)} required autoComplete="organization" />
        <div className="field">
          <label htmlFor="setup-tz">Time zone</label>
          <p id="setup-tz-hint" className="hint">
            Session times and the audit trail are shown in this time zone.
          </p>
          {zones.length > 1 ? (
            <select id="setup-tz" aria-describedby="setup-tz-hint" value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
              {!zones.includes(timeZone) && <option value={timeZone}>{timeZone}</option>}
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          ) : (
            <input id="setup-tz" aria-describedby="setup-tz-hint" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
          )}
        </div>
        <Field label="Your name" value={ownerName} onChange={(e) => setOwnerName(e.target.value)} required autoComplete="name" />
        <Field label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="email" />
        <Field
          label="Password"
          type="password"
          hint={PASSWORD_RULE}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          minLength={MIN_PASSWORD}
          autoComplete="new-password"
        />
        <ProblemAlert problem={problem} />
        <button type="submit" className="primary" disabled={busy}>
          Set up practice
        </button>
      </form>
    </div>
  );
}
