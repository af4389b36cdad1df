// One saved version of a client's safety plan, read-only.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, isAbort, problemOf, type Problem } from '../api.ts';
import { useMe } from '../session.tsx';
import { Loading, ProblemAlert, usePageTitle } from '../ui.tsx';
import { planPage, planPath, type PlanSection, type PlanVersion } from './plan.ts';
import { PlanActions, PlanHead, PlanNotFound, savedWords, VersionHistory } from './plan-parts.tsx';
import { PlanGaps, PlanView, PrintablePlan } from './plan-view.tsx';
import { fetchPlan, isNotFound, useClientName, usePlanVersions } from './use-plan.ts';

interface Loaded {
  version: PlanVersion;
  sections: PlanSection[];
  current: number | null;
}

export function SafetyPlanVersionPage() {
  usePageTitle('Safety plan');
  const me = useMe();
  const timeZone = me.practice.timeZone;
  const { clientId = '', version: versionParam = '' } = useParams();
  const wanted = Number(versionParam);
  const client = useClientName(clientId);
  const history = usePlanVersions(clientId);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    setLoaded(null);
    setMissing(false);
    setProblem(null);
    if (!Number.isInteger(wanted) || wanted < 1) {
      setMissing(true);
      return;
    }
    (async () => {
      // The plan first: it says whether the client is there at all, and gives the steps.
      const plan = await fetchPlan(clientId, ctrl.signal);
      try {
        const version = await api.get<PlanVersion>(`${planPath(clientId)}/versions/${wanted}`, { signal: ctrl.signal });
        setLoaded({ version, sections: plan.sections, current: plan.current?.version ?? null });
      } catch (err) {
        if (!isAbort(err) && isNotFound(problemOf(err))) setMissing(true);
        else throw err;
      }
    })().catch((err: unknown) => {
      if (!isAbort(err)) setProblem(problemOf(err));
    });
    return () => ctrl.abort();
  }, [clientId, wanted]);

  if (isNotFound(client.problem) || isNotFound(problem)) return <PlanNotFound />;
  if (missing) {
    return (
      <>
        <h1>Version not found</h1>
        <p>This safety plan has no version {versionParam}.</p>
        <p>
          <Link to={planPage(clientId)}>Go to the current safety plan</Link>
        </p>
      </>
    );
  }
  if (!loaded || client.name === null) {
    const shown = problem ?? client.problem;
    return (
      <>
        <h1>Safety plan</h1>
        <ProblemAlert problem={shown} />
        {!shown && <Loading what="Loading the safety plan…" />}
      </>
    );
  }

  const { version: v, sections, current } = loaded;
  const isCurrent = v.version === current;
  return (
    <div className="safety-plan-page">
      <div className="plan-screen">
        <PlanHead
          clientName={client.name}
          back={{ to: planPage(clientId), text: 'Current safety plan' }}
          meta={
            <>
              Version {v.version} · {savedWords(v, timeZone)}.{' '}
              {isCurrent ? 'This is the current version.' : `An earlier version, kept as it was; the current one is version ${current}.`}
            </>
          }
        >
          <PlanActions clientId={clientId} pdfVersion={v.version} hasSaved />
        </PlanHead>
        <PlanGaps gaps={v.gaps} sections={sections} version={v.version} />
        <section aria-label={`Version ${v.version}`} className="panel">
          <PlanView sections={sections} content={v.content} />
        </section>
        <VersionHistory clientId={clientId} versions={history.versions} current={current} timeZone={timeZone} showing={v.version} />
      </div>
      <PrintablePlan
        practiceName={me.practice.name}
        clientName={client.name}
        sections={sections}
        content={v.content}
        versionText={`Version ${v.version}, ${savedWords(v, timeZone)}`}
      />
    </div>
  );
}
