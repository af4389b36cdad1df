import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api, isAbort, problemOf, type Problem, type Role } from '../api.ts';
import { NOTICE, type SignInState } from '../session.tsx';
import { deviceTimeZone, formatDateTime } from '../time.ts';
import { Field, Loading, MIN_PASSWORD, PASSWORD_RULE, ProblemAlert, roleName, usePageTitle } from '../ui.tsx';

interface Invite {
  email: string;
  name: string;
  role: Role;
  practiceName: string;
  expiresAt: string;
}

type Load = { status: 'loading' } | { status: 'ready'; invite: Invite } | { status: 'gone'; message: string };

function goneMessage(err: unknown): string | null {
  if (!(err instanceof ApiError)) return null;
  if (err.code === 'INVITE_EXPIRED' || err.status === 410)
    return 'This invite has expired. Ask your practice administrator to send a new one.';
  if (err.code === 'INVITE_NOT_FOUND' || err.status === 404)
    return "We couldn't find this invite. It may have been used already. Ask your practice administrator for a new link.";
  return null;
}

export function AcceptInvitePage() {
  usePageTitle('Create your account');
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const path = `/api/invites/${encodeURIComponent(token)}`;

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<Invite>(path, { signal: ctrl.signal })
      .then((invite) => setLoad({ status: 'ready', invite }))
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        const gone = goneMessage(err);
        if (gone) setLoad({ status: 'gone', message: gone });
        else setLoadProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [path]);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (password.length < MIN_PASSWORD) {
      setProblem({ status: 400, detail: `Your password needs at least ${MIN_PASSWORD} characters.` });
      return;
    }
    if (password !== confirm) {
      setProblem({ status: 400, detail: "The two passwords don't match. Type them again." });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await api.post(`${path}/accept`, { password });
      const state: SignInState = { notice: NOTICE.accountReady };
      navigate('/sign-in', { replace: true, state });
    } catch (err) {
      setBusy(false);
      const gone = goneMessage(err);
      if (gone) setLoad({ status: 'gone', message: gone });
      else setProblem(problemOf(err));
    }
  }

  if (load.status === 'gone') {
    return (
      <div className="narrow">
        <h1>This invite can't be used</h1>
        <div role="alert" className="alert">
          <p>{load.message}</p>
        </div>
        <p>
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </p>
      </div>
    );
  }

  if (load.status === 'loading') {
    return (
      <div className="narrow">
        <h1>Create your account</h1>
        {loadProblem ? <ProblemAlert problem={loadProblem} /> : <Loading what="Checking your invite…" />}
      </div>
    );
  }

  const { invite } = load;
  return (
    <div className="narrow">
      <h1>Create your account</h1>
      <p className="lede">
        {invite.name}, you've been invited to join <strong>{invite.practiceName}</strong> as{' '}
        {/^[aeiou]/i.test(roleName(invite.role)) ? 'an' : 'a'} {roleName(invite.role).toLowerCase()}.
      </p>
      <dl className="facts">
        <dt>Email</dt>
        <dd>{invite.email}</dd>
        <dt>Invite expires</dt>
        <dd>{formatDateTime(invite.expiresAt, deviceTimeZone())}</dd>
      </dl>
      <form onSubmit={submit} noValidate className="stack" aria-busy={busy}>
        <input type="email" name="username" autoComplete="username" value={invite.email} readOnly hidden />
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
        <Field
          label="Confirm password"
          type="password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          required
          autoComplete="new-password"
        />
        <ProblemAlert problem={problem} />
        <button type="submit" className="primary" disabled={busy}>
          Create account
        </button>
      </form>
    </div>
  );
}
