// Settings → Records: how long the practice keeps a client's record after the last contact.
import { useEffect, useState, type FormEvent } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { SavedStatus, useSubmit } from '../clients/client-form.tsx';
import { Field, Loading, ProblemAlert, usePageTitle } from '../ui.tsx';

interface RetentionView {
  yearsAfterLastContact: number;
  isDefault: boolean;
  defaultYears: number;
  minimumYears: number;
  maximumYears: number;
  updatedAt: string | null;
  updatedBy: { id: string; name: string } | null;
  automaticDeletion: false;
}

const PATH = '/api/practice/retention';

export function RecordsSettingsPage() {
  usePageTitle('Records');
  const [view, setView] = useState<RetentionView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    api.get<RetentionView>(PATH, { signal: ctrl.signal }).then(setView).catch((err: unknown) => {
      if (!isAbort(err)) setProblem(problemOf(err));
    });
    return () => ctrl.abort();
  }, []);

  return (
    <div className="records-settings-page">
      <h1>Records</h1>
      <ProblemAlert problem={problem} />
      {view === null ? !problem && <Loading what="Loading the retention setting…" /> : <RetentionForm view={view} onSaved={setView} />}
    </div>
  );
}

function RetentionForm({ view, onSaved }: { view: RetentionView; onSaved: (v: RetentionView) => void }) {
  const [years, setYears] = useState(String(view.yearsAfterLastContact));
  const { busy, problem, status, run, invalid } = useSubmit({ yearsAfterLastContact: 'Years' });

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    await run(async () => onSaved(await api.put<RetentionView>(PATH, { yearsAfterLastContact: Number(years) })), 'Retention period saved.');
  }

  return (
    <section aria-labelledby="retention-heading" className="panel" id="retention">
      <h2 id="retention-heading">Retention</h2>
      <p>
        How many years the practice keeps a client's record after the last contact. The default is {view.defaultYears} years: California requires
        marriage and family therapists to keep records at least 7 years after the last contact (Business and Professions Code 4980.49; for a
        minor, at least 7 years after they turn 18). Check your state and profession. It cannot be less than {view.minimumYears} years: the
        accounting of disclosures reaches back six years (HIPAA 45 CFR 164.528).
      </p>
      <p className="hint">Holdspace records this setting; it does not yet delete records when the period ends.</p>
      <form onSubmit={submit} noValidate className="stack" aria-busy={busy}>
        <ProblemAlert problem={problem} />
        <Field
          label="Years"
          className="field-short"
          type="number"
          inputMode="numeric"
          min={view.minimumYears}
          max={view.maximumYears}
          value={years}
          onChange={(e) => setYears(e.target.value)}
          aria-invalid={invalid('yearsAfterLastContact')}
          hint={view.isDefault ? 'Not changed yet: the default applies.' : view.updatedBy ? `Last set by ${view.updatedBy.name}.` : undefined}
        />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>Save</button>
        </div>
        {status && <SavedStatus text={status} />}
      </form>
    </section>
  );
}
