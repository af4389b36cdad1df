// The client's safety plan: written with the client, step by step, saved as versions.
import { useEffect, useMemo, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useParams } from 'react-router';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { can, useMe } from '../session.tsx';
import { formatDateTime } from '../time.ts';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import {
  draftOf,
  emptyContent,
  isContactsKey,
  planPath,
  prepare,
  rowProblemsOf,
  sameContent,
  type Draft,
  type PlanGap,
  type PlanResponse,
  type RowProblem,
} from './plan.ts';
import { useBreakGlassGrant } from '../break-glass/read-only.tsx';
import { ContactsStep, ItemsStep, type IsInvalid } from './plan-editor.tsx';
import { PlanActions, PlanHead, PlanNotFound, savedWords, VersionHistory } from './plan-parts.tsx';
import { PlanGaps, PlanView, PrintablePlan } from './plan-view.tsx';
import { fetchPlan, isNotFound, useClientName, usePlanVersions } from './use-plan.ts';

export function SafetyPlanPage() {
  // The tab title stays generic: it shows in screen shares and browser history.
  usePageTitle('Safety plan');
  const { clientId = '' } = useParams();
  const client = useClientName(clientId);
  const [plan, setPlan] = useState<PlanResponse | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  // Under a break-glass grant (issue 6) the plan is read, never changed: no editor.
  const grant = useBreakGlassGrant(clientId);

  useEffect(() => {
    const ctrl = new AbortController();
    setPlan(null);
    fetchPlan(clientId, ctrl.signal)
      .then((r) => {
        setPlan(r);
        setProblem(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setProblem(problemOf(err));
      });
    return () => ctrl.abort();
  }, [clientId]);

  if (isNotFound(client.problem) || isNotFound(problem)) return <PlanNotFound />;
  if (!plan || client.name === null || grant === undefined) {
    const shown = problem ?? client.problem;
    return (
      <>
        <h1>Safety plan</h1>
        <ProblemAlert problem={shown} />
        {!shown && <Loading what="Loading the safety plan…" />}
      </>
    );
  }
  return <PlanScreen key={clientId} clientId={clientId} clientName={client.name} initial={plan} readOnly={grant !== null} />;
}

interface ScreenProps {
  clientId: string;
  clientName: string;
  initial: PlanResponse;
  readOnly: boolean;
}

function startingDraft(plan: PlanResponse): Draft {
  return draftOf(plan.current?.content ?? plan.template ?? emptyContent());
}

function PlanScreen({ clientId, clientName, initial, readOnly }: ScreenProps) {
  const me = useMe();
  const timeZone = me.practice.timeZone;
  const history = usePlanVersions(clientId);
  const [plan, setPlan] = useState(initial);
  const [draft, setDraft] = useState(() => startingDraft(initial));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [rowProblems, setRowProblems] = useState<RowProblem[]>([]);
  const [conflict, setConflict] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const { sections, current } = plan;
  const canWrite = !readOnly && can(me, 'client.safety_plan.write');

  const prepared = useMemo(() => prepare(draft, sections), [draft, sections]);
  const baseline = current?.content ?? plan.template ?? emptyContent();
  const dirty = !sameContent(prepared.content, baseline);

  // Leaving the page with unsaved words asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const invalid: IsInvalid = (rowId, field) => (rowProblems.some((p) => p.rowId === rowId && p.field === field) ? true : undefined);

  function update(key: keyof Draft, rows: Draft[keyof Draft]) {
    setDraft((d) => ({ ...d, [key]: rows }));
    setStatus('');
  }

  function showRowProblems(rows: RowProblem[], base: Problem) {
    setRowProblems(rows);
    setProblem({ ...base, detail: 'Some entries need another look:', errors: rows.map((r) => ({ path: r.key, message: r.message })) });
    const first = rows.find((r) => r.rowId);
    if (first?.rowId) window.setTimeout(() => document.getElementById(`${first.rowId}-${first.field ?? 'text'}`)?.focus(), 0);
  }

  /** Replace what is on screen with the plan as saved now. */
  async function reload() {
    const next = await fetchPlan(clientId);
    setPlan(next);
    setDraft(startingDraft(next));
    setConflict(null);
    setRowProblems([]);
    setProblem(null);
    history.reload();
  }

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setStatus('');
    if (prepared.problems.length > 0) {
      showRowProblems(prepared.problems, { status: 400, code: 'VALIDATION_FAILED', detail: '' });
      return;
    }
    setBusy(true);
    setProblem(null);
    setRowProblems([]);
    setConflict(null);
    const basedOn = current?.version ?? null;
    try {
      const r = await api.put<{ version: number; gaps: PlanGap[] }>(planPath(clientId), { content: prepared.content, basedOnVersion: basedOn });
      try {
        await reload();
      } catch {
        // Saved all the same; show it from what we sent until the next visit.
        setPlan((p) => ({
          ...p,
          template: null,
          current: { version: r.version, gaps: r.gaps, content: prepared.content, savedAt: new Date().toISOString(), savedByName: me.user.name },
        }));
      }
      setStatus(r.version === basedOn ? `Nothing had changed, so version ${r.version} is still the current plan.` : `Safety plan saved as version ${r.version}.`);
    } catch (err) {
      const p = problemOf(err);
      if (p.code === 'SAFETY_PLAN_CHANGED') {
        setConflict(p.detail);
        history.reload();
      } else if (p.errors && p.errors.length > 0) {
        showRowProblems(rowProblemsOf(p.errors, prepared, draft, sections), p);
      } else {
        setProblem(p);
      }
    } finally {
      setBusy(false);
    }
  }

  // Enter in a field never saves the plan by surprise; the Save button does.
  function noEnterSubmit(e: KeyboardEvent<HTMLFormElement>) {
    if (e.key === 'Enter' && e.target instanceof HTMLInputElement) e.preventDefault();
  }

  const meta = current ? (
    <>
      Version {current.version} · {savedWords(current, timeZone)}
    </>
  ) : (
    'Not saved yet. Fill in each step with the client, in their own words, then save.'
  );
  const printed = `Printed ${formatDateTime(new Date().toISOString(), timeZone)}`;
  const versionText = current && !dirty ? `Version ${current.version}, ${savedWords(current, timeZone)}` : `${printed}. Not saved yet.`;
  const actionNote = !canWrite
    ? undefined
    : !current
      ? 'Print shows what is on the screen. Save the plan to download it as a PDF.'
      : dirty
        ? `Print shows what is on the screen, including changes not saved yet. The PDF is saved version ${current.version}.`
        : undefined;

  return (
    <div className="safety-plan-page">
      <div className="plan-screen">
        <PlanHead clientName={clientName} back={{ to: `/clients/${encodeURIComponent(clientId)}`, text: `Back to ${clientName}` }} meta={meta}>
          <PlanActions clientId={clientId} hasSaved={current !== null} note={actionNote} />
        </PlanHead>
        {current ? (
          <PlanGaps gaps={current.gaps} sections={sections} version={current.version} linkToSteps={canWrite} />
        ) : (
          <section aria-labelledby="completeness-heading" className="panel plan-completeness" id="completeness">
            <h2 id="completeness-heading">Completeness</h2>
            <p>Nothing is saved yet. Once the plan is saved, anything it still lacks is listed here.</p>
          </section>
        )}
        {canWrite ? (
          <form onSubmit={save} onKeyDown={noEnterSubmit} noValidate aria-label="Safety plan" aria-busy={busy} className="plan-form">
            {sections.map((section) => {
              const key = section.key;
              return isContactsKey(key) ? (
                <ContactsStep key={key} section={section} rows={draft[key]} onChange={(rows) => update(key, rows)} invalid={invalid} />
              ) : (
                <ItemsStep key={key} section={section} rows={draft[key]} onChange={(rows) => update(key, rows)} invalid={invalid} />
              );
            })}
            <div className="plan-savebar">
              <ProblemAlert problem={problem} />
              {conflict !== null && (
                <div role="alert" className="alert plan-conflict">
                  <p>
                    <strong>Your changes were not saved.</strong> {conflict}
                  </p>
                  <p>
                    They are still on this screen. Reloading replaces them with the saved plan: to keep something, copy it first, or
                    open the newer version from the version history below (it opens in a new tab).
                  </p>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void reload().catch((err: unknown) => setProblem(problemOf(err)))}
                  >
                    Reload the saved plan
                  </button>
                </div>
              )}
              <div className="row">
                <button type="submit" className="primary" disabled={busy}>
                  Save safety plan
                </button>
                <p role="status" className="saved-status">
                  {status}
                </p>
                {dirty && !status && <p className="plan-unsaved">Changes not saved yet</p>}
              </div>
            </div>
          </form>
        ) : (
          <section aria-label="The plan" className="panel">
            {current ? (
              <PlanView sections={sections} content={current.content} />
            ) : (
              <p>No safety plan has been saved yet. The client's clinicians write it with them.</p>
            )}
          </section>
        )}
        <VersionHistory clientId={clientId} versions={history.versions} current={current?.version ?? null} timeZone={timeZone} newTab={canWrite} />
      </div>
      <PrintablePlan
        practiceName={me.practice.name}
        clientName={clientName}
        sections={sections}
        content={canWrite ? prepared.content : (current?.content ?? emptyContent())}
        versionText={canWrite ? versionText : current ? `Version ${current.version}, ${savedWords(current, timeZone)}` : printed}
      />
    </div>
  );
}
