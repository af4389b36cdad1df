import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api.ts';
import { can, useMe } from '../session.tsx';
import { ProblemAlert, usePageTitle } from '../ui.tsx';
import { ClinicianCheckboxes } from '../users/clinician-checkboxes.tsx';
import { byName, type User, type UserList } from '../users/user.ts';
import { bodyOf, CLIENT_LABELS, ClientFields, EMPTY_CLIENT, type ClientDraft } from './client-fields.tsx';
import { fieldProblem, useSubmit } from './client-form.tsx';
import { todayIn } from './format.ts';

/** Admins name the care team; a clinician adding a client is on it already. */
function useClinicians(needed: boolean) {
  const [clinicians, setClinicians] = useState<User[] | null>(null);
  useEffect(() => {
    if (!needed) return;
    const ctrl = new AbortController();
    api
      .get<UserList>('/api/users', { signal: ctrl.signal })
      .then((r) => setClinicians(r.users.filter((u) => u.active && (u.role === 'clinician' || u.role === 'supervisor')).sort(byName)))
      .catch(() => setClinicians([]));
    return () => ctrl.abort();
  }, [needed]);
  return clinicians;
}

export function NewClientPage() {
  usePageTitle('Add client');
  const me = useMe();
  const navigate = useNavigate();
  const isClinician = me.user.role === 'clinician' || me.user.role === 'supervisor';
  const clinicians = useClinicians(!isClinician);
  const [draft, setDraft] = useState<ClientDraft>(EMPTY_CLIENT);
  const [clinicianIds, setClinicianIds] = useState<string[]>([]);
  const { busy, problem, run, fail, invalid } = useSubmit(CLIENT_LABELS);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const missing = [
      ...(draft.legalName.trim() ? [] : [{ path: 'legalName', message: 'Enter the client’s legal name' }]),
      ...(isClinician || clinicianIds.length > 0 ? [] : [{ path: 'clinicianIds', message: 'Choose at least one clinician' }]),
    ];
    if (missing.length > 0) {
      fail(fieldProblem('Some details need another look:', missing));
      return;
    }
    let id = '';
    const ok = await run(async () => {
      const body = { ...bodyOf(draft), ...(isClinician ? {} : { clinicianIds }) };
      ({ id } = await api.post<{ id: string }>('/api/clients', body));
    }, 'Client added.');
    if (!ok) return;
    if (can(me, 'client.read')) {
      navigate(`/clients/${encodeURIComponent(id)}`, { state: { notice: 'Client added. Next, add their emergency contacts and safety plan.' } });
    } else {
      // Admins add clients for the care team but don't open clinical records.
      navigate('/clients', { state: { notice: `${draft.preferredName.trim() || draft.legalName.trim()} is added. Their care team can now open their record.` } });
    }
  }

  return (
    <div className="narrow-form">
      <p className="breadcrumb">
        <Link to="/clients">
          <span aria-hidden="true">‹&nbsp;</span>All clients
        </Link>
      </p>
      <h1>Add client</h1>
      <p className="lede">
        {isClinician
          ? 'You will be on their care team. Their emergency contacts, channels and safety plan come next.'
          : 'Choose the clinicians on their care team. Only the care team can see clinical details.'}
      </p>
      <form onSubmit={submit} noValidate className="stack panel" aria-busy={busy} aria-label="Add client">
        <ClientFields draft={draft} onChange={setDraft} invalid={invalid} today={todayIn(me.practice.timeZone)} />
        {!isClinician &&
          (clinicians === null ? (
            <p className="muted">Loading clinicians…</p>
          ) : (
            <ClinicianCheckboxes legend="Clinicians" clinicians={clinicians} selected={clinicianIds} onChange={setClinicianIds} />
          ))}
        <ProblemAlert problem={problem} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            Add client
          </button>
          <Link to="/clients" className="button-link">
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}
