import { useState, type FormEvent } from 'react';
import { api, problemOf, type Problem } from '../api.ts';
import { ProblemAlert } from '../ui.tsx';
import { ClinicianCheckboxes } from './clinician-checkboxes.tsx';
import type { User } from './user.ts';

function TeamForm({ supervisor, clinicians, onSaved }: { supervisor: User; clinicians: User[]; onSaved: () => void }) {
  const [selected, setSelected] = useState(supervisor.superviseeIds);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    setSaved(false);
    try {
      await api.put(`/api/users/${encodeURIComponent(supervisor.id)}/supervisees`, { clinicianIds: selected });
      setSaved(true);
      onSaved();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="card stack" aria-busy={busy}>
      <ClinicianCheckboxes
        legend={`Clinicians ${supervisor.name} supervises`}
        clinicians={clinicians}
        selected={selected}
        onChange={(ids) => {
          setSelected(ids);
          setSaved(false);
        }}
      />
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="secondary" disabled={busy} aria-label={`Save team for ${supervisor.name}`}>
          Save team
        </button>
        <p role="status" className="muted">
          {saved ? 'Team saved.' : ''}
        </p>
      </div>
    </form>
  );
}

/** One form per supervisor to choose which clinicians they supervise. */
export function SupervisionTeams({ users, onSaved }: { users: User[]; onSaved: () => void }) {
  const supervisors = users.filter((u) => u.role === 'supervisor');
  const clinicians = users.filter((u) => u.role === 'clinician');
  if (supervisors.length === 0) return null;
  return (
    <section aria-labelledby="teams-heading" className="panel">
      <h2 id="teams-heading">Supervision teams</h2>
      <div className="cards">
        {supervisors.map((s) => (
          <TeamForm key={s.id} supervisor={s} clinicians={clinicians} onSaved={onSaved} />
        ))}
      </div>
    </section>
  );
}
