import { useState, type FormEvent } from 'react';
import { api, problemOf, type Problem, type Role } from '../api.ts';
import { useMe } from '../session.tsx';
import { formatDateTime } from '../time.ts';
import { Field, ProblemAlert, roleName } from '../ui.tsx';
import { ClinicianCheckboxes } from './clinician-checkboxes.tsx';
import { CopyLink } from './copy-link.tsx';
import { INVITABLE_ROLES, type User } from './user.ts';

interface Invite {
  inviteUrl: string;
  expiresAt: string;
}

export function InviteForm({ clinicians, onInvited }: { clinicians: User[]; onInvited: () => void }) {
  const me = useMe();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('clinician');
  const [superviseeIds, setSuperviseeIds] = useState<string[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<(Invite & { name: string }) | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!name.trim() || !email.trim()) {
      setProblem({ status: 400, detail: 'Enter the name and email of the person you are inviting.' });
      return;
    }
    setBusy(true);
    setProblem(null);
    setSent(null);
    try {
      const body = {
        name: name.trim(),
        email: email.trim(),
        role,
        ...(role === 'supervisor' ? { superviseeIds } : {}),
      };
      const invite = await api.post<Invite>('/api/users/invites', body);
      setSent({ ...invite, name: body.name });
      setName('');
      setEmail('');
      setSuperviseeIds([]);
      onInvited();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="invite-heading" className="panel">
      <h2 id="invite-heading">Invite someone</h2>
      <form onSubmit={submit} noValidate className="stack" aria-busy={busy}>
        <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
        <Field label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="off" />
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {INVITABLE_ROLES.map((r) => (
              <option key={r} value={r}>
                {roleName(r)}
              </option>
            ))}
          </select>
        </div>
        {role === 'supervisor' && (
          <ClinicianCheckboxes
            legend="Clinicians they supervise"
            clinicians={clinicians}
            selected={superviseeIds}
            onChange={setSuperviseeIds}
          />
        )}
        <ProblemAlert problem={problem} />
        <button type="submit" className="primary" disabled={busy}>
          Send invite
        </button>
      </form>
      {sent && (
        <div role="status" className="notice">
          <p>
            Invite ready for {sent.name}. Share this link with them. It works once and expires{' '}
            <time dateTime={sent.expiresAt}>{formatDateTime(sent.expiresAt, me.practice.timeZone)}</time>.
          </p>
          <CopyLink url={new URL(sent.inviteUrl, window.location.origin).href} />
        </div>
      )}
    </section>
  );
}
