import { useRef, useState, type FormEvent } from 'react';
import { request } from '../api.ts';
import { ProblemAlert, roleName } from '../ui.tsx';
import { clientPath, type CareTeamMember, type ClientDetails } from './client.ts';
import { bodyOf, CLIENT_LABELS, ClientFields, draftOf } from './client-fields.tsx';
import { fieldProblem, SavedStatus, useSubmit } from './client-form.tsx';
import { formatDay, formatPhone, telHref } from './format.ts';

function ageOn(dateOfBirth: string, today: string): number | null {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  if (!by || !bm || !bd || !ty || !tm || !td) return null;
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

function Facts({ client, today }: { client: ClientDetails; today: string }) {
  const none = <span className="muted">Not recorded</span>;
  const age = client.dateOfBirth ? ageOn(client.dateOfBirth, today) : null;
  return (
    <dl className="facts">
      <dt>Legal name</dt>
      <dd>{client.legalName}</dd>
      <dt>Preferred name</dt>
      <dd>{client.preferredName ?? none}</dd>
      <dt>Pronouns</dt>
      <dd>{client.pronouns ?? none}</dd>
      <dt>Date of birth</dt>
      <dd>{client.dateOfBirth ? `${formatDay(client.dateOfBirth)}${age !== null ? ` (age ${age})` : ''}` : none}</dd>
      <dt>Phone</dt>
      <dd>{client.phone ? <a href={telHref(client.phone)}>{formatPhone(client.phone)}</a> : none}</dd>
      <dt>Email</dt>
      <dd>{client.email ? <a href={`mailto:${client.email}`}>{client.email}</a> : none}</dd>
      <dt>Address</dt>
      <dd className="address">{client.address ?? none}</dd>
    </dl>
  );
}

function EditDetails({ client, today, onDone }: { client: ClientDetails; today: string; onDone: (saved: boolean) => void }) {
  const [draft, setDraft] = useState(() => draftOf(client));
  const { busy, problem, run, fail, invalid } = useSubmit(CLIENT_LABELS);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!draft.legalName.trim()) {
      fail(fieldProblem('Some details need another look:', [{ path: 'legalName', message: 'Enter the client’s legal name' }]));
      return;
    }
    const ok = await run(() => request<void>('PATCH', clientPath(client.id), { body: bodyOf(draft) }), 'Details saved.');
    if (ok) onDone(true);
  }

  return (
    <form onSubmit={submit} noValidate className="stack" aria-busy={busy} aria-label="Edit details" id="edit-details-form">
      <ClientFields draft={draft} onChange={setDraft} invalid={invalid} today={today} />
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Save details
        </button>
        <button type="button" className="secondary" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

interface Props {
  client: ClientDetails;
  today: string;
  canEdit: boolean;
  onSaved: () => void;
}

export function DetailsPanel({ client, today, canEdit, onSaved }: Props) {
  const [editing, setEditing] = useState(false);
  const [status, setStatus] = useState('');
  const toggle = useRef<HTMLButtonElement>(null);

  function done(saved: boolean) {
    setEditing(false);
    setStatus(saved ? 'Details saved.' : '');
    if (saved) onSaved();
    window.setTimeout(() => toggle.current?.focus(), 0);
  }

  return (
    <section aria-labelledby="details-heading" className="panel" id="details">
      <div className="panel-head">
        <h2 id="details-heading">Details</h2>
        {canEdit && (
          <button
            ref={toggle}
            type="button"
            className="secondary"
            aria-expanded={editing}
            aria-controls={editing ? 'edit-details-form' : undefined}
            onClick={() => {
              setStatus('');
              setEditing((e) => !e);
            }}
          >
            Edit details
          </button>
        )}
      </div>
      {editing ? <EditDetails client={client} today={today} onDone={done} /> : <Facts client={client} today={today} />}
      <SavedStatus text={status} />
    </section>
  );
}

export function CareTeamPanel({ careTeam }: { careTeam: CareTeamMember[] }) {
  return (
    <section aria-labelledby="care-team-heading" className="panel" id="care-team">
      <h2 id="care-team-heading">Care team</h2>
      {careTeam.length === 0 ? (
        <p>No clinicians are assigned. Ask an administrator to assign one.</p>
      ) : (
        <ul className="plain-list">
          {careTeam.map((m) => (
            <li key={m.id}>
              <span className="strong">{m.name}</span> <span className="muted">· {roleName(m.role)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
