// The safety plan and policy acknowledgement panels of the client page.
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, isAbort } from '../api.ts';
import { Field, ProblemAlert } from '../ui.tsx';
import { ACK_METHODS, POLICY_WORDS, clientPath, type AckMethod, type Readiness } from './client.ts';
import { fieldProblem, SavedStatus, SelectField, useSubmit, type FieldLabels } from './client-form.tsx';
import { formatDay } from './format.ts';

export function SafetyPlanPanel({ clientId, readiness }: { clientId: string; readiness: Readiness }) {
  return (
    <section aria-labelledby="safety-plan-heading" className="panel" id="safety-plan">
      <h2 id="safety-plan-heading">Safety plan</h2>
      <p>
        {readiness.safetyPlan
          ? 'A safety plan is in place. Review it with the client from time to time.'
          : 'There is no safety plan yet. Write one with the client, in their words.'}
      </p>
      <Link to={`/clients/${encodeURIComponent(clientId)}/safety-plan`} className="button-link">
        Open safety plan
      </Link>
    </section>
  );
}

interface Policy {
  version: number;
  title: string;
  publishedAt: string;
}

interface Acknowledgement {
  id: string;
  version: number;
  acknowledgedOn: string;
  method: AckMethod;
}

interface AckSummary {
  acknowledgements: Acknowledgement[];
}

const LABELS: FieldLabels = { version: 'Policy version', acknowledgedOn: 'Date acknowledged', method: 'How' };
const methodName = (m: string) => ACK_METHODS.find((x) => x.value === m)?.label ?? m;

function AcknowledgementForm({ clientId, policy, today, onSaved }: { clientId: string; policy: Policy; today: string; onSaved: () => void }) {
  const [version, setVersion] = useState(String(policy.version));
  const [acknowledgedOn, setAcknowledgedOn] = useState(today);
  const [method, setMethod] = useState<AckMethod | ''>('');
  const { busy, problem, status, run, fail, invalid } = useSubmit(LABELS);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const v = Number(version);
    const errors = [
      ...(Number.isInteger(v) && v >= 1 && v <= policy.version ? [] : [{ path: 'version', message: `Use a version from 1 to ${policy.version}` }]),
      ...(acknowledgedOn ? [] : [{ path: 'acknowledgedOn', message: 'Enter the date the client acknowledged it' }]),
      ...(method ? [] : [{ path: 'method', message: 'Choose how the client acknowledged it' }]),
    ];
    if (errors.length > 0) {
      fail(fieldProblem('Some details need another look:', errors));
      return;
    }
    const ok = await run(
      () => api.post<void>(`${clientPath(clientId)}/policy-acknowledgements`, { version: v, acknowledgedOn, method }),
      `Acknowledgement of version ${v} recorded.`,
    );
    if (ok) onSaved();
  }

  return (
    <form onSubmit={submit} noValidate className="stack" aria-busy={busy} aria-label="Record acknowledgement">
      <div className="field-pair">
        <Field
          label="Policy version"
          hint={`The current version is ${policy.version}.`}
          type="number"
          inputMode="numeric"
          min={1}
          max={policy.version}
          value={version}
          onChange={(e) => setVersion(e.target.value)}
          aria-invalid={invalid('version')}
        />
        <Field label="Date acknowledged" hint="The day the client acknowledged it." type="date" max={today} value={acknowledgedOn} onChange={(e) => setAcknowledgedOn(e.target.value)} aria-invalid={invalid('acknowledgedOn')} />
      </div>
      <SelectField label="How" value={method} onChange={(e) => setMethod(e.target.value as AckMethod | '')} aria-invalid={invalid('method')}>
        <option value="">Choose how</option>
        {ACK_METHODS.map((m) => (
          <option key={m.value} value={m.value}>
            {m.label}
          </option>
        ))}
      </SelectField>
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="secondary" disabled={busy}>
          Record acknowledgement
        </button>
        <SavedStatus text={status} />
      </div>
    </form>
  );
}

interface PolicyProps {
  clientId: string;
  readiness: Readiness;
  today: string;
  canRecord: boolean;
  /** Changes whenever the client page reloads, so the history follows. */
  version: number;
  onSaved: () => void;
}

export function PolicyPanel({ clientId, readiness, today, canRecord, version, onSaved }: PolicyProps) {
  const [policy, setPolicy] = useState<Policy | null | undefined>(undefined);
  const [latest, setLatest] = useState<Acknowledgement | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<{ policy: Policy | null }>('/api/policy', { signal: ctrl.signal })
      .then((r) => setPolicy(r.policy))
      .catch((err: unknown) => {
        if (!isAbort(err)) setPolicy(null);
      });
    api
      .get<AckSummary>(`${clientPath(clientId)}/policy-acknowledgements`, { signal: ctrl.signal })
      .then((r) => setLatest([...r.acknowledgements].sort((a, b) => b.version - a.version || b.acknowledgedOn.localeCompare(a.acknowledgedOn))[0] ?? null))
      .catch(() => setLatest(null));
    return () => ctrl.abort();
  }, [clientId, version]);

  return (
    <section aria-labelledby="policy-heading" className="panel" id="policy">
      <h2 id="policy-heading">Policy acknowledgement</h2>
      <p>
        {POLICY_WORDS[readiness.policy]}
        {policy && readiness.policy === 'outdated' && ` The current version is ${policy.version}, “${policy.title}”.`}
      </p>
      {latest && (
        <p className="muted">
          Last acknowledged: version {latest.version}, on {formatDay(latest.acknowledgedOn)} ({methodName(latest.method).toLowerCase()}).
        </p>
      )}
      {policy && canRecord && <AcknowledgementForm clientId={clientId} policy={policy} today={today} onSaved={onSaved} />}
    </section>
  );
}
