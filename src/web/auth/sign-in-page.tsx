import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ApiError, api, problemOf, type Me, type Problem } from '../api.ts';
import { useSession, type SignInState } from '../session.tsx';
import { Field, Notice, ProblemAlert, usePageTitle } from '../ui.tsx';
import { PagerStandby } from '../live/pager-standby.tsx';

export function SignInPage() {
  usePageTitle('Sign in');
  const navigate = useNavigate();
  const location = useLocation();
  const { signedIn } = useSession();
  const state = (location.state ?? {}) as SignInState;
  const [notice, setNotice] = useState(state.notice ?? null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (needsCode) codeRef.current?.focus();
  }, [needsCode]);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!email.trim() || !password) {
      setProblem({ status: 400, detail: 'Enter your email and password.' });
      return;
    }
    const code = totpCode.replace(/\s+/g, '');
    if (needsCode && !/^\d{6}$/.test(code)) {
      setProblem({ status: 400, detail: 'Enter the 6-digit code from your authenticator app.' });
      return;
    }
    setBusy(true);
    setProblem(null);
    setNotice(null);
    try {
      const body = needsCode ? { email: email.trim(), password, totpCode: code } : { email: email.trim(), password };
      const me = await api.post<Me>('/api/auth/sign-in', body);
      signedIn(me);
      const to = state.from && state.from.startsWith('/') && !state.from.startsWith('/sign-in') ? state.from : '/';
      navigate(me.mustEnrollTotp ? '/security' : to, { replace: true });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === 'TOTP_REQUIRED') {
        setNeedsCode(true);
        setNotice('Your account uses a second factor. Enter the code from your authenticator app.');
        return;
      }
      if (err instanceof ApiError && err.code === 'TOTP_INVALID') {
        setNeedsCode(true);
        setTotpCode('');
        codeRef.current?.focus();
      }
      setProblem(problemOf(err));
    }
  }

  return (
    <div className="narrow">
      <h1>Sign in</h1>
      {notice && <Notice>{notice}</Notice>}
      <PagerStandby />
      <form onSubmit={submit} noValidate className="stack" aria-busy={busy}>
        <Field label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="username" />
        <Field
          label="Password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          autoComplete="current-password"
        />
        {needsCode && (
          <Field
            ref={codeRef}
            label="Authenticator code"
            hint="6-digit code from your authenticator app"
            value={totpCode}
            onChange={(e) => setTotpCode(e.target.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]*"
            maxLength={7}
            required
          />
        )}
        <ProblemAlert problem={problem} />
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </div>
  );
}
