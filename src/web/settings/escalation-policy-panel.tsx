// The practice's escalation policy: who is paged in what order, how long each level has
// to acknowledge, how many rounds, and who is on call. Read-only unless escalation.manage.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { fieldProblem, SavedStatus, useSubmit } from '../clients/client-form.tsx';
import { Field, Loading, ProblemAlert, SelectField } from '../ui.tsx';
import {
  checkPolicy, describePolicy, MAX_LEVELS, MAX_ROUNDS, MAX_WAIT_MINUTES, minutesText, moved, newLevelKey, policyBody, policyDraft,
  previewPolicy, samePolicy, TARGET_CHOICES, targetLabel, type EscalationPolicyView, type EscalationTarget, type PolicyDraft,
} from './emergency-settings.ts';

const POLICY_PATH = '/api/practice/escalation-policy';

interface Clinician {
  id: string;
  name: string;
  role: 'clinician' | 'supervisor';
}

export function EscalationPolicyPanel({ canManage }: { canManage: boolean }) {
  const [policy, setPolicy] = useState<EscalationPolicyView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<EscalationPolicyView>(POLICY_PATH, { signal: ctrl.signal })
      .then((p) => {
        setPolicy(p);
        setProblem(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, []);

  return (
    <section className="panel escalation-panel" aria-labelledby="escalation-heading">
      <h2 id="escalation-heading">Who is paged, and when</h2>
      <ProblemAlert problem={problem} />
      {policy === null ? (
        !problem && <Loading what="Loading the escalation policy…" />
      ) : canManage ? (
        <PolicyForm policy={policy} onSaved={setPolicy} />
      ) : (
        <PolicySummary policy={policy} />
      )}
    </section>
  );
}

function Preview({ sentences }: { sentences: string[] }) {
  return (
    <div className="escalation-preview">
      <h3 id="escalation-preview-heading">In plain words</h3>
      {sentences.map((s) => (
        <p key={s}>{s}</p>
      ))}
    </div>
  );
}

function PolicySummary({ policy }: { policy: EscalationPolicyView }) {
  const names = policy.onCall.map((p) => p.name);
  return (
    <>
      <Preview sentences={describePolicy(policy, names)} />
      <h3>Levels</h3>
      <ol className="escalation-summary">
        {policy.levels.map((l, i) => (
          <li key={i}>
            <span className="strong">{targetLabel(l.target)}</span>
            <span className="muted"> — {minutesText(l.waitMinutes)} to acknowledge</span>
          </li>
        ))}
      </ol>
      <dl className="facts compact">
        <dt>Rounds</dt>
        <dd>{policy.rounds}</dd>
        <dt>On call</dt>
        <dd>{names.length > 0 ? names.join(', ') : 'Nobody'}</dd>
      </dl>
      <p className="muted escalation-who-changes">The practice owner or an administrator changes this.</p>
    </>
  );
}

// Level fields name their level in the message itself ("Level 2: …").
const LABELS = { rounds: 'Rounds', onCallUserIds: 'On call' };

function PolicyForm({ policy, onSaved }: { policy: EscalationPolicyView; onSaved: (p: EscalationPolicyView) => void }) {
  const [draft, setDraft] = useState<PolicyDraft>(() => policyDraft(policy));
  const [clinicians, setClinicians] = useState<Clinician[] | null>(null);
  const [cliniciansProblem, setCliniciansProblem] = useState<Problem | null>(null);
  const { busy, problem, status, run, fail, invalid, setStatus } = useSubmit(LABELS);
  const focusAfter = useRef<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get<{ clinicians: Clinician[] }>('/api/clinicians', { signal: ctrl.signal })
      .then((r) => setClinicians(r.clinicians))
      .catch((err: unknown) => {
        if (!isAbort(err)) setCliniciansProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, []);

  // After a level moves, is added or removed, keep keyboard focus on the control the person was using.
  useEffect(() => {
    const id = focusAfter.current;
    if (!id) return;
    focusAfter.current = null;
    const el = document.getElementById(id);
    if (el instanceof HTMLButtonElement && el.disabled) document.getElementById(id.replace(/-(up|down)$/, '-target'))?.focus();
    else el?.focus();
  });

  // The people to choose from: active clinicians and supervisors, plus anyone on call who no longer is.
  const people = useMemo(() => {
    const list = (clinicians ?? []).map((c) => ({ id: c.id, name: c.name, note: c.role === 'supervisor' ? 'Supervisor' : 'Clinician' }));
    for (const p of policy.onCall) if (!list.some((c) => c.id === p.id)) list.push({ id: p.id, name: p.name, note: 'No longer an active clinician' });
    return list;
  }, [clinicians, policy.onCall]);
  const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? policy.onCall.find((p) => p.id === id)?.name;
  const onCallNames = draft.onCallUserIds.flatMap((id) => nameOf(id) ?? []);
  const unsaved = checkPolicy(draft).length > 0 || !samePolicy(policyBody(draft), policy);

  function change(next: PolicyDraft) {
    setStatus('');
    setDraft(next);
  }
  const setLevel = (i: number, patch: { target?: EscalationTarget; waitMinutes?: string }) =>
    change({ ...draft, levels: draft.levels.map((l, j) => (j === i ? { ...l, ...patch } : l)) });

  function move(i: number, by: -1 | 1) {
    const level = draft.levels[i];
    if (!level) return;
    focusAfter.current = `level-${level.key}-${by < 0 ? 'up' : 'down'}`;
    change({ ...draft, levels: moved(draft.levels, i, by) });
  }
  function remove(i: number) {
    focusAfter.current = 'add-level';
    change({ ...draft, levels: draft.levels.filter((_, j) => j !== i) });
  }
  function add() {
    const key = newLevelKey();
    focusAfter.current = `level-${key}-target`;
    change({ ...draft, levels: [...draft.levels, { key, target: 'owner', waitMinutes: '5' }] });
  }
  function toggleOnCall(id: string, on: boolean) {
    change({ ...draft, onCallUserIds: on ? [...draft.onCallUserIds, id] : draft.onCallUserIds.filter((x) => x !== id) });
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const errors = checkPolicy(draft);
    if (errors.length > 0) {
      fail(fieldProblem('Some details need another look:', errors.map((err) => ({ ...err, message: levelMessage(err.path, err.message) }))));
      return;
    }
    await run(async () => {
      const saved = await api.put<EscalationPolicyView>(POLICY_PATH, policyBody(draft));
      onSaved(saved);
      setDraft(policyDraft(saved));
    }, 'Escalation policy saved. Open pages follow it from their next step.');
  }

  return (
    <form onSubmit={submit} noValidate className="stack escalation-form" aria-busy={busy} aria-labelledby="escalation-heading">
      <Preview sentences={describePolicy(previewPolicy(draft), onCallNames)} />
      <fieldset className="stack">
        <legend>Levels, in order</legend>
        <p className="hint">Each level has this many minutes to acknowledge before the next level is paged. Up to {MAX_LEVELS} levels.</p>
        <ol className="escalation-levels">
          {draft.levels.map((level, i) => (
            <li key={level.key} className="escalation-level">
              <fieldset>
                <legend>Level {i + 1}</legend>
                <div className="escalation-level-fields">
                  <SelectField
                    label="Who is paged"
                    id={`level-${level.key}-target`}
                    value={level.target}
                    onChange={(e) => setLevel(i, { target: e.target.value as EscalationTarget })}
                  >
                    {TARGET_CHOICES.map((c) => (
                      <option key={c.value} value={c.value}>
                        {c.label}
                      </option>
                    ))}
                  </SelectField>
                  <Field
                    label="Minutes to acknowledge"
                    className="field-short"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={MAX_WAIT_MINUTES}
                    step={1}
                    value={level.waitMinutes}
                    onChange={(e) => setLevel(i, { waitMinutes: e.target.value })}
                    aria-invalid={invalid(`levels.${i}.waitMinutes`)}
                  />
                </div>
                <div className="row escalation-level-actions">
                  <button type="button" className="secondary" id={`level-${level.key}-up`} disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move level ${i + 1} up`}>
                    Move up
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    id={`level-${level.key}-down`}
                    disabled={i === draft.levels.length - 1}
                    onClick={() => move(i, 1)}
                    aria-label={`Move level ${i + 1} down`}
                  >
                    Move down
                  </button>
                  <button type="button" className="secondary" disabled={draft.levels.length === 1} onClick={() => remove(i)} aria-label={`Remove level ${i + 1}`}>
                    Remove
                  </button>
                </div>
              </fieldset>
            </li>
          ))}
        </ol>
        <button type="button" className="secondary" id="add-level" disabled={draft.levels.length >= MAX_LEVELS} onClick={add}>
          Add a level
        </button>
      </fieldset>
      <Field
        label="Rounds"
        hint={`How many times the whole sequence runs while nobody acknowledges (1 to ${MAX_ROUNDS}).`}
        className="field-short"
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_ROUNDS}
        step={1}
        value={draft.rounds}
        onChange={(e) => change({ ...draft, rounds: e.target.value })}
        aria-invalid={invalid('rounds')}
      />
      <fieldset className="on-call" aria-invalid={invalid('onCallUserIds')}>
        <legend>Who is on call</legend>
        <p className="hint">Paged at the "on-call clinicians" level. Choose among the practice's clinicians and supervisors.</p>
        <ProblemAlert problem={cliniciansProblem} />
        {clinicians === null && !cliniciansProblem ? (
          <Loading what="Loading the clinicians…" />
        ) : people.length === 0 ? (
          <p className="muted">The practice has no active clinicians yet.</p>
        ) : (
          <ul className="on-call-list">
            {people.map((p) => (
              <li key={p.id}>
                <label className="check">
                  <input type="checkbox" checked={draft.onCallUserIds.includes(p.id)} onChange={(e) => toggleOnCall(p.id, e.target.checked)} />
                  <span>
                    {p.name} <span className="muted">({p.note})</span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <ProblemAlert problem={problem} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Save escalation policy
        </button>
        {unsaved && !busy && <p className="muted unsaved-note">Unsaved changes</p>}
        <SavedStatus text={status} />
      </div>
    </form>
  );
}

/** "levels.2.waitMinutes" → "Level 3: …" (the form's own words). */
function levelMessage(path: string, message: string): string {
  const m = /^levels\.(\d+)\./.exec(path);
  return m ? `Level ${Number(m[1]) + 1}: ${message}` : message;
}
